from datetime import date

import pytest

from core.models import AuditEvent
from quotas.models import Round, Target, TargetValue
from quotas.services import (
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
