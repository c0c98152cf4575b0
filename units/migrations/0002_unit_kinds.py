"""The kinds of unit every installation starts with (units/kinds.py)."""

from django.db import migrations

from units.kinds import DEFAULT_KINDS, ensure_default_kinds


def add_kinds(apps, schema_editor):
    ensure_default_kinds(apps.get_model("units", "UnitKind"))


def remove_kinds(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    UnitKind.objects.filter(code__in=[k[0] for k in DEFAULT_KINDS], units__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, remove_kinds)]
