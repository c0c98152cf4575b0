"""The demo plan: loaded completely, idempotent, put back when changed by hand."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from core.models import AuditEvent
from quotas.models import Plan, Round, Target, TargetValue

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "fixtures" / "source" / "145-KH-HU_2024.txt"


def snapshot():
    return {
        "plans": list(Plan.objects.values()),
        "rounds": list(Round.objects.order_by("pk").values()),
        "targets": list(Target.objects.order_by("pk").values()),
        "values": list(TargetValue.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
    }


def test_load_demo_twice_changes_nothing(plan145):
    before = snapshot()
    call_command("load_demo", "--only", "district", "--no-classes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


def test_a_number_changed_by_hand_is_put_back(plan145, demo):
    value = TargetValue.objects.get(
        target__plan=plan145, target__in_annex=True, unit=demo["THPT-HH4"]
    )
    original = value.minimum
    TargetValue.objects.filter(pk=value.pk).update(minimum=original + 5)
    TargetValue.objects.create(target=value.target, unit=demo["TTCT-HH"], minimum=1)
    call_command("load_demo", "--only", "district", "--no-classes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    value.refresh_from_db()
    assert value.minimum == original
    assert not TargetValue.objects.filter(unit=demo["TTCT-HH"]).exists()


def test_the_plan_carries_the_seed_particulars(plan145):
    text = SEED.read_text(encoding="utf-8")
    assert plan145.number in text
    assert plan145.issued_on.strftime("%-d/%-m/%Y") in text  # "ngày 20/3/2024"
    assert plan145.status == "issued" and plan145.year == 2024
    assert [r.name for r in plan145.rounds.all()] == [
        "Đợt 1 – tháng 4/2024",
        "Đợt 2 – tháng 10/2024",
    ]


def test_class_quotas_match_the_numbers_written_in_the_plan(plan145, demo):
    """Section II.1 writes "ít nhất 20", "ít nhất 10", "cử 10/05" for each round."""
    text = SEED.read_text(encoding="utf-8")
    rounds = re.split(r"1\.\d\. Mở lớp bồi dưỡng đợt", text)[1:3]
    for number, section in enumerate(rounds, start=1):
        target = plan145.targets.get(round__number=number)
        values = {v.unit.code: v.minimum for v in target.values.select_related("unit")}
        big, small = (int(n) for n in re.findall(r"ít nhất (\d+)", section)[:2])
        assert {values[c] for c in ["THPT-HH1", "THPT-HH2", "THPT-HH3", "THPT-HH4"]} == {big}
        assert {values[c] for c in ["THPT-HH5", "THPT-HH6", "GDNN-GDTX"]} == {small}
        sends = dict(re.findall(r"(Hà Thanh|Sơn Uyên|cấp nước Hiệp Hòa) cử (\d+)", section))
        assert values["DN-HATHANH"] == int(sends["Hà Thanh"])
        assert values["DN-UYENSON"] == int(sends["Sơn Uyên"])
        assert values["DN-CAPNUOC"] == int(sends["cấp nước Hiệp Hòa"])
        each = int(re.search(r"mỗi đơn vị cử (\d+)", section).group(1))
        assert (target.each_kind.code, target.each_trade_union, target.each_min) == (
            "enterprise",
            True,
            each,
        )
