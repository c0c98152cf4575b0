"""The pages read a number of queries that does not grow with the rows or the units (issue
16): each is counted in a province of 30 units with 40 and with 400 candidates, and of 300
units with 400 candidates (``tests/scale.py``)."""

import pytest
from django.urls import reverse

from quotas.models import Plan

from .scale import SIZES, Page, board, growth, query_counts, secretary

pytestmark = pytest.mark.django_db


def _latest_plan(seeded) -> str:
    plan = Plan.objects.order_by("-year").first()
    return reverse("quotas:plan_dashboard", args=[plan.pk])


PAGES = {
    "board_home": Page(board, lambda s: reverse("home")),
    "secretary_home": Page(secretary, lambda s: reverse("home")),
    "candidate_list": Page(board, lambda s: reverse("candidates:candidate_list")),
    "secretary_candidate_list": Page(secretary, lambda s: reverse("candidates:candidate_list")),
    "dashboard": Page(board, _latest_plan),
    "class_list": Page(board, lambda s: reverse("training:class_list")),
}


# Pages whose queries grow, measured here, for the engineer who fixes them (strict: a fix
# turns the test into a failure until its mark goes). None at present.
GROWS_WITH_ROWS: dict[str, str] = {}
GROWS_WITH_UNITS: dict[str, str] = {}


def _pages(growing: dict[str, str]) -> list:
    return [
        pytest.param(page, marks=pytest.mark.xfail(strict=True, reason=growing[page]))
        if page in growing
        else page
        for page in PAGES
    ]


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return query_counts(PAGES)


def _check(counts, page: str, smaller: str, larger: str) -> None:
    small, large = counts[page][smaller], counts[page][larger]
    grew = growth(small, large)
    assert small.total() > 0
    assert not grew, (
        f"{page}: {small.total()} queries at {SIZES[smaller]} (units, candidates), "
        f"{large.total()} at {SIZES[larger]}; more often:\n"
        + "\n".join(f"  {a} → {b}: {sql[:300]}" for sql, (a, b) in grew.items())
    )


@pytest.mark.parametrize("page", _pages(GROWS_WITH_ROWS))
def test_queries_do_not_grow_with_the_rows(counts, page):
    _check(counts, page, "small", "rows")


@pytest.mark.parametrize("page", _pages(GROWS_WITH_UNITS))
def test_queries_do_not_grow_with_the_units(counts, page):
    _check(counts, page, "rows", "units")
