from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from quotas.models import Plan, Round, Target, TargetValue
from quotas.services import (
    plan_copy,
    plan_delete,
    round_delete,
    round_save,
    target_save,
    target_value_delete,
    target_value_save,
)


@pytest.fixture
def board(demo_user):
    return demo_user("bantochuc")


def test_target_save_with_area_bounds_audits_the_number_with_the_actor(plan145, board):
    target = target_save(
        actor=board,
        target=Target(
            plan=plan145,
            name="Kết nạp cả huyện",
            measure="admissions",
            starts_on=date(2024, 1, 1),
            ends_on=date(2024, 12, 31),
        ),
        area_bounds=(250, None),
    )
    assert TargetValue.objects.get(target=target, unit=plan145.area).minimum == 250
    assert AuditEvent.objects.get(action="target_create", details__pk=target.pk).actor == board
    event = AuditEvent.objects.filter(action="target_values_set").latest("pk")
    assert (event.actor, event.details["plan"]) == (board, plan145.pk)


def test_round_and_value_services_audit(plan145, board, demo):
    rnd = round_save(
        actor=board,
        round=Round(
            plan=plan145,
            number=9,
            name="Đợt 9",
            starts_on=date(2024, 10, 1),
            ends_on=date(2024, 10, 31),
        ),
    )
    target = plan145.targets.exclude(values__unit=demo["THPT-HH1"]).first()
    value = target_value_save(
        actor=board, value=TargetValue(target=target, unit=demo["THPT-HH1"], minimum=3, note="KT")
    )
    target_value_delete(actor=board, value=value)
    round_delete(actor=board, round=rnd)
    actions = list(
        AuditEvent.objects.filter(actor=board).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        "round_create",
        "target_value_create",
        "target_value_delete",
        "round_delete",
    ]
    assert not Round.objects.filter(pk=rnd.pk).exists()


def test_plan_delete_is_audited(plan145, board):
    from quotas.models import Plan

    plan = Plan.objects.create(
        number="1/KH-KT",
        title="Kế hoạch thử",
        issuer=plan145.issuer,
        area=plan145.area,
        issued_on=date(2024, 1, 2),
        year=2024,
    )
    pk = plan.pk
    plan_delete(actor=board, plan=plan)
    assert not Plan.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="plan_delete")
    assert (event.actor, event.details["pk"], event.object_id) == (board, pk, str(pk))


# --- next year's plan from this year's (issue 15, item 8) ----------------------------------


def test_plan_copy_makes_next_years_draft_with_the_same_units_targets_and_rounds(plan145, board):
    new = plan_copy(plan=plan145, year=2025, actor=board)
    assert (new.year, new.status, new.issuer, new.area) == (
        2025,
        "draft",
        plan145.issuer,
        plan145.area,
    )
    assert new.issued_on == date(2025, 3, 20) and not new.attachment
    assert "2025" in new.title and "2024" not in new.title
    assert new.implements == plan145.implements  # the documents it implements are the same
    old_rounds = list(plan145.rounds.order_by("number"))
    new_rounds = list(new.rounds.order_by("number"))
    assert [
        (r.number, r.starts_on.replace(year=2025), r.ends_on.replace(year=2025)) for r in old_rounds
    ] == [(r.number, r.starts_on, r.ends_on) for r in new_rounds]
    assert [r.name for r in new_rounds] == [r.name.replace("2024", "2025") for r in old_rounds]

    def shape(target):
        values = sorted(
            (v.unit_id, v.minimum, v.maximum, v.section, v.position) for v in target.values.all()
        )
        return (
            target.position,
            target.measure,
            target.round.number if target.round else None,
            (target.starts_on.month, target.starts_on.day),
            (target.ends_on.month, target.ends_on.day),
            target.group,
            target.is_share,
            target.count_kind_id,
            target.each_kind_id,
            target.each_trade_union,
            target.each_min,
            target.in_annex,
            values,
        )

    old_targets = list(plan145.targets.order_by("position"))
    new_targets = list(new.targets.order_by("position"))
    assert [shape(t) for t in new_targets] == [shape(t) for t in old_targets]
    assert all(t.starts_on.year == t.ends_on.year == 2025 for t in new_targets)
    assert all(t.round is None or t.round.plan_id == new.pk for t in new_targets)
    assert (
        sum(t.values.count() for t in new_targets)
        == TargetValue.objects.filter(target__plan=plan145).count()
    )
    event = AuditEvent.objects.get(action="plan_copy")
    assert (event.actor, event.details["pk"], event.details["source"]) == (
        board,
        new.pk,
        plan145.pk,
    )


def test_plan_copy_moves_29_february_to_28(plan145, board):
    Round.objects.filter(plan=plan145, number=1).update(starts_on=date(2024, 2, 29))
    new = plan_copy(plan=plan145, year=2025, actor=board)
    assert new.rounds.get(number=1).starts_on == date(2025, 2, 28)


def test_plan_copy_refuses_a_year_that_has_its_plan(plan145, board):
    plan_copy(plan=plan145, year=2025, actor=board)
    plans = Plan.objects.count()
    with pytest.raises(ValidationError) as caught:
        plan_copy(plan=plan145, year=2025, actor=board)
    assert "2025" in caught.value.messages[0]
    assert Plan.objects.count() == plans
