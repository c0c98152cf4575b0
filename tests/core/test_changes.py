"""The old and new values of every write (core/changes.py), and the check that no write
path leaves them out."""

import logging

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core.audit import UnauditedWrite, audit_record, audit_scope, delete_audited
from core.changes import bulk_create_audited, bulk_update_audited, update_audited
from core.middleware import AuditScopeMiddleware
from core.models import AuditChange, AuditEvent
from units.models import Unit, UnitAlias, UnitKind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture
def actor(django_user_model):
    return django_user_model.objects.create_user(username="bantochuc2", password="x")


@pytest.fixture
def unit():
    return Unit.add_root(code="THU", name="Chi bộ thử", kind=UnitKind.objects.get(code="cell"))


def _changes(event, model):
    return [c for c in event.changes.all() if c.object_type.model_class() is model]


def test_an_update_records_the_old_and_new_value_of_each_changed_field(actor, unit):
    audit_record(actor=None, action="setup")
    unit.name = "Chi bộ Trường THPT Thử"
    unit.short_name = "THPT Thử"
    unit.save()
    event = audit_record(actor=actor, action="unit_update", unit=unit, obj=unit)

    (change,) = _changes(event, Unit)
    assert change.operation == "update"
    assert change.object_id == str(unit.pk)
    assert change.fields == {
        "name": ["Chi bộ thử", "Chi bộ Trường THPT Thử"],
        "short_name": ["", "THPT Thử"],
    }


def test_a_create_and_a_delete_keep_every_value(actor, unit):
    audit_record(actor=None, action="setup")
    alias = UnitAlias.objects.create(unit=unit, name="Trường Thử")
    created = audit_record(actor=actor, action="unit_set_aliases", unit=unit)
    delete_audited(alias, actor=actor, action="unit_set_aliases", unit=unit)
    deleted = AuditEvent.objects.latest("pk")

    (made,) = _changes(created, UnitAlias)
    assert (made.operation, made.fields["name"]) == ("create", [None, "Trường Thử"])
    assert made.fields["unit"] == [None, unit.pk]
    (gone,) = _changes(deleted, UnitAlias)
    assert (gone.operation, gone.fields["name"]) == ("delete", ["Trường Thử", None])
    assert gone.object_repr  # a deleted row keeps its words
    assert deleted.object_id == str(alias.pk)


def test_a_password_is_never_recorded_and_a_login_stamp_is_no_change(actor):
    audit_record(actor=None, action="setup")
    actor.set_password("mật khẩu mới 2026")
    actor.save()
    event = audit_record(actor=actor, action="password_change", obj=actor)
    (change,) = event.changes.all()
    assert change.fields == {"password": ["********", "********"]}
    assert "mật khẩu" not in str(AuditChange.objects.values_list("fields", flat=True))

    from django.utils import timezone

    actor.last_login = timezone.now()
    actor.save(update_fields=["last_login"])
    assert audit_record(actor=actor, action="login").changes.count() == 0


def test_a_many_to_many_change_records_the_members_before_and_after(actor):
    group = Group.objects.create(name="Ban Tổ chức thử")
    audit_record(actor=None, action="setup")
    actor.groups.add(group)
    event = audit_record(actor=None, action="account_create", obj=actor)
    (change,) = event.changes.all()
    assert change.fields == {"groups": [[], [group.pk]]}


def test_a_rolled_back_write_leaves_no_change(actor, unit):
    audit_record(actor=None, action="setup")
    with pytest.raises(RuntimeError), transaction.atomic():
        unit.name = "Tên sẽ bị huỷ"
        unit.save()
        raise RuntimeError
    UnitAlias.objects.create(unit=unit, name="Còn lại")
    event = audit_record(actor=actor, action="unit_set_aliases", unit=unit)
    assert [c.object_type.model_class() for c in event.changes.all()] == [UnitAlias]


def test_the_bulk_writes_record_their_changes_too(actor, unit):
    audit_record(actor=None, action="setup")
    made = bulk_create_audited(UnitAlias, [UnitAlias(unit=unit, name=n) for n in ("A", "B")])
    count = update_audited(UnitAlias.objects.filter(name="A"), name="A1")
    event = audit_record(actor=actor, action="unit_set_aliases", unit=unit)

    assert count == 1
    rows = [(c.operation, c.object_id, c.fields["name"]) for c in event.changes.all()]
    assert rows == [
        ("create", str(made[0].pk), [None, "A"]),
        ("create", str(made[1].pk), [None, "B"]),
        ("update", str(made[0].pk), ["A", "A1"]),
    ]


def test_a_bulk_update_records_each_rows_own_old_and_new_values(actor, unit):
    a, b, c = bulk_create_audited(UnitAlias, [UnitAlias(unit=unit, name=n) for n in "ABC"])
    audit_record(actor=None, action="setup")
    a.name, b.name = "A1", "B1"  # c unchanged: no change row
    with audit_scope(strict=True):
        count = bulk_update_audited([a, b, c], ["name"])
        event = audit_record(actor=actor, action="unit_set_aliases", unit=unit)

    assert count == 3
    assert sorted(UnitAlias.objects.values_list("name", flat=True)) == ["A1", "B1", "C"]
    rows = [(c.operation, c.object_id, c.fields) for c in event.changes.all()]
    assert rows == [
        ("update", str(a.pk), {"name": ["A", "A1"]}),
        ("update", str(b.pk), {"name": ["B", "B1"]}),
    ]


def test_a_strict_scope_refuses_a_write_no_event_accounts_for(unit):
    with pytest.raises(UnauditedWrite, match="unclaimed"), audit_scope(strict=True):
        unit.name = "Không ai ghi nhật ký"
        unit.save()


def test_a_strict_scope_refuses_a_bulk_write_that_sends_no_signal(unit):
    with pytest.raises(UnauditedWrite, match="units_unit written without signals"):
        with audit_scope(strict=True):
            Unit.objects.filter(pk=unit.pk).update(name="Lén sửa")
            audit_record(actor=None, action="unit_update")


def test_a_strict_scope_accepts_writes_that_an_event_claims(actor, unit):
    with audit_scope(strict=True):
        unit.name = "Sửa có ghi"
        unit.save()
        update_audited(Unit.objects.filter(pk=unit.pk), short_name="Ngắn")
        audit_record(actor=actor, action="unit_update", unit=unit)
    assert AuditEvent.objects.get(action="unit_update").changes.count() == 2


def test_outside_the_tests_a_leftover_change_gets_an_event_of_its_own(actor, unit, caplog):
    with caplog.at_level(logging.ERROR), audit_scope(strict=False, actor=actor, name="POST /x/"):
        unit.name = "Sửa không qua dịch vụ"
        unit.save()
        UnitAlias.objects.filter(unit=unit).update(name="Lén")
    event = AuditEvent.objects.get(action="change")
    assert (event.actor, event.details) == (actor, {"path": "POST /x/"})
    assert event.changes.get().fields == {"name": ["Chi bộ thử", "Sửa không qua dịch vụ"]}
    assert "units_unitalias" in caplog.text


def test_a_change_after_the_event_joins_the_scopes_last_event(actor, unit):
    with audit_scope(strict=False, actor=actor):
        first = audit_record(actor=actor, action="unit_update", unit=unit)
        unit.name = "Ghi sau sự kiện"
        unit.save()
    assert first.changes.get().fields["name"] == ["Chi bộ thử", "Ghi sau sự kiện"]
    assert not AuditEvent.objects.filter(action="change").exists()


def test_every_request_is_a_scope_and_fails_the_tests_when_it_writes_unaudited(unit, actor):
    def sneaky_view(request):
        Unit.objects.filter(pk=unit.pk).update(name="Lén")
        return HttpResponse("ok")

    request = RequestFactory().post("/lén/")
    request.user = actor
    with pytest.raises(UnauditedWrite, match="POST /lén/"):
        AuditScopeMiddleware(sneaky_view)(request)

    with override_settings(AUDIT_STRICT=False):
        assert AuditScopeMiddleware(sneaky_view)(request).status_code == 200
