import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import AuditEvent
from tests.factories import UnitFactory, UserFactory
from units.choices import Role
from units.models import RoleAssignment, Unit, UnitKind
from units.services import role_assign, unit_create, unit_set_aliases, unit_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee():
    return UnitFactory(
        code="DU",
        name="Đảng ủy xã Hoàng Thanh",
        has_party_organisation=True,
        kind=UnitKind.objects.get(code="commune_committee"),
    )


def test_unit_create_places_the_unit_in_the_tree_and_audits(committee):
    actor = UserFactory()
    unit = unit_create(
        actor=actor,
        parent=committee,
        kind=UnitKind.objects.get(code="enterprise"),
        code="DN1",
        name="Công ty Cổ phần thời trang Hà Thanh",
        aliases=[
            "Công ty May Hà Thanh",
            "Công ty Cổ phần thời trang Hà Thanh",
            "Công ty May Hà Thanh",
        ],
    )
    assert Unit.objects.get_parent(unit) == committee
    assert unit.depth == committee.depth + 1
    # the name itself and repeats are not stored as aliases
    assert [a.name for a in unit.aliases.all()] == ["Công ty May Hà Thanh"]
    event = AuditEvent.objects.get(action="unit_create", unit_id=unit.pk)
    assert (event.actor, event.unit_id, event.details["code"]) == (actor, unit.pk, "DN1")


def test_unit_create_rejects_a_duplicate_code_in_vietnamese(committee):
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        unit_create(actor=None, parent=None, kind=committee.kind, code="DU", name="Trùng mã")
    assert "code" in exc.value.message_dict
    assert "đã tồn tại" in " ".join(exc.value.message_dict["code"])


def test_unit_update_reports_and_audits_only_real_changes(committee):
    assert unit_update(actor=None, unit=committee, name=committee.name) == []
    assert not AuditEvent.objects.filter(action="unit_update").exists()
    changed = unit_update(actor=None, unit=committee, short_name="ĐU Hoàng Thanh")
    assert changed == ["short_name"]
    committee.refresh_from_db()
    assert committee.short_key == "du hoang thanh"
    assert AuditEvent.objects.get(action="unit_update").details == {"fields": ["short_name"]}


def test_active_period_must_be_ordered(committee):
    import datetime as dt

    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        unit_update(
            actor=None,
            unit=committee,
            active_from=dt.date(2025, 7, 1),
            active_to=dt.date(2025, 6, 30),
        )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in str(exc.value)


@pytest.mark.parametrize(
    ("enterprise_has_party", "admitter", "message"),
    [
        (True, "committee", "Đơn vị đã có tổ chức đảng tự thực hiện kết nạp"),
        (False, "union", "Đơn vị kết nạp thay phải là một tổ chức đảng."),
    ],
)
def test_admission_unit_rules(committee, enterprise_has_party, admitter, message):
    union = UnitFactory(code="CD", name="Công đoàn", kind=UnitKind.objects.get(code="trade_union"))
    target = committee if admitter == "committee" else union
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        unit_create(
            actor=None,
            parent=committee,
            kind=UnitKind.objects.get(code="enterprise"),
            code="DN2",
            name="Công ty TNHH Minh Phát",
            has_party_organisation=enterprise_has_party,
            admission_unit=target,
        )
    assert message in " ".join(exc.value.message_dict["admission_unit"])


def test_enterprise_without_party_organisation_may_name_its_admitting_committee(committee):
    unit = unit_create(
        actor=None,
        parent=committee,
        kind=UnitKind.objects.get(code="enterprise"),
        code="DN3",
        name="Công ty TNHH Minh Phát",
        admission_unit=committee,
    )
    assert list(committee.admits_for.all()) == [unit]


def test_unit_set_aliases_is_idempotent(committee):
    assert unit_set_aliases(actor=None, unit=committee, aliases=["Đảng bộ xã Hoàng Thanh"])
    assert not unit_set_aliases(actor=None, unit=committee, aliases=["Đảng bộ  xã Hoàng Thanh"])
    assert unit_set_aliases(actor=UserFactory(), unit=committee, aliases=[])
    assert not committee.aliases.exists()
    assert AuditEvent.objects.filter(action="unit_set_aliases").count() == 1


def test_role_assign_is_idempotent_and_audited(committee):
    user = UserFactory()
    first = role_assign(actor=None, user=user, unit=committee, role=Role.COMMITTEE)
    again = role_assign(actor=None, user=user, unit=committee, role=Role.COMMITTEE)
    assert first == again
    assert RoleAssignment.objects.count() == 1
    assert AuditEvent.objects.filter(action="role_assign").count() == 1


def test_board_group_exists_after_migrate_with_the_admin_permissions():
    from django.contrib.auth.models import Group

    from units.services import BOARD_GROUP, board_group_sync

    group = Group.objects.get(name=BOARD_GROUP)  # created by post_migrate, no demo needed
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_unit", "add_unitalias", "add_roleassignment", "add_user"} <= codenames
    assert "view_auditevent" in codenames  # the audit log, read only
    assert "delete_session" not in codenames
    assert board_group_sync() == group


def test_unit_save_places_a_new_unit_beside_another_and_audits(committee):
    from units.services import unit_save

    actor = UserFactory()
    first = UnitFactory(parent=committee, code="CB1", name="Chi bộ 1")
    unit = unit_save(
        actor=actor,
        unit=Unit(kind=first.kind, code="CB0", name="Chi bộ 0"),
        target=first,
        position="left",
    )
    assert [u.code for u in Unit.objects.get_children(committee)] == ["CB0", "CB1"]
    event = AuditEvent.objects.get(action="unit_create", unit_id=unit.pk)
    assert (event.actor, event.details["position"], event.details["target"]) == (
        actor,
        "left",
        "CB1",
    )


def test_unit_kind_and_role_services_audit(committee):
    from units.services import role_revoke, unit_kind_delete, unit_kind_save

    actor = UserFactory()
    kind = UnitKind(code="kiem-tra", name="Kiểu kiểm tra")
    unit_kind_save(actor=actor, kind=kind)
    kind.sort_order = 5
    assert unit_kind_save(actor=actor, kind=kind, fields=["sort_order"]) == ["sort_order"]
    unit_kind_delete(actor=actor, kind=kind)
    assignment = role_assign(actor=actor, user=UserFactory(), unit=committee, role=Role.SECRETARY)
    role_revoke(actor=actor, assignment=assignment)
    assert not RoleAssignment.objects.exists()
    actions = list(
        AuditEvent.objects.filter(actor=actor).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        "unit_kind_create",
        "unit_kind_update",
        "unit_kind_delete",
        "role_assign",
        "role_revoke",
    ]
