"""The candidates' to-do items: decisions due for those who decide, steps and papers for
those who keep the files (issue 15, item 1), from ``candidates_due`` and
``papers_expiring``."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.choices import Stage
from candidates.models import Candidate
from candidates.selectors import candidates_due, todo_for
from candidates.workdays import calendar_load

pytestmark = pytest.mark.django_db


def _user(name):
    return get_user_model().objects.get(username=name)


def _groups(user, today):
    return {g.group: g.items for g in todo_for(user=user, today=today)}


def _waiting(stage):
    people = list(Candidate.objects.filter(stage=stage).select_related("unit"))
    dues = candidates_due(people, today=people[0].events.first().dated)
    return people, dues


def test_decisions_due_reach_the_board_ten_working_days_before(full_demo):
    board = _user("bantochuc")
    people, dues = _waiting(Stage.CELL_RESOLUTION)
    person = people[0]
    due = dues[person.pk].deadline.due
    calendar = calendar_load()
    before = due - timedelta(days=30)
    while calendar.working_days_between(before, due) > 10:
        before += timedelta(days=1)
    mine = [
        i
        for i in _groups(board, before).get("candidates.decision", [])
        if i.url == person.get_absolute_url()
    ]
    assert len(mine) == 1 and mine[0].threshold() == 10 and mine[0].working_days
    late = [
        i
        for i in _groups(board, due + timedelta(days=1)).get("candidates.decision", [])
        if i.url == person.get_absolute_url()
    ]
    assert late[0].urgency == "overdue" and late[0].threshold() == -1
    assert "candidates.step" not in _groups(board, due)  # the cells' steps are not the Board's


def test_a_secretary_sees_papers_expiring_not_the_boards_decisions(full_demo):
    from candidates.rules import add_months, ruleset_on

    secretary = _user("bithu.thpt1")
    person = Candidate.objects.filter(
        unit=full_demo["THPT-HH1"], stage=Stage.CERTIFIED, certificate_date__isnull=False
    ).first()
    until = add_months(
        person.certificate_date, ruleset_on(person.certificate_date).certificate_valid_months
    )
    day = until - timedelta(days=20)
    groups = _groups(secretary, day)
    assert "candidates.decision" not in groups
    papers = [i for i in groups["candidates.papers"] if i.url == person.get_absolute_url()]
    assert papers[0].due == until and papers[0].days_left == 20
    assert papers[0].threshold() == 30 and not papers[0].working_days
    assert "candidates.papers" not in _groups(_user("bantochuc"), day)  # the cell's work


def test_queries_are_constant(full_demo):
    board = _user("bantochuc")
    people, dues = _waiting(Stage.CELL_RESOLUTION)
    day = max(d.deadline.due for d in dues.values())
    todo_for(user=board, today=day)
    with CaptureQueriesContext(connection) as queries:
        groups = todo_for(user=board, today=day)
    assert sum(len(g.items) for g in groups) >= 1
    assert len(queries) <= 8


def test_late_people_are_split_by_whose_step_is_due(full_demo):
    """The home page's late count (``candidates_overdue_split``) in the demo on 07/12/2026:
    the town committee's staff have one late person whose committee resolution is on record
    — the district decides, so that one waits above them and their to-do is empty; the
    district's Board decides, and its standing office oversees, so every late person they
    see is theirs."""
    from candidates.pipeline import DEADLINE_STEPS
    from candidates.selectors import candidate_list, candidates_overdue_split

    today = date(2026, 12, 7)

    def split(name):
        user = _user(name)
        return candidates_overdue_split(candidate_list(user=user), user=user, today=today)

    thang = _user("danguy.thang")
    assert split("danguy.thang") == {"overdue": 0, "overdue_above": 1}
    assert "candidates.decision" not in _groups(thang, today)
    late = candidate_list(user=_user("bantochuc")).filter(
        stage__in=list(DEADLINE_STEPS), due_on__lt=today
    )
    assert late.count() >= 2
    assert split("bantochuc") == {"overdue": late.count(), "overdue_above": 0}
    # The standing office keeps no files and oversees: nothing is "above" it either.
    assert split("thuongtruc") == {"overdue": late.count(), "overdue_above": 0}
