"""quotas.rules: the status of a target on a day, as tables. No database."""

from datetime import date

import pytest

from quotas.choices import PlanStatus, Status
from quotas.rules import (
    expected_by,
    parse_past_year,
    plan_status,
    progress_status,
    shift_year_in_text,
    shift_years,
)

START, END = date(2024, 1, 1), date(2024, 5, 19)  # "by 19/5" (seed 001, II.2.1)
BEFORE, AT, AFTER = date(2024, 5, 18), END, date(2024, 5, 20)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2023, 12, 31), 0),  # before the period: nothing expected
        (START, 0),  # day 1 of 140: 8 * 1 // 140
        (date(2024, 3, 10), 4),  # day 70 of 140: half
        (AT, 8),
        (AFTER, 8),
    ],
)
def test_expected_by_an_even_pace(on, expected):
    assert expected_by(minimum=8, start=START, end=END, on=on) == expected


@pytest.mark.parametrize(
    ("actual", "minimum", "maximum", "on", "status", "over"),
    [
        # "from 8 to 10 by 19/5": before, at and after the milestone
        (8, 8, 10, BEFORE, Status.MET, False),
        (10, 8, 10, AT, Status.MET, False),
        (11, 8, 10, AT, Status.MET, True),  # more than the maximum: met, but flagged
        (7, 8, 10, BEFORE, Status.ON_TRACK, False),  # 7 >= 8 * 138 // 140 = 7
        (6, 8, 10, BEFORE, Status.BEHIND, False),
        (7, 8, 10, AT, Status.BEHIND, False),  # the deadline day still counts
        (7, 8, 10, AFTER, Status.MISSED, False),
        (9, 8, 10, AFTER, Status.MET, False),
        # "at least 1": zero early in the period is on track
        (0, 1, None, date(2024, 2, 1), Status.ON_TRACK, False),
        (0, 1, None, AFTER, Status.MISSED, False),
        # only a ceiling: met while not exceeded
        (3, None, 5, BEFORE, Status.MET, False),
        (6, None, 5, BEFORE, Status.MISSED, True),
    ],
)
def test_count_targets(actual, minimum, maximum, on, status, over):
    verdict = progress_status(
        actual=actual, minimum=minimum, maximum=maximum, start=START, end=END, on=on
    )
    assert verdict.status == status
    assert verdict.over_maximum is over


@pytest.mark.parametrize(
    ("part", "total", "minimum", "on", "status"),
    [
        # "at least 2% of all new members are non-state-enterprise workers" (seed 002)
        (1, 50, 2, BEFORE, Status.MET),  # exactly 2%
        (1, 51, 2, BEFORE, Status.BEHIND),  # 1.96%
        (1, 51, 2, AFTER, Status.MISSED),
        (0, 0, 2, BEFORE, Status.ON_TRACK),  # nothing admitted yet
        (0, 0, 2, AFTER, Status.MISSED),
        # "at least 70% come from the Youth Union" (seed 004)
        (7, 10, 70, AT, Status.MET),
        (69, 100, 70, AT, Status.BEHIND),
        (69, 100, 70, AFTER, Status.MISSED),
    ],
)
def test_share_targets(part, total, minimum, on, status):
    verdict = progress_status(
        actual=part, minimum=minimum, maximum=None, start=START, end=END, on=on, total=total
    )
    assert verdict.status == status


@pytest.mark.parametrize(
    "raw, year",
    [
        (2021, 2021),
        (2021.0, 2021),
        (" 2021 ", 2021),
        ("2023", 2023),
        (1930, 1930),
        (None, None),
        ("", None),
    ],
)
def test_a_past_year_is_read(raw, year):
    assert parse_past_year(raw, today=date(2024, 6, 1)) == (year, None)


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("20x3", "20x3"),
        (2021.5, "2021.5"),
        ("21", "21"),
        ("２０２１", "２０２１"),  # full-width digits are not a year a user typed
        (True, "True"),
        (date(2021, 1, 1), "2021-01-01"),
        (1929, "1929"),
        (2024, "2024"),  # not over yet
        (2031, "2031"),
    ],
)
def test_what_is_not_a_past_year_is_refused_with_the_value(raw, shown):
    year, error = parse_past_year(raw, today=date(2024, 6, 1))
    assert year is None and shown in error


# --- a plan's status follows its dates (issue 15, item 8) ----------------------------------

ISSUED_ON = date(2024, 3, 20)  # Plan 145/KH-HU, for 2024


@pytest.mark.parametrize(
    ("setting", "today", "status"),
    [
        ("draft", date(2024, 6, 1), PlanStatus.DRAFT),  # a draft stays a draft
        ("draft", date(2026, 12, 7), PlanStatus.DRAFT),
        ("issued", date(2024, 3, 19), PlanStatus.UPCOMING),  # before its date
        ("issued", ISSUED_ON, PlanStatus.IN_FORCE),  # from its date
        ("issued", date(2024, 12, 31), PlanStatus.IN_FORCE),  # through the year's end
        ("issued", date(2025, 1, 1), PlanStatus.CLOSED),  # closed after 31/12
        ("issued", date(2026, 12, 7), PlanStatus.CLOSED),
        ("in_force", date(2026, 12, 7), PlanStatus.IN_FORCE),  # the Board kept it in force
        ("closed", date(2024, 6, 1), PlanStatus.CLOSED),  # the Board closed it early
        ("closed", date(2024, 3, 1), PlanStatus.CLOSED),
    ],
)
def test_a_plans_status_follows_its_dates_unless_the_board_says_otherwise(setting, today, status):
    assert plan_status(setting=setting, issued_on=ISSUED_ON, year=2024, today=today) == status


def test_a_plan_issued_in_december_for_next_year_is_in_force_from_its_date():
    day = date(2023, 12, 25)
    assert plan_status(setting="issued", issued_on=day, year=2024, today=day) == "in_force"
    assert plan_status(setting="issued", issued_on=day, year=2024, today=date(2024, 12, 31)) == (
        "in_force"
    )


@pytest.mark.parametrize(
    ("day", "years", "shifted"),
    [
        (date(2024, 5, 19), 1, date(2025, 5, 19)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),  # no 29/02 in 2025
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 12, 31), 1, date(2025, 12, 31)),
    ],
)
def test_shift_years_keeps_day_and_month(day, years, shifted):
    assert shift_years(day, years) == shifted


@pytest.mark.parametrize(
    ("text", "shifted"),
    [
        ("Đợt 1 – tháng 4/2024", "Đợt 1 – tháng 4/2025"),
        ("Kết nạp nhân dịp 19/5/2024", "Kết nạp nhân dịp 19/5/2025"),
        ("nhiệm kỳ 2020 - 2025", "nhiệm kỳ 2020 - 2025"),  # other years stay
        ("số 120245", "số 120245"),  # not a year: part of a longer number
    ],
)
def test_shift_year_in_text_moves_only_the_plans_year(text, shifted):
    assert shift_year_in_text(text, old=2024, new=2025) == shifted


DUE = date(2024, 10, 4)  # a round-2 class's nomination deadline


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 8, 15), 0),  # months before the class: nothing expected yet
        (DUE, 0),  # the deadline day itself: lists may still come in
        (date(2024, 10, 5), 2),  # the day after: everything
    ],
)
def test_a_step_target_expects_nothing_before_its_day(on, expected):
    assert (
        expected_by(minimum=2, start=date(2024, 6, 1), end=date(2024, 10, 31), on=on, due=DUE)
        == expected
    )


@pytest.mark.parametrize(
    ("actual", "on", "status"),
    [
        (0, date(2024, 8, 15), Status.ON_TRACK),  # an even pace would already want 1 of 2
        (1, date(2024, 10, 10), Status.BEHIND),  # the deadline passed, the round goes on
        (0, date(2024, 11, 1), Status.MISSED),  # the target's deadline passed
        (2, date(2024, 8, 15), Status.MET),
    ],
)
def test_a_step_target_is_behind_only_after_its_day(actual, on, status):
    verdict = progress_status(
        actual=actual,
        minimum=2,
        maximum=None,
        start=date(2024, 6, 1),
        end=date(2024, 10, 31),
        on=on,
        due=DUE,
    )
    assert verdict.status == status


def test_an_even_pace_at_the_same_day_would_call_it_behind():
    """The reason for the step: the even pace over June–October wants some by mid-August."""
    verdict = progress_status(
        actual=0,
        minimum=4,
        maximum=None,
        start=date(2024, 6, 1),
        end=date(2024, 10, 31),
        on=date(2024, 8, 15),
    )
    assert (verdict.status, verdict.expected) == (Status.BEHIND, 1)


def test_a_given_expectation_wins_over_the_pace():
    """A roll-up's expectation is the sum of its units' own."""
    verdict = progress_status(
        actual=3,
        minimum=10,
        maximum=None,
        start=START,
        end=END,
        on=date(2024, 3, 10),
        expected=3,
    )
    assert (verdict.status, verdict.expected) == (Status.ON_TRACK, 3)
