"""Due dates counted once (issue 16 item 3): each waiting candidate's next step's due day is
stored when a step is recorded or an extension given, and counted again when the holiday
calendar or the rules data change, so "overdue" is an indexed query."""

from datetime import date

import pytest

from candidates.choices import Stage
from candidates.models import Candidate, DueBasis
from candidates.pipeline import DEADLINE_STEPS, due_basis_fingerprint
from candidates.selectors import candidate_list, candidates_due_on, candidates_flagged_only
from candidates.services import (
    candidates_due_recount,
    deadline_extend,
    due_dates_check,
    stage_event_record,
    step_undo,
)
from candidates.workdays import calendar_load

pytestmark = pytest.mark.django_db


def test_every_demo_candidate_has_the_due_day_the_rules_give(full_demo):
    """load_demo takes every service path that records steps: what it stored is what the
    rules count, and only the people waiting for a step have a day."""
    people = list(Candidate.objects.all())
    counted = candidates_due_on(people)
    assert counted  # the demo has people waiting for decisions, ceremonies, recognitions
    assert {c.pk: c.due_on for c in people if c.due_on} == counted
    assert all(c.stage in DEADLINE_STEPS for c in people if c.due_on)


def test_a_step_sets_the_day_an_extension_moves_it_and_an_undo_clears_it(ready, board):
    c = ready()
    assert c.due_on is None
    stage_event_record(actor=None, candidate=c, stage=Stage.CELL_RESOLUTION, dated=date(2025, 7, 1))
    c.refresh_from_db()
    assert c.due_on == date(2025, 9, 4)  # 294-QĐ/TW: 45 working days
    deadline_extend(
        actor=board, candidate=c, working_days=15, reason="Chờ thẩm tra bổ sung",
        dated=date(2025, 8, 20), today=date(2025, 9, 5),
    )  # fmt: skip
    c.refresh_from_db()
    assert c.due_on == calendar_load().add_working_days(date(2025, 9, 4), 15)
    step_undo(actor=board, candidate=c)
    c.refresh_from_db()
    assert (c.stage, c.due_on) == (Stage.BACKGROUND_VERIFIED, None)


def test_the_overdue_filter_is_one_query_on_the_stored_day(ready, board, django_assert_num_queries):
    late, on_time = ready(), ready()
    stage_event_record(
        actor=None, candidate=late, stage=Stage.CELL_RESOLUTION, dated=date(2024, 4, 2)
    )
    stage_event_record(
        actor=None, candidate=on_time, stage=Stage.CELL_RESOLUTION, dated=date(2024, 12, 2)
    )
    people = candidate_list(user=board)
    with django_assert_num_queries(0):  # narrowing builds a query, reads nothing
        overdue = candidates_flagged_only(people, flag="overdue", today=date(2024, 12, 31))
    with django_assert_num_queries(1):
        assert list(overdue.values_list("pk", flat=True)) == [late.pk]


def test_a_new_calendar_or_rules_file_has_the_days_counted_again(ready, board, monkeypatch):
    c = ready()
    stage_event_record(actor=None, candidate=c, stage=Stage.CELL_RESOLUTION, dated=date(2025, 7, 1))
    due_dates_check()  # the basis of this database: nothing to count again afterwards
    assert due_dates_check() is None
    assert DueBasis.objects.get().fingerprint == due_basis_fingerprint()

    # A release changes the holiday file: its fingerprint changes, the days are counted
    # again (here the stored day was wrong, as after a calendar correction).
    Candidate.objects.filter(pk=c.pk).update(due_on=date(2025, 1, 1))
    monkeypatch.setattr("candidates.services.due_basis_fingerprint", lambda: "f" * 64)
    assert due_dates_check() == 1
    c.refresh_from_db()
    assert c.due_on == date(2025, 9, 4)
    assert DueBasis.objects.get().fingerprint == "f" * 64
    assert due_dates_check() is None


def test_the_recount_goes_in_batches(ready):
    people = [ready() for _ in range(5)]
    for c in people:
        stage_event_record(
            actor=None, candidate=c, stage=Stage.CELL_RESOLUTION, dated=date(2025, 7, 1)
        )
    mine = Candidate.objects.filter(pk__in=[c.pk for c in people])
    mine.update(due_on=None)
    assert candidates_due_recount(batch=2) == 5  # the demo's own waiting people are right
    assert set(mine.values_list("due_on", flat=True)) == {date(2025, 9, 4)}
