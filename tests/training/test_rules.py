from datetime import date

import pytest

from candidates.rules import add_months, age_in_months
from training.choices import ClassStatus
from training.rules import (
    AGE_BASIS_GRADUATION,
    AGE_BASIS_PLAN_YEAR,
    AGE_BASIS_PLANNED,
    ListChanges,
    PersonKey,
    age_warning,
    capacity_warning,
    certificate_date_problem,
    certificate_number,
    certificate_valid_until,
    certificate_warning,
    duplicate_warning,
    duplicates_among,
    list_change_problem,
    list_changes,
    list_state,
    result_attendance_problem,
    results_time_problem,
    same_person_reason,
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


# --- the Board's review: warnings (issue 15, item 6) --------------------------------------

ADULT = 216  # months: every version of the rules so far (fixtures/pipeline_rules.json)


@pytest.mark.parametrize(
    ("born", "on", "warned"),
    [
        (date(2006, 12, 31), date(2024, 12, 31), False),  # the 18th birthday itself
        (date(2007, 1, 1), date(2024, 12, 31), True),  # one day short
        (date(2006, 5, 31), date(2024, 5, 31), False),
        (date(2006, 6, 1), date(2024, 5, 31), True),
    ],
)
def test_age_warning_when_not_a_full_18(born, on, warned):
    text = age_warning(born=born, on=on, basis=AGE_BASIS_PLANNED, min_age_months=ADULT)
    assert (text is not None) is warned
    if warned:  # the day checked and the 18th birthday, dd/mm/yyyy
        assert on.strftime("%d/%m/%Y") in text
        assert add_months(born, ADULT).strftime("%d/%m/%Y") in text


@pytest.mark.parametrize("basis", [AGE_BASIS_PLANNED, AGE_BASIS_GRADUATION, AGE_BASIS_PLAN_YEAR])
def test_age_warning_names_each_basis_differently(basis):
    texts = {
        b: age_warning(born=date(2007, 6, 1), on=date(2025, 5, 31), basis=b, min_age_months=ADULT)
        for b in (AGE_BASIS_PLANNED, AGE_BASIS_GRADUATION, AGE_BASIS_PLAN_YEAR)
    }
    assert texts[basis] and list(texts.values()).count(texts[basis]) == 1


@pytest.mark.parametrize(
    ("issued", "on", "warned"),
    [
        (date(2021, 4, 14), date(2026, 4, 14), True),  # the last valid day (60 months)
        (date(2021, 4, 14), date(2026, 4, 15), False),  # expired: they attend again
        (date(2024, 4, 14), date(2024, 10, 1), True),
    ],
)
def test_certificate_warning_only_while_valid(issued, on, warned):
    text = certificate_warning(issued=issued, on=on, class_name="Lớp HS đợt 1")
    assert (text is not None) is warned
    if warned:
        assert "Lớp HS đợt 1" in text
        assert certificate_valid_until(issued).strftime("%d/%m/%Y") in text


def test_certificate_warning_on_another_record_names_its_unit():
    text = certificate_warning(issued=date(2024, 4, 14), on=date(2024, 10, 1), elsewhere="THPT X")
    assert "THPT X" in text and "14/04/2024" in text


def _key(pk, citizen_id=None, name="Nguyễn Văn An", born=date(2006, 5, 1)):
    return PersonKey(pk, citizen_id, name, born)


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        (_key(1, "024206000001"), _key(2, "024206000001", "Trần Thị Hoa"), "citizen_id"),
        (_key(1), _key(2, name="nguyen  van AN"), "name_birth"),  # case, spaces
        (_key(1), _key(2, name="Nguyễn Văn Ân"), "name_birth"),  # accents
        (_key(1, name="Đặng Đức"), _key(2, name="Dang Duc"), "name_birth"),  # đ as d
        (_key(1), _key(2, born=date(2006, 5, 2)), None),  # another day of birth
        (_key(1), _key(2, name="Nguyễn Văn Anh"), None),
        (_key(1, born=None), _key(2, born=None), None),  # no date: not enough to say
        (_key(1, "024206000001"), _key(1, "024206000001"), None),  # the same record
    ],
)
def test_same_person_reason(a, b, reason):
    assert same_person_reason(a, b) == reason
    assert same_person_reason(b, a) == reason


def test_duplicates_among_pairs_every_match_once():
    people = [
        _key(1, "024206000001"),
        _key(2, "024206000001"),  # the same ID and the same name: one match, by ID
        _key(3, name="Lê Thị Hoa"),
        _key(4, name="Le Thi Hoa"),
        _key(5, name="Phạm Minh"),
    ]
    assert duplicates_among(people) == {
        1: [(2, "citizen_id")],
        2: [(1, "citizen_id")],
        3: [(4, "name_birth")],
        4: [(3, "name_birth")],
    }


def test_duplicate_warning_hides_a_name_outside_the_readers_scope():
    shown = duplicate_warning(reason="name_birth", name="Lê Thị Hoa", unit="THPT X", status="s")
    hidden = duplicate_warning(reason="name_birth", name="", unit="THPT X", status="s")
    assert "Lê Thị Hoa" in shown and "THPT X" in shown
    assert "Lê Thị Hoa" not in hidden and "THPT X" not in hidden


@pytest.mark.parametrize(
    ("capacity", "others", "on_list", "left"),
    [
        (None, 100, 52, None),  # no capacity: no limit
        (60, 20, 40, None),  # exactly the places left
        (60, 20, 52, 40),  # "52 people, 40 places left"
        (60, 70, 5, 0),  # capacity lowered under the places taken
        (60, 20, 0, None),
    ],
)
def test_capacity_warning(capacity, others, on_list, left):
    text = capacity_warning(capacity=capacity, taken_by_others=others, on_list=on_list)
    if left is None:
        assert text is None
    else:
        assert f"{on_list} " in text and f"{left} " in text and str(capacity) in text
