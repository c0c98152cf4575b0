import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from core.models import AuditEvent
from units.choices import Role
from units.models import RoleAssignment, Unit, UnitAlias
from units.selectors import unit_list, unit_match

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "fixtures" / "source" / "145-KH-HU_2024.txt"


def annex_units() -> list[str]:
    """Unit names of the annex table at the end of seed 001 ("STT<TAB>Đơn vị<TAB>...")."""
    annex = SEED.read_text(encoding="utf-8").split("DANH SÁCH", 1)[1]
    return [m.group(1) for m in re.finditer(r"^\d+\t([^\t]+)\t\d+", annex, flags=re.M)]


def snapshot():
    return {
        "units": list(Unit.objects.order_by("pk").values()),
        "aliases": list(UnitAlias.objects.order_by("pk").values()),
        "users": list(get_user_model().objects.order_by("pk").values()),
        "roles": list(RoleAssignment.objects.order_by("pk").values("user", "unit", "role")),
        "group_perms": sorted(
            Group.objects.get(name="Ban Tổ chức").permissions.values_list("pk", flat=True)
        ),
        "audit": AuditEvent.objects.count(),
    }


def test_every_annex_unit_is_loaded_spelled_as_in_the_seed(demo):
    names = annex_units()
    assert len(names) == 13
    assert set(names) <= set(Unit.objects.values_list("name", flat=True))


@pytest.mark.parametrize(
    "name_in_text",
    [
        # section II of the plan names units its own way; each must resolve to one unit
        "Công ty cổ phần đầu tư và thương mại Sơn Uyên",
        "Công ty May Hà Thanh",
        "Công ty cổ phần cấp nước Hiệp Hòa",
        "Đảng ủy thị trấn Thăng",
        "Đảng ủy xã Hoàng Thanh",
        "Đảng ủy cơ quan chính quyền",
        "Trung tâm chính trị huyện",
        "Huyện đoàn Hiệp Hòa",
        "Liên đoàn lao động huyện",
    ],
)
def test_names_used_in_the_plan_text_resolve(demo, name_in_text):
    assert name_in_text in SEED.read_text(encoding="utf-8")
    assert len(unit_match(name=name_in_text)) == 1


def test_enterprise_cells_sit_under_their_committees(demo):
    def parent(code):
        return Unit.objects.get_parent(demo[code]).code

    assert {parent(c) for c in ["DN-HAPHONG", "DN-KDSPORTS", "DN-UYENSON", "DN-MATTROI"]} == {
        "DU-THANG"
    }
    assert parent("DN-HATHANH") == "DU-HOANGTHANH"
    assert parent("DN-CAPNUOC") == "DU-CQCQ"
    assert parent("THPT-HH1") == "HU-HIEPHOA"


def test_demo_accounts_hold_their_roles(demo, demo_user):
    expected = {
        "bantochuc": (Role.BOARD, "HU-HIEPHOA"),
        "thuongtruc": (Role.STANDING_OFFICE, "HU-HIEPHOA"),
        "bithu.thpt1": (Role.SECRETARY, "THPT-HH1"),
        "bithu.haphong": (Role.SECRETARY, "DN-HAPHONG"),
        "danguy.thang": (Role.COMMITTEE, "DU-THANG"),
    }
    for username, (role, code) in expected.items():
        ra = RoleAssignment.objects.get(user__username=username)
        assert (ra.role, ra.unit.code) == (role, code)
        assert demo_user(username).check_password("ptdv2024")
    board = demo_user("bantochuc")
    assert board.is_staff and not board.is_superuser
    assert board.has_perm("units.change_unit") and board.has_perm("auth.add_user")
    assert not demo_user("thuongtruc").is_staff
    assert demo_user("bantochuc").get_full_name() == "Nguyễn Thị Thu Hà"


def test_each_demo_account_sees_what_its_role_should(demo, demo_user):
    def seen(username):
        return {u.code for u in unit_list(user=demo_user(username))}

    everything = set(demo)
    assert seen("bantochuc") == everything
    assert seen("thuongtruc") == everything
    assert seen("bithu.thpt1") == {"THPT-HH1"}
    assert seen("bithu.haphong") == {"DN-HAPHONG"}
    assert seen("danguy.thang") == {
        "DU-THANG",
        "DN-HAPHONG",
        "DN-KDSPORTS",
        "DN-UYENSON",
        "DN-MATTROI",
    }


def test_running_it_twice_changes_nothing(demo):
    before = snapshot()
    out = StringIO()
    call_command("load_demo", "--only", "district", "--no-classes", stdout=out)
    assert snapshot() == before
    assert "0 đơn vị được tạo, 0 đơn vị được cập nhật" in out.getvalue()
    assert "bithu.thpt1" in out.getvalue()


def test_a_changed_unit_is_put_back(demo):
    unit = demo["DN-HATHANH"]
    Unit.objects.filter(pk=unit.pk).update(name="Tên sai", name_key="ten sai")
    unit.aliases.all().delete()
    call_command("load_demo", "--only", "district", stdout=StringIO())
    unit.refresh_from_db()
    assert unit.name == "Công ty Cổ phần thời trang Hà Thanh"
    assert set(unit.aliases.values_list("name", flat=True)) >= {"Công ty May Hà Thanh"}


def test_a_unit_moved_by_hand_is_put_back_under_its_committee(demo):
    wrong_parent = demo["DU-HOANGTHANH"]
    Unit.objects.move(demo["DN-KDSPORTS"], wrong_parent, "last-child")
    assert Unit.objects.get_parent(Unit.objects.get(code="DN-KDSPORTS")) == wrong_parent
    out = StringIO()
    call_command("load_demo", "--only", "district", stdout=out)
    unit = Unit.objects.get(code="DN-KDSPORTS")
    assert Unit.objects.get_parent(unit).code == "DU-THANG"
    assert AuditEvent.objects.filter(action="unit_move", unit_id=unit.pk).exists()
    assert "1 đơn vị được cập nhật" in out.getvalue()
