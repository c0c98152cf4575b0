"""Steps recorded through the services: the rules checked on the day, transfers keeping the
history, deadlines in working days, flags."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from candidates.choices import DocumentKind, Stage
from candidates.models import Candidate, StageEvent
from candidates.pipeline import needs_committee, stage_next, underage_on_plan
from candidates.selectors import candidate_list, candidates_due, with_duplicate_flag
from candidates.services import (
    StepRefused,
    candidate_transfer,
    step_record,
    step_undo,
    steps_record_many,
)
from candidates.workdays import WorkCalendar
from tests.factories import mentor_assessment_add

TODAY = date(2024, 12, 31)


pytestmark = pytest.mark.usefixtures("vietnamese")


@pytest.fixture
def board(demo_user):
    return demo_user("bantochuc")


def resolve(actor, c, day, votes=(14, 16), **kwargs):
    return step_record(
        actor=actor, candidate=c, stage=Stage.CELL_RESOLUTION, dated=day,
        document_number="05-NQ/CB", votes_for=votes[0], full_members=votes[1], today=TODAY,
        **kwargs,
    )  # fmt: skip


def refused(call) -> list:
    with pytest.raises(StepRefused) as info:
        call()
    return info.value.problems


def test_the_cell_resolution_on_the_18th_birthday_passes_the_day_before_is_refused(
    ready, secretary
):
    c = ready(born=date(2006, 3, 10))
    problems = refused(lambda: resolve(secretary, c, date(2024, 3, 9)))
    assert [p.rule for p in problems] == ["age"]
    assert problems[0].ruleset == "24-QĐ/TW"
    assert "10/03/2024" in problems[0].message  # says when they are a full 18
    event = resolve(secretary, c, date(2024, 3, 10))
    c.refresh_from_db()
    assert c.stage == Stage.CELL_RESOLUTION
    assert (event.votes_for, event.full_members, event.rules) == (14, 16, "24-QĐ/TW")


def test_a_certificate_61_months_old_is_refused_59_passes(ready, secretary):
    # On 11/03/2024 a certificate of 10/02/2019 is 61 months old, one of 12/04/2019 59.
    old = ready(certified=date(2019, 2, 10))
    problems = refused(lambda: resolve(secretary, old, date(2024, 3, 11)))
    assert [p.rule for p in problems] == ["certificate"]
    assert "10/02/2024" in problems[0].message
    fresh = ready(certified=date(2019, 4, 12))
    resolve(secretary, fresh, date(2024, 3, 11))
    assert Candidate.objects.get(pk=fresh.pk).stage == Stage.CELL_RESOLUTION


def test_one_introducer_needs_the_union_resolution(ready, secretary):
    alone = ready(union="")
    problems = refused(lambda: resolve(secretary, alone, date(2024, 4, 2)))
    assert {p.rule for p in problems} == {"introducers"}
    assert "2" in problems[0].message
    two = ready(union="", introducers=2)
    resolve(secretary, two, date(2024, 4, 2))


def test_the_union_resolution_must_be_on_file(ready, secretary):
    c = ready()
    c.documents.filter(kind=DocumentKind.UNION_RESOLUTION).delete()
    problems = refused(lambda: resolve(secretary, c, date(2024, 4, 2)))
    assert [p.rule for p in problems] == ["introducers"]
    assert "4-KNĐ" in problems[0].message


def test_a_union_resolution_more_than_12_months_old_must_be_redone(ready, secretary):
    # The resolution on file is of 20/02/2024: on 20/02/2025 it is 12 months old and
    # valid; on 21/02/2025 (under 232-QĐ/TW, the 2021 guidance 5.4a) it must be redone.
    c = ready()
    problems = refused(
        lambda: step_record(
            actor=secretary, candidate=c, stage=Stage.CELL_RESOLUTION, dated=date(2025, 2, 21),
            document_number="05-NQ/CB", votes_for=14, full_members=16, today=date(2025, 3, 1),
        )
    )  # fmt: skip
    assert [p.rule for p in problems] == ["papers"]
    assert "20/02/2024" in problems[0].message and "5.4a" in problems[0].ruleset
    step_record(
        actor=secretary, candidate=c, stage=Stage.CELL_RESOLUTION, dated=date(2025, 2, 20),
        document_number="05-NQ/CB", votes_for=14, full_members=16, today=date(2025, 3, 1),
    )  # fmt: skip
    c.refresh_from_db()
    assert c.stage == Stage.CELL_RESOLUTION


@pytest.mark.parametrize(("votes", "ok"), [((4, 7), False), ((5, 7), True), ((8, 7), False)])
def test_two_thirds_of_all_full_members(ready, secretary, votes, ok):
    c = ready()
    if ok:
        resolve(secretary, c, date(2024, 4, 2), votes=votes)
    else:
        assert [
            p.rule for p in refused(lambda: resolve(secretary, c, date(2024, 4, 2), votes=votes))
        ] == ["resolution"]  # noqa: E501


def test_dates_must_follow_the_last_step_and_not_be_in_the_future(ready, secretary):
    c = ready(born=date(2005, 1, 1))
    problems = refused(lambda: resolve(secretary, c, date(2024, 2, 20)))  # before verification
    assert [p.rule for p in problems] == ["date"]
    problems = refused(
        lambda: step_record(actor=secretary, candidate=c, stage=Stage.CELL_RESOLUTION,
                            dated=date(2025, 1, 2), votes_for=5, full_members=7, today=TODAY)
    )  # fmt: skip
    assert "date" in {p.rule for p in problems}


def test_steps_cannot_be_skipped_and_only_the_board_decides(ready, secretary, board):
    c = ready()
    problems = refused(
        lambda: step_record(actor=secretary, candidate=c, stage=Stage.CEREMONY,
                            dated=date(2024, 4, 2), today=TODAY)
    )  # fmt: skip
    assert [p.rule for p in problems] == ["order"]
    resolve(secretary, c, date(2024, 4, 2))
    assert Stage.ADMISSION_DECISION not in stage_next(c, decides=False)
    problems = refused(
        lambda: step_record(actor=secretary, candidate=c, stage=Stage.ADMISSION_DECISION,
                            dated=date(2024, 4, 20), document_number="1-QĐ/HU", today=TODAY)
    )  # fmt: skip
    assert [p.rule for p in problems] == ["decider"]
    problems = refused(
        lambda: step_record(actor=board, candidate=c, stage=Stage.ADMISSION_DECISION,
                            dated=date(2024, 4, 20), today=TODAY)
    )  # fmt: skip
    assert [p.rule for p in problems] == ["document"]
    step_record(actor=board, candidate=c, stage=Stage.ADMISSION_DECISION, dated=date(2024, 4, 20),
                document_number="1234-QĐ/HU", today=TODAY)  # fmt: skip
    step_record(actor=secretary, candidate=c, stage=Stage.CEREMONY, dated=date(2024, 5, 10),
                today=TODAY)  # fmt: skip
    c.refresh_from_db()
    assert c.stage == Stage.PROBATIONARY  # after the ceremony
    problems = refused(
        lambda: step_record(actor=secretary, candidate=c, stage=Stage.FULL_MEMBER,
                            dated=date(2025, 5, 9), today=date(2025, 6, 1))
    )  # fmt: skip
    assert [p.rule for p in problems] == ["probation", "mentor"]
    mentor_assessment_add(c, date(2025, 5, 10))  # the written assessment (06-HD/TW 4.3)
    step_record(actor=secretary, candidate=c, stage=Stage.FULL_MEMBER, dated=date(2025, 5, 10),
                today=date(2025, 6, 1))  # fmt: skip
    c.refresh_from_db()
    assert c.stage == Stage.FULL_MEMBER and stage_next(c, decides=True) == []


def test_a_late_recognition_is_full_from_the_day_the_12_months_end(ready, secretary, board):
    # 294-QĐ/TW 4.2.2: the ceremony of 10/5/2024 makes them full on 10/5/2025, even though
    # the cell only meets on 14/7/2025; party age counts from the decision of 20/4/2024.
    from candidates.pipeline import party_dates

    c = ready()
    resolve(secretary, c, date(2024, 4, 2))
    step_record(actor=board, candidate=c, stage=Stage.ADMISSION_DECISION, dated=date(2024, 4, 20),
                document_number="1234-QĐ/HU", today=TODAY)  # fmt: skip
    step_record(actor=secretary, candidate=c, stage=Stage.CEREMONY, dated=date(2024, 5, 10),
                today=TODAY)  # fmt: skip
    mentor_assessment_add(c, date(2025, 5, 12))
    late = step_record(actor=secretary, candidate=c, stage=Stage.FULL_MEMBER,
                       dated=date(2025, 7, 14), today=date(2025, 7, 14))  # fmt: skip
    assert (late.dated, late.effective_on) == (date(2025, 7, 14), date(2025, 5, 10))
    assert party_dates(c) == (date(2024, 4, 20), date(2025, 5, 10))


def test_enterprise_cells_under_a_commune_committee_need_its_resolution(demo, ready, demo_user):
    assert needs_committee(demo["DN-HAPHONG"]) and not needs_committee(demo["THPT-HH1"])
    c = ready("DN-HAPHONG", born=date(1998, 1, 1), category="worker", union="trade_union")
    resolve(demo_user("bithu.haphong"), c, date(2024, 4, 2))
    assert stage_next(c, decides=True)[0] == Stage.COMMITTEE_RESOLUTION


def test_secretaries_change_only_their_units(ready, demo_user):
    c = ready("THPT-HH2")
    with pytest.raises(PermissionDenied):
        resolve(demo_user("bithu.thpt1"), c, date(2024, 4, 2))
    with pytest.raises(PermissionDenied):
        resolve(demo_user("thuongtruc"), c, date(2024, 4, 2))


def test_one_cell_resolution_for_three_records_two_and_refuses_one(ready, secretary):
    people = [ready(), ready(), ready(born=date(2006, 6, 1))]
    outcome = steps_record_many(
        actor=secretary, candidates=people, stage=Stage.CELL_RESOLUTION,
        dated=date(2024, 4, 2), document_number="07-NQ/CB", votes={c.pk: 15 for c in people},
        full_members=16, today=TODAY,
    )  # fmt: skip
    assert len(outcome.recorded) == 2
    [(who, problems)] = outcome.refused
    assert who == people[2] and [p.rule for p in problems] == ["age"]
    assert Candidate.objects.get(pk=people[2].pk).stage == Stage.BACKGROUND_VERIFIED


def test_a_transfer_keeps_the_history_and_the_stage(demo, ready, secretary, demo_user):
    c = ready()
    resolve(secretary, c, date(2024, 4, 2))
    before = list(c.events.values_list("stage", flat=True))
    with pytest.raises(ValidationError):
        candidate_transfer(actor=secretary, candidate=c, to_unit=demo["HU-HIEPHOA"],
                           dated=date(2024, 6, 1), today=TODAY)  # fmt: skip
    candidate_transfer(actor=secretary, candidate=c, to_unit=demo["DN-HAPHONG"],
                       dated=date(2024, 6, 1), note="Tốt nghiệp", today=TODAY)  # fmt: skip
    c.refresh_from_db()
    assert c.unit == demo["DN-HAPHONG"] and c.stage == Stage.CELL_RESOLUTION
    assert list(c.events.values_list("stage", flat=True)) == [*before, Stage.TRANSFERRED_OUT]
    out = c.events.get(stage=Stage.TRANSFERRED_OUT)
    assert out.unit == demo["THPT-HH1"] and out.to_unit == demo["DN-HAPHONG"]
    assert not candidate_list(user=secretary).filter(pk=c.pk).exists()
    assert candidate_list(user=demo_user("bithu.haphong")).filter(pk=c.pk).exists()
    with pytest.raises(ValidationError):
        step_undo(actor=demo_user("bithu.haphong"), candidate=c)


def test_undo_removes_a_mistaken_step_but_not_class_steps(ready, secretary):
    c = ready()
    resolve(secretary, c, date(2024, 4, 2))
    removed = step_undo(actor=secretary, candidate=c)
    assert removed.stage == Stage.CELL_RESOLUTION
    c.refresh_from_db()
    assert c.stage == Stage.BACKGROUND_VERIFIED


def test_overdue_decisions_counted_in_working_days_across_tet(ready, secretary):
    c = ready()
    resolve(secretary, c, date(2024, 4, 2))
    due = candidates_due([c], today=date(2024, 6, 28))[c.pk]
    # 60 working days from 02/04/2024, skipping 29/4–1/5 (and the 30/4 swap): 28/06/2024.
    assert due.deadline.due == date(2024, 6, 28) and not due.late
    assert candidates_due([c], today=date(2024, 7, 1))[c.pk].late
    # A resolution before Tết 2025: the Tết break (25/01–02/02) and the Hùng Kings'
    # day (07/04) push the decision two weeks later than a Monday-to-Friday count.
    late = ready(born=date(2005, 1, 1))
    Candidate.objects.filter(pk=late.pk).update(stage=Stage.BACKGROUND_VERIFIED)
    step_record(actor=secretary, candidate=late, stage=Stage.CELL_RESOLUTION,
                dated=date(2025, 1, 10), votes_for=12, full_members=16,
                today=date(2025, 1, 10))  # fmt: skip
    due = candidates_due([late], today=date(2025, 1, 10))[late.pk].deadline.due
    plain = WorkCalendar(days_off=frozenset(), working_weekends=frozenset())
    assert plain.add_working_days(date(2025, 1, 10), 60) == date(2025, 4, 4)
    assert due == date(2025, 4, 14)


def test_students_not_18_by_the_planned_date_are_flagged_early(ready):
    c = ready(born=date(2009, 8, 15))
    Candidate.objects.filter(pk=c.pk).update(stage=Stage.CERTIFIED, graduation_year=2027)
    c.refresh_from_db()
    assert underage_on_plan(c, today=date(2026, 11, 21)) == (date(2027, 5, 31), date(2027, 8, 15))
    assert underage_on_plan(c, today=date(2027, 6, 1)) is None  # the plan is past
    c.planned_resolution_on = date(2027, 9, 1)
    assert underage_on_plan(c, today=date(2026, 11, 21)) is None


def test_possible_duplicates_across_units(ready):
    a = ready("THPT-HH1", born=date(2006, 1, 2))
    b = ready("THPT-HH2", born=date(2006, 1, 2))
    Candidate.objects.filter(pk=b.pk).update(name_key=a.name_key)
    flagged = with_duplicate_flag(Candidate.objects.all(), scope=Candidate.objects.all())
    flags = dict(flagged.values_list("pk", "possible_duplicate"))
    assert flags[a.pk] and flags[b.pk]
    assert StageEvent.objects.filter(candidate=a).count() == 3


def test_the_committee_resolution_is_recorded_by_the_committee_not_the_cell(ready, demo_user):
    c = ready("DN-HAPHONG", born=date(1998, 1, 1), category="worker", union="trade_union")
    resolve(demo_user("bithu.haphong"), c, date(2024, 4, 2))

    def committee(actor):
        return step_record(
            actor=actor, candidate=c, stage=Stage.COMMITTEE_RESOLUTION, dated=date(2024, 4, 9),
            document_number="21-NQ/ĐU", today=TODAY,
        )  # fmt: skip

    assert [p.rule for p in refused(lambda: committee(demo_user("bithu.haphong")))] == ["committee"]
    committee(demo_user("danguy.thang"))
    c.refresh_from_db()
    assert c.stage == Stage.COMMITTEE_RESOLUTION


def test_the_database_narrows_the_not_18_flag_to_the_rules_own_answer(demo):
    """``candidates_underage`` (SQL first, then the rule) finds exactly the people the rule
    flags, on birthdays at the edges: the day before, on and after the planned date, 29
    February in leap and common years, students by graduation year, dates typed in."""
    from candidates.selectors import candidates_underage

    today = date(2026, 2, 1)
    births = [
        date(2008, 2, 29), date(2008, 2, 28), date(2008, 3, 1), date(2009, 5, 30),
        date(2009, 5, 31), date(2009, 6, 1), date(2010, 12, 31), date(2007, 1, 1),
    ]  # fmt: skip
    plans = [
        {"planned_resolution_on": date(2026, 2, 28)},
        {"planned_resolution_on": date(2026, 3, 1)},
        {"planned_resolution_on": date(2027, 5, 31)},
        {"planned_resolution_on": date(2025, 12, 1)},  # past: never flagged
        {"graduation_year": 2027},  # a student: 31/05/2027
        {"graduation_year": 2028},
        {"graduation_year": 2025},  # past
        {},  # no plan
    ]
    people = []
    for i, born in enumerate(births):
        for j, plan in enumerate(plans):
            for category, stage in (("student", "certified"), ("worker", "identified"),
                                    ("student", "cell_resolution")):  # fmt: skip
                people.append(
                    Candidate(
                        unit=demo["THPT-HH1"],
                        family_name="Lê",
                        given_name=f"An {i}-{j}",
                        date_of_birth=born,
                        sex="male",
                        category=category,
                        stage=stage,
                        **plan,
                    )  # fmt: skip
                )
    for c in people:
        c.save()
    qs = Candidate.objects.filter(pk__in=[c.pk for c in people])
    expected = {c.pk for c in qs if underage_on_plan(c, today=today)}
    found = {c.pk for c in candidates_underage(qs, today=today)}
    assert found == expected
    assert len(expected) > 10  # the grid holds people on both sides of the line
    leap = qs.get(date_of_birth=date(2008, 2, 29), planned_resolution_on=date(2026, 2, 28),
                  category="student", stage="certified")  # fmt: skip
    assert leap.pk not in found  # 18 on 28/02/2026 (a common year): of age on the day
