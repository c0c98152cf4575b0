"""The kinds of unit every installation starts with; Board staff may add more in the admin."""

from django.db import migrations

KINDS = [
    # code, name, audience, is_committee, sort_order
    ("committee", "Cấp ủy cấp trên cơ sở", "", True, 10),
    ("commune_committee", "Đảng ủy xã, phường, thị trấn", "", True, 20),
    ("agency_committee", "Đảng ủy cơ quan, doanh nghiệp", "", True, 30),
    ("cell", "Chi bộ", "", False, 40),
    ("high_school", "Trường THPT", "students", False, 50),
    ("vocational_centre", "Trung tâm GDNN-GDTX", "students", False, 60),
    ("enterprise", "Công ty, doanh nghiệp", "workers", False, 70),
    ("political_centre", "Trung tâm chính trị", "", False, 80),
    ("youth_union", "Đoàn Thanh niên", "", False, 90),
    ("trade_union", "Công đoàn", "", False, 100),
]


def add_kinds(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    for code, name, audience, is_committee, order in KINDS:
        UnitKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "audience": audience,
                "is_committee": is_committee,
                "sort_order": order,
            },
        )


def remove_kinds(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    UnitKind.objects.filter(code__in=[k[0] for k in KINDS], units__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, remove_kinds)]
