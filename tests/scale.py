"""Query counts at several sizes of the province of ``demo.scale`` (issue 16, "constant
query counts"): the same tree with ten times more candidates (a page whose queries grow
reads row by row somewhere: an N+1), and a tree of ten times more units with as many
candidates (a page that asks something of every unit). Each page is asked for as its user
at every size.

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
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demo.scale import Seeded, seed_scale

YEARS = 2
# The day the data is seeded as of: a fixed day makes the same rows every time (the pages
# still read them on the real today).
SEED_DAY = date(2026, 11, 30)
# (units, candidates): "rows" is "small" with ten times more people in the same tree (the
# same units from the same seed), "units" has ten times the units of "rows".
SIZES = {"small": (30, 40), "rows": (30, 400), "units": (300, 400)}


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
    return re.sub(r"\((?:\?,\s*)*\?\)", "(…)", sql)


def page_queries(client: Client, url: str) -> Counter:
    """The queries of one request for ``url`` by shape, asked for a second time (the first
    fills the caches a running server keeps: content types, the holiday calendar)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return Counter(shape(query["sql"]) for query in captured.captured_queries)


# A query that runs only when some rows exist (the deadlines of people waiting for a
# decision, when someone is; the mentors of people on the road) may run at one size only,
# asked from up to this many places of a page: a branch the smaller data did not reach.
BRANCHES = 2


def growth(small: Counter, large: Counter) -> dict[str, tuple[int, int]]:
    """The queries the larger province ran more often than the smaller one and more than
    ``BRANCHES`` times: {query: (runs at the small size, at the large size)}. Empty when
    nothing grew."""
    return {
        sql: (small[sql], large[sql]) for sql in large if large[sql] > max(small[sql], BRANCHES)
    }


def query_counts(pages: dict[str, Page], *, sizes=SIZES) -> dict[str, dict[str, Counter]]:
    """Each page's queries (by shape) at each size of the province: {page: {size:
    Counter}}, every size seeded in a transaction that is rolled back."""
    counts: dict[str, dict[str, Counter]] = {name: {} for name in pages}
    User = get_user_model()
    for size, (units, people) in sizes.items():
        with transaction.atomic():
            seeded = seed_scale(units=units, candidates=people, years=YEARS, today=SEED_DAY)
            client = Client()
            for name, page in pages.items():
                client.force_login(User.objects.get(username=page.username(seeded)))
                counts[name][size] = page_queries(client, page.url(seeded))
            transaction.set_rollback(True)
    return counts
