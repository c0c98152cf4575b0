"""The kinds of unit every installation starts with; Board staff may add more in the admin.

Migration 0002 creates them and ``load_demo`` makes sure they exist (a flushed test database
has lost them). Only add to this list: migrations read it.
"""

from .choices import Audience

# code, name, audience, is_committee, sort_order
DEFAULT_KINDS = [
    ("committee", "Cấp ủy cấp trên cơ sở", Audience.NONE, True, 10),
    ("commune_committee", "Đảng ủy xã, phường, thị trấn", Audience.NONE, True, 20),
    ("agency_committee", "Đảng ủy cơ quan, doanh nghiệp", Audience.NONE, True, 30),
    ("cell", "Chi bộ", Audience.NONE, False, 40),
    ("high_school", "Trường THPT", Audience.STUDENTS, False, 50),
    ("vocational_centre", "Trung tâm GDNN-GDTX", Audience.STUDENTS, False, 60),
    ("enterprise", "Công ty, doanh nghiệp", Audience.WORKERS, False, 70),
    ("political_centre", "Trung tâm chính trị", Audience.NONE, False, 80),
    ("youth_union", "Đoàn Thanh niên", Audience.NONE, False, 90),
    ("trade_union", "Công đoàn", Audience.NONE, False, 100),
]


def ensure_default_kinds(unit_kind_model) -> int:
    """Create the default kinds that are missing; returns how many were created.

    Takes the model as an argument so that migrations can pass their historical model.
    """
    created = 0
    for code, name, audience, is_committee, order in DEFAULT_KINDS:
        _, was_created = unit_kind_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "audience": str(audience),
                "is_committee": is_committee,
                "sort_order": order,
            },
        )
        created += was_created
    return created
