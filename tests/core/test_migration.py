"""units 0003 moves the audit trail to core: every row is copied, with its time."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("units", "0002_unit_kinds"), ("core", "0001_audit_event")]
AFTER = [("units", "0003_audit_event_to_core")]


@pytest.fixture
def latest_schema_after():
    """Whatever the test migrates to, the database ends on the latest migrations."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_old_audit_rows_are_copied_to_core_with_their_times():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    Kind = old.get_model("units", "UnitKind")
    Unit = old.get_model("units", "Unit")
    Old = old.get_model("units", "AuditEvent")
    actor = User.objects.create(username="bantochuc9")
    kind = Kind.objects.first() or Kind.objects.create(code="X", name="X")
    unit = Unit.objects.create(path="0009", depth=1, code="X1", name="Đơn vị X", kind=kind)
    then = datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    first = Old.objects.create(actor=actor, action="unit_create", unit=unit, details={"a": 1})
    second = Old.objects.create(actor=None, action="plan_save", details={})
    Old.objects.filter(pk=first.pk).update(created_at=then)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = {e.action: e for e in new.get_model("core", "AuditEvent").objects.all()}

    assert set(rows) == {"unit_create", "plan_save"}
    copied = rows["unit_create"]
    assert (copied.actor_id, copied.actor_name, copied.unit_id) == (actor.pk, "bantochuc9", unit.pk)
    assert copied.details == {"a": 1} and copied.created_at == then
    assert rows["plan_save"].actor_name == "" and rows["plan_save"].created_at == second.created_at
    units_models = {m._meta.model_name for m in new.get_app_config("units").get_models()}
    assert "auditevent" not in units_models
