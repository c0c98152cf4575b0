"""The audit trail moves to ``core`` (the ground floor), which knows no app: the unit is kept
by id there. Every existing row is copied before the old table goes."""

from django.db import migrations


def copy_to_core(apps, schema_editor):
    Old = apps.get_model("units", "AuditEvent")
    New = apps.get_model("core", "AuditEvent")
    olds = list(Old.objects.select_related("actor").order_by("pk"))
    news = New.objects.bulk_create(
        New(
            actor_id=old.actor_id,
            actor_name=old.actor.username if old.actor_id else "",
            action=old.action,
            unit_id=old.unit_id,
            details=old.details,
        )
        for old in olds
    )
    # auto_now_add stamped the copies with the time of the migration: put the times back.
    for old, new in zip(olds, news, strict=True):
        new.created_at = old.created_at
    New.objects.bulk_update(news, ["created_at"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_unit_kinds"),
        ("core", "0001_audit_event"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEvent"),
    ]
