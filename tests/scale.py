"""Query counts at two sizes of the same province (issue 16, "constant query counts"): the
province of ``demo.scale`` seeded with ten times more candidates, each page asked for as
its user at both sizes. A page whose number of queries grows with the rows reads row by
row somewhere (an N+1).

Use ``query_counts`` from a module-scoped fixture::

    @pytest.fixture(scope="module")
    def counts(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            return query_counts(PAGES)
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demo.scale import Seeded, seed_scale

# The same tree (the units and their seed) with ten times more people.
UNITS = 30
YEARS = 2
SIZES = (100, 1000)


@dataclass(frozen=True)
class Page:
    """A page to count: who asks for it and its address (from the seeded province)."""

    username: Callable[[Seeded], str]
    url: Callable[[Seeded], str]


def board(seeded: Seeded) -> str:
    return "tinh.bantochuc"


def secretary(seeded: Seeded) -> str:
    """The first cell secretary of the seeded accounts (a school's: the most people)."""
    return next(name for name, _what in seeded.accounts if name.startswith("bithu."))


def shape(sql: str) -> str:
    """A query without its values: the same query for other rows has the same shape."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r'"s\d+_x\d+"', '"savepoint"', sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\((?:\?,\s*)+\?\)", "(…)", sql)


def page_queries(client: Client, url: str) -> Counter:
    """The queries of one request for ``url`` by shape, asked for a second time (the first
    fills the caches a running server keeps: content types, the holiday calendar)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return Counter(shape(query["sql"]) for query in captured.captured_queries)


def growth(small: Counter, large: Counter) -> str:
    """The queries the larger province ran more often, for a failing test's message."""
    return "\n".join(
        f"  {small[sql]} → {large[sql]}: {sql[:300]}" for sql in large if large[sql] > small[sql]
    )


def query_counts(pages: dict[str, Page], *, sizes=SIZES) -> dict[str, tuple[Counter, ...]]:
    """Each page's queries (by shape) at each size of the province, in the order of
    ``sizes``, every size seeded in a transaction that is rolled back."""
    counts: dict[str, list[Counter]] = {name: [] for name in pages}
    User = get_user_model()
    for people in sizes:
        with transaction.atomic():
            seeded = seed_scale(units=UNITS, candidates=people, years=YEARS)
            client = Client()
            for name, page in pages.items():
                client.force_login(User.objects.get(username=page.username(seeded)))
                counts[name].append(page_queries(client, page.url(seeded)))
            transaction.set_rollback(True)
    return {name: tuple(values) for name, values in counts.items()}
