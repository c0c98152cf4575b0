from datetime import date

import pytest

from candidates.rules import add_months, age_in_months
from training.choices import ClassStatus
from training.rules import (
    ListChanges,
    certificate_date_problem,
    certificate_number,
    certificate_valid_until,
    list_change_problem,
    list_changes,
    list_state,
    result_attendance_problem,
    results_time_problem,
    session_attendance_problem,
    sessions_outside_round,
)

DEADLINE = date(2024, 3, 29)


@pytest.mark.parametrize(
    ("today", "status", "is_board", "allowed"),
    [
        (date(2024, 3, 28), ClassStatus.OPEN, False, True),
        (DEADLINE, ClassStatus.OPEN, False, True),  # the deadline day itself
        (date(2024, 3, 30), ClassStatus.OPEN, False, False),
        (date(2024, 3, 30), ClassStatus.OPEN, True, True),  # the Board may still correct
        (date(2024, 3, 20), ClassStatus.PLANNED, False, False),
        (date(2024, 3, 20), ClassStatus.IN_PROGRESS, False, False),
        (date(2024, 3, 20), ClassStatus.IN_PROGRESS, True, True),
        (date(2024, 3, 20), ClassStatus.FINISHED, True, False),
    ],
)
def test_list_change_problem(today, status, is_board, allowed):
    problem = list_change_problem(
        today=today, deadline=DEADLINE, class_status=status, is_board=is_board
    )
    assert (problem is None) is allowed
    if not allowed:
        assert problem  # a reason to show


def test_deadline_message_names_the_day():
    problem = list_change_problem(
        today=date(2024, 3, 30), deadline=DEADLINE, class_status=ClassStatus.OPEN, is_board=False
    )
    assert "29/03/2024" in problem


@pytest.mark.parametrize(
    ("issued", "until"),
    [
        (date(2024, 4, 19), date(2029, 4, 19)),
        (date(2024, 2, 29), date(2029, 2, 28)),  # no 29 February in 2029
    ],
)
def test_certificate_valid_sixty_months(issued, until):
    assert certificate_valid_until(issued) == until


def test_certificate_number():
    assert certificate_number("HS1/2024-", 7) == "HS1/2024-007"
    assert certificate_number("", 1234) == "1234"


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (date(2006, 5, 19), date(2024, 5, 18), 215),  # the day before the 18th birthday
        (date(2006, 5, 19), date(2024, 5, 19), 216),  # a full 18
        (date(2006, 1, 31), date(2024, 2, 29), 217),  # last day of a shorter month counts
        (date(2006, 2, 28), date(2024, 2, 27), 215),
    ],
)
def test_age_in_months(born, on, months):
    assert age_in_months(born=born, on=on) == months


def test_add_months_clamps():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


# --- what may be recorded when (issue 15, item 4) ------------------------------------------


DAY = date(2024, 4, 14)


@pytest.mark.parametrize(
    ("session_day", "refused"),
    [(date(2024, 4, 13), False), (DAY, False), (date(2024, 4, 15), True)],
)
def test_attendance_only_at_a_session_held(session_day, refused):
    assert bool(session_attendance_problem(session_day=session_day, today=DAY)) == refused


@pytest.mark.parametrize(
    ("last_day", "refused"),
    [(None, True), (date(2024, 4, 7), False), (DAY, False), (date(2024, 4, 21), True)],
)
def test_results_from_the_last_session_on(last_day, refused):
    assert bool(results_time_problem(today=DAY, last_day=last_day)) == refused


@pytest.mark.parametrize(
    ("result", "attended", "recorded", "refused"),
    [
        ("absent", 0, 2, False),
        ("absent", 1, 2, True),
        ("passed", 0, 2, True),
        ("failed", 0, 2, True),
        ("failed", 1, 2, False),
        ("passed", 0, 0, False),  # no attendance taken: the result is free
        ("", 0, 2, False),
    ],
)
def test_a_result_agrees_with_the_attendance(result, attended, recorded, refused):
    problem = result_attendance_problem(
        name="Nguyễn Văn An", result=result, attended=attended, recorded=recorded
    )
    assert bool(problem) == refused
    if problem:
        assert "Nguyễn Văn An" in problem


@pytest.mark.parametrize(
    ("dated", "refused"),
    [
        (date(2024, 4, 13), True),
        (DAY, False),
        (date(2024, 4, 20), False),
        (date(2024, 4, 21), True),
    ],
)
def test_certificates_between_the_last_session_and_today(dated, refused):
    problem = certificate_date_problem(dated=dated, today=date(2024, 4, 20), last_day=DAY)
    assert bool(problem) == refused


def test_sessions_outside_the_round():
    days = [date(2024, 3, 31), date(2024, 4, 7), date(2024, 6, 1)]
    assert sessions_outside_round(
        days=days, starts_on=date(2024, 4, 1), ends_on=date(2024, 5, 31)
    ) == [date(2024, 3, 31), date(2024, 6, 1)]


def _state(status: str, **people: str) -> dict:
    """list_state with people as keyword arguments: p1="draft" is candidate 1, not submitted."""
    return list_state(status, ((int(k[1:]), v) for k, v in people.items()))


@pytest.mark.parametrize(
    ("opened", "now", "changes"),
    [
        (_state("draft", p1="draft"), _state("draft", p1="draft"), ListChanges()),
        (_state("draft", p1="draft"), _state("draft", p1="draft", p2="draft"), ListChanges([2])),
        (
            _state("draft", p1="draft", p2="draft"),
            _state("draft", p2="draft"),
            ListChanges([], [1]),
        ),
        (
            _state("submitted", p1="pending", p2="pending"),
            _state("submitted", p1="accepted", p2="returned"),
            ListChanges(restated={"accepted": [1], "returned": [2]}),
        ),
        (
            _state("submitted", p1="pending"),
            _state("returned", p1="returned"),
            ListChanges(restated={"returned": [1]}, status="returned"),
        ),
        # signed into the page and back: the ids of people come back as text
        (
            {"status": "draft", "people": {"10": "draft"}},
            _state("draft", p10="draft"),
            ListChanges(),
        ),
    ],
)
def test_list_changes(opened, now, changes):
    assert list_changes(opened, now) == changes
    assert bool(list_changes(opened, now)) == bool(changes)
