"""The admission rules as tables (DESIGN.md, "The pipeline and its rules")."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from candidates.rules import (
    IntroducerFact,
    RuleSet,
    adult_by,
    check_age,
    check_certificate,
    check_file_papers,
    check_introducers,
    check_resolution,
    deadline_after,
    ruleset_on,
    rulesets_parse,
)
from candidates.workdays import calendar_load

RULES = rulesets_parse(
    json.loads((Path(settings.BASE_DIR) / "fixtures" / "pipeline_rules.json").read_text())
)
R = ruleset_on(date(2025, 9, 1), RULES)
BORN = date(2006, 5, 19)


pytestmark = pytest.mark.usefixtures("vietnamese")


def test_the_version_in_force_is_chosen_by_date():
    assert ruleset_on(date(2020, 1, 1), RULES).code == "29-QĐ/TW"
    assert ruleset_on(date(2021, 7, 30), RULES).code == "24-QĐ/TW"
    assert ruleset_on(date(2025, 1, 20), RULES).code == "232-QĐ/TW"
    assert ruleset_on(date(2025, 6, 30), RULES).code == "232-QĐ/TW"
    assert ruleset_on(date(2025, 7, 1), RULES).code == "294-QĐ/TW"
    assert all(r.min_age_months == 216 for r in RULES)


def test_a_changed_figure_is_one_entry_of_data():
    data = {
        "defaults": {"min_age_months": 216},
        "versions": [
            {"code": "A", "name": "A", "valid_from": "2020-01-01", "valid_to": "2029-12-31"},
            {"code": "B", "name": "B", "valid_from": "2030-01-01", "valid_to": None,
             "min_age_months": 228},
        ],
    }  # fmt: skip
    a, b = rulesets_parse(data)
    assert check_age(born=BORN, on=date(2024, 5, 19), rules=a) == []
    assert check_age(born=BORN, on=date(2024, 5, 19), rules=b)[0].rule == "age"


@pytest.mark.parametrize(
    ("on", "blocked"),
    [
        (date(2024, 5, 18), True),  # the day before the 18th birthday
        (date(2024, 5, 19), False),  # the 18th birthday
        (date(2024, 6, 1), False),
        (date(2066, 5, 19), False),  # 60
        (date(2066, 6, 19), True),  # 60 and a month
    ],
)
def test_age(on, blocked):
    problems = check_age(born=BORN, on=on, rules=R)
    assert bool(problems) is blocked
    if blocked and on.year == 2024:
        assert "17 tuổi 11 tháng" in problems[0].message
        assert "19/05/2024" in problems[0].message  # when they will be old enough
        assert str(problems[0]).startswith("294-QĐ/TW: ")


def test_adult_by_for_early_flags():
    assert adult_by(born=BORN, rules=R) == date(2024, 5, 19)
    assert adult_by(born=date(2006, 2, 29 - 1), rules=R) == date(2024, 2, 28)


@pytest.mark.parametrize(
    ("issued", "blocked"),
    [
        (date(2019, 6, 1), False),  # 59 months before 1/5/2024
        (date(2019, 5, 1), False),  # exactly 60 months
        (date(2019, 4, 1), True),  # 61 months
        (None, True),
    ],
)
def test_certificate_age(issued, blocked):
    problems = check_certificate(issued=issued, on=date(2024, 5, 1), rules=R)
    assert bool(problems) is blocked
    if issued == date(2019, 4, 1):
        assert "01/04/2024" in problems[0].message  # valid until


FULL = IntroducerFact("Nguyễn Văn A", full_member=True, since=date(2022, 9, 5))
FULL2 = IntroducerFact("Trần Thị B", full_member=True, since=None)
PROBATIONARY = IntroducerFact("Lê Văn C", full_member=False, since=date(2022, 9, 5))
NEW = IntroducerFact("Phạm Văn D", full_member=True, since=date(2024, 1, 2))


@pytest.mark.parametrize(
    ("introducers", "union", "member", "blocked"),
    [
        ([FULL, FULL2], "", True, False),  # two full members
        ([FULL], "youth_union", True, False),  # one plus a Youth Union resolution
        ([FULL], "trade_union", False, False),  # one plus a trade-union resolution
        ([FULL], "", True, True),  # one alone
        ([FULL], "youth_union", False, True),  # youth age, not a Youth Union member
        ([FULL, PROBATIONARY], "", True, True),  # a probationary member does not count
        ([FULL, NEW], "", True, True),  # known for less than 12 months
        ([], "youth_union", True, True),
    ],
)
def test_introducers(introducers, union, member, blocked):
    problems = check_introducers(
        introducers=introducers,
        union_resolution=union,
        youth_union_member=member,
        born=BORN,
        on=date(2024, 6, 1),
        rules=R,
    )
    assert bool(problems) is blocked
    assert all(p.rule == "introducers" for p in problems)


@pytest.mark.parametrize(
    ("votes", "members", "blocked"),
    [
        (5, 7, False),  # 5/7 ≥ 2/3
        (4, 7, True),  # 4/7 < 2/3
        (2, 3, False),
        (6, 9, False),
        (0, 0, True),
        (8, 7, True),
    ],
)
def test_resolution_two_thirds_of_all_full_members(votes, members, blocked):
    problems = check_resolution(votes_for=votes, full_members=members, rules=R)
    assert bool(problems) is blocked
    if (votes, members) == (4, 7):
        assert "5" in problems[0].message and "2/3" in problems[0].message


CAL = calendar_load()


@pytest.mark.parametrize(
    ("step", "start", "due"),
    [
        # 60 working days from Mon 5/2/2024 skip the Tết break (8–14/2), Giỗ Tổ (18/4) and
        # 29/4–1/5, and count the swapped Saturday 4/5: Thu 9/5/2024.
        ("admission_decision", date(2024, 2, 5), date(2024, 5, 9)),
        # 30 working days from Mon 20/1/2025 skip Tết (27–31/1/2025): Mon 10/3/2025.
        ("ceremony", date(2025, 1, 20), date(2025, 3, 10)),
        # probation 12 months from the ceremony, then 30 working days
        ("recognition", date(2024, 9, 2), date(2025, 10, 14)),
    ],
)
def test_deadlines_in_working_days(step, start, due):
    rules = ruleset_on(start, RULES)  # the version in force on the day of the step before
    assert deadline_after(step=step, start=start, rules=rules, calendar=CAL).due == due


# Every figure of every version, as the rules file gives it (docs/decisions.md, the table):
# (figure, {version: value}). A figure that changes is checked the day before and the day of
# the change by ``test_each_change_on_both_sides``.
FIGURES = {
    "min_age_months": {"29-QĐ/TW": 216, "24-QĐ/TW": 216, "232-QĐ/TW": 216, "294-QĐ/TW": 216},
    "max_age_years": {"29-QĐ/TW": 60, "24-QĐ/TW": 60, "232-QĐ/TW": 60, "294-QĐ/TW": 60},
    "certificate_valid_months": {"29-QĐ/TW": 60, "24-QĐ/TW": 60, "232-QĐ/TW": 60, "294-QĐ/TW": 60},
    "introducers_needed": {"29-QĐ/TW": 2, "24-QĐ/TW": 2, "232-QĐ/TW": 2, "294-QĐ/TW": 2},
    "union_resolution_replaces": {"29-QĐ/TW": 1, "24-QĐ/TW": 1, "232-QĐ/TW": 1, "294-QĐ/TW": 1},
    "introducer_acquaintance_months": {
        "29-QĐ/TW": 12, "24-QĐ/TW": 12, "232-QĐ/TW": 12, "294-QĐ/TW": 12,
    },
    "resolution_share": {
        "29-QĐ/TW": "2/3", "24-QĐ/TW": "2/3", "232-QĐ/TW": "2/3", "294-QĐ/TW": "2/3",
    },
    "decision_share": {
        "29-QĐ/TW": "1/2", "24-QĐ/TW": "1/2", "232-QĐ/TW": "1/2", "294-QĐ/TW": "1/2",
    },
    "decision_working_days": {"29-QĐ/TW": 60, "24-QĐ/TW": 60, "232-QĐ/TW": 60, "294-QĐ/TW": 45},
    "decision_extension_working_days": {
        "29-QĐ/TW": 30, "24-QĐ/TW": 30, "232-QĐ/TW": 30, "294-QĐ/TW": 15,
    },
    "ceremony_working_days": {"29-QĐ/TW": 30, "24-QĐ/TW": 30, "232-QĐ/TW": 30, "294-QĐ/TW": 30},
    "probation_months": {"29-QĐ/TW": 12, "24-QĐ/TW": 12, "232-QĐ/TW": 12, "294-QĐ/TW": 12},
    "recognition_working_days": {"29-QĐ/TW": 30, "24-QĐ/TW": 30, "232-QĐ/TW": 30, "294-QĐ/TW": 30},
    "file_papers_valid_months": {"29-QĐ/TW": 12, "24-QĐ/TW": 12, "232-QĐ/TW": 12, "294-QĐ/TW": 12},
}  # fmt: skip


@pytest.mark.parametrize("figure", sorted(FIGURES))
def test_every_figure_of_every_version_has_its_value_and_clause(figure):
    for rules in RULES:
        expected = FIGURES[figure][rules.code]
        value = getattr(rules, figure)
        assert str(value) == str(expected), (figure, rules.code)
        clause = rules.clause(figure)
        assert clause and clause != rules.code, (figure, rules.code)


@pytest.mark.parametrize("figure", sorted(FIGURES))
def test_each_change_on_both_sides(figure):
    """The day before a version takes effect gives the old figure, the day itself the new."""
    for before, after in zip(RULES, RULES[1:], strict=False):
        day = after.valid_from
        assert getattr(ruleset_on(day - timedelta(days=1), RULES), figure) == getattr(
            before, figure
        )
        assert getattr(ruleset_on(day, RULES), figure) == getattr(after, figure)


@pytest.mark.parametrize(
    ("resolution", "due", "code", "clause"),
    [
        # A cell resolution of Mon 30/6/2025 falls under 232-QĐ/TW: 60 working days — July
        # 23, August 21, then 3/9 on (1–2/9 are the National Day holiday): Wed 24/9/2025.
        (date(2025, 6, 30), date(2025, 9, 24), "232-QĐ/TW", "232-QĐ/TW 4.3.1"),
        # One of Tue 1/7/2025 falls under 294-QĐ/TW: 45 working days — 2–31 July 22,
        # August 21, then 3/9 and 4/9: Thu 4/9/2025 (under the old 60 it would be 25/9).
        (date(2025, 7, 1), date(2025, 9, 4), "294-QĐ/TW", "294-QĐ/TW 4.3.1"),
    ],
)
def test_the_decision_deadline_follows_the_version_of_the_resolution_day(
    resolution, due, code, clause
):
    rules = ruleset_on(resolution, RULES)
    deadline = deadline_after(
        step="admission_decision", start=resolution, rules=rules, calendar=CAL
    )
    assert (deadline.due, deadline.rules, rules.clause("decision_working_days")) == (
        due,
        code,
        clause,
    )


def test_ruleset_defaults_are_the_design_figures():
    r = RuleSet(code="x", name="x", valid_from=date(2020, 1, 1), valid_to=None)
    assert (r.decision_working_days, r.ceremony_working_days, r.probation_months) == (60, 30, 12)
    assert r.clause("decision_working_days") == "x"  # no clause in the data: the version


@pytest.mark.parametrize(
    ("dated", "blocked"),
    [
        (date(2025, 9, 1), False),  # exactly 12 months before the cell's day: still valid
        (date(2025, 8, 31), True),  # one day older: redone (06-HD/TW 5.4a)
    ],
)
def test_papers_older_than_twelve_months_must_be_redone(dated, blocked):
    on = date(2026, 9, 1)
    rules = ruleset_on(on, RULES)
    problems = check_file_papers(papers=[("Giấy giới thiệu", dated)], on=on, rules=rules)
    assert bool(problems) is blocked
    if blocked:
        assert problems[0].ruleset == "06-HD/TW 5.4a"
        assert "Giấy giới thiệu (31/08/2025)" in problems[0].message
