import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from core.audit import audit_record, save_audited
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(django_user_model):
    return django_user_model.objects.create_user(username="bantochuc2", password="x")


def test_audit_record_keeps_who_what_and_the_object(actor):
    group = Group.objects.create(name="Văn phòng thử")

    event = audit_record(actor=actor, action="group_touch", obj=group, note="thử", when=None)

    event.refresh_from_db()
    assert (event.actor, event.actor_name, event.action) == (actor, "bantochuc2", "group_touch")
    assert event.object_type == ContentType.objects.get_for_model(Group)
    assert (event.object_id, event.object_repr) == (str(group.pk), "Văn phòng thử")
    assert event.details == {"note": "thử", "when": None}


def test_an_anonymous_or_system_actor_is_recorded_as_nobody():
    assert audit_record(actor=AnonymousUser(), action="x").actor is None
    assert audit_record(actor=None, action="x").actor_name == ""


def test_the_actors_name_outlives_the_account(actor):
    event = audit_record(actor=actor, action="x")
    actor.delete()
    event.refresh_from_db()
    assert (event.actor, event.actor_name) == (None, "bantochuc2")


def test_save_audited_creates_then_saves_only_what_changed(actor):
    group = save_audited(Group(), actor=actor, action="group_create", data={"name": "Nhóm A"})
    assert group == ["name"]
    saved = Group.objects.get(name="Nhóm A")

    assert save_audited(saved, actor=actor, action="group_update", data={"name": "Nhóm A"}) == []
    assert not AuditEvent.objects.filter(action="group_update").exists()

    changed = save_audited(saved, actor=actor, action="group_update", data={"name": "Nhóm B"})
    assert changed == ["name"]
    event = AuditEvent.objects.get(action="group_update")
    assert event.details == {"fields": ["name"]}
    assert event.object_id == str(saved.pk)
    assert Group.objects.get(pk=saved.pk).name == "Nhóm B"


def test_save_audited_validates_before_writing(actor):
    with pytest.raises(ValidationError):
        save_audited(Group(), actor=actor, action="group_create", data={"name": ""})
    assert not Group.objects.filter(name="").exists()
    assert not AuditEvent.objects.exists()
