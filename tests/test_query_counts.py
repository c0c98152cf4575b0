"""The pages read a number of queries that does not grow with the rows (issue 16): each is
counted in a province with 100 and with 1,000 candidates (``tests/scale.py``)."""

import pytest
from django.urls import reverse

from core.dates import today
from quotas.models import Plan

from .scale import SIZES, Page, board, growth, query_counts, secretary

# A query that runs only when some rows exist (the deadlines of people waiting for a
# decision, when someone is) may run at the larger size only: a tiny constant, not growth.
SLACK = 2
pytestmark = pytest.mark.django_db


def _current_plan(seeded) -> str:
    plan = Plan.objects.get(year=today().year)
    return reverse("quotas:plan_dashboard", args=[plan.pk])


PAGES = {
    "board_home": Page(board, lambda s: reverse("home")),
    "secretary_home": Page(secretary, lambda s: reverse("home")),
    "candidate_list": Page(board, lambda s: reverse("candidates:candidate_list")),
    "secretary_candidate_list": Page(secretary, lambda s: reverse("candidates:candidate_list")),
    "dashboard": Page(board, _current_plan),
    "class_list": Page(board, lambda s: reverse("training:class_list")),
}


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return query_counts(PAGES)


@pytest.mark.parametrize("page", list(PAGES))
def test_queries_do_not_grow_with_the_rows(counts, page):
    small, large = counts[page]
    assert small.total() > 0
    assert large.total() <= small.total() + SLACK, (
        f"{page}: {small.total()} queries with {SIZES[0]} candidates, {large.total()} with "
        f"{SIZES[1]}:\n{growth(small, large)}"
    )
