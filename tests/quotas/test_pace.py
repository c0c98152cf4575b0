"""Honest progress (issue 15 item 3): a class round's nominee quota is measured against the
nomination deadline of the class each unit's people may attend, not an even pace over the
round's period; every target says on the page how it is measured."""

import html
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from quotas.choices import Measure, Status
from quotas.models import Plan, Target
from quotas.progress import target_pace_rule, target_progress
from training.choices import ClassAudience
from training.models import TrainingClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(full_demo):
    return Plan.objects.get(number="145/KH-HU")


@pytest.fixture
def login(full_demo_login):
    return full_demo_login


def round_target(plan, number):
    return Target.objects.get(plan=plan, measure=Measure.NOMINATIONS, round__number=number)


def deadline(plan, number, audience):
    return (
        TrainingClass.objects.filter(plan=plan, round__number=number, audience=audience)
        .order_by("-nomination_deadline")
        .values_list("nomination_deadline", flat=True)
        .first()
    )


def test_no_school_is_behind_in_august_for_the_october_class(plan, full_demo):
    target = round_target(plan, 2)
    progress = target_progress(target=target, on=date(2024, 8, 15))
    schools = [p for p in progress.own.values() if p.unit.kind.audience == "students"]
    assert schools
    assert all(p.status in (Status.ON_TRACK, Status.MET) for p in schools)
    # Each school's day is the students' class deadline of round 2.
    assert {p.due for p in schools} == {deadline(plan, 2, ClassAudience.STUDENTS)}


def test_after_the_deadline_a_short_unit_is_behind_until_the_round_ends(plan, full_demo):
    target = round_target(plan, 2)
    students_day = deadline(plan, 2, ClassAudience.STUDENTS)
    after = target_progress(target=target, on=date.fromordinal(students_day.toordinal() + 1))
    schools = [p for p in after.own.values() if p.unit.kind.audience == "students"]
    for p in schools:
        short = p.actual < (p.minimum or 0)
        assert p.status == (Status.BEHIND if short else Status.MET)
    ended = target_progress(target=target, on=date(2024, 11, 1))
    for p in ended.own.values():
        assert p.status in (Status.MET, Status.MISSED)


def test_workers_units_have_the_workers_class_deadline(plan, full_demo):
    target = round_target(plan, 2)
    workers_day = deadline(plan, 2, ClassAudience.WORKERS)
    progress = target_progress(target=target, on=date(2024, 8, 15))
    workers = [p for p in progress.own.values() if p.unit.kind.audience == "workers"]
    for p in workers:
        assert p.due == workers_day


def test_without_a_class_the_target_deadline_is_the_day(plan, full_demo):
    target = round_target(plan, 2)
    TrainingClass.objects.filter(round=target.round).update(round=round_target(plan, 1).round)
    progress = target_progress(target=target, on=date(2024, 8, 15))
    assert {p.due for p in progress.own.values()} == {target.ends_on}
    assert all(p.status != Status.BEHIND for p in progress.own.values())


def test_a_roll_up_expects_the_sum_of_its_units(plan, full_demo):
    target = round_target(plan, 2)
    district = plan.area
    on = date(2024, 10, 10)
    progress = target_progress(target=target, on=on, visible=[district.pk])
    top = progress.rollup[district.pk]
    held = [p for p in progress.own.values() if p.unit.pk != district.pk]
    assert top.expected == sum(p.expected or 0 for p in held)
    assert top.status == (Status.ON_TRACK if top.actual >= top.expected else Status.BEHIND) or (
        top.status == Status.MET
    )


def test_every_target_says_how_it_is_measured_on_the_plan_page(plan, login):
    page = html.unescape(login("bantochuc").get(plan.get_absolute_url()).content.decode())
    with translation.override("vi"):
        for target in Target.objects.filter(plan=plan):
            assert target_pace_rule(target) in page
    assert target_pace_rule(round_target(plan, 2)) != target_pace_rule(
        Target.objects.filter(plan=plan, measure=Measure.ADMISSIONS).first()
    )


def test_the_dashboard_cell_names_the_units_day(plan, login):
    day = deadline(plan, 2, ClassAudience.STUDENTS)
    url = reverse("quotas:plan_dashboard", args=[plan.pk])
    page = login("bantochuc").get(url, {"ngay": "15/08/2024"})
    assert page.status_code == 200
    assert day.strftime("%d/%m/%Y") in page.content.decode()
