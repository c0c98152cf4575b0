"""What the browser tests of nominee lists set up: an open class of Plan 145 and a school's
file of 20 students."""

import random
from datetime import timedelta

from django.utils import timezone

from candidates.people_xlsx import people_template_xlsx
from demo.people import demo_person
from quotas.models import Plan
from training.choices import ClassStatus
from training.models import TrainingClass
from training.services import class_save
from units.models import Unit


def open_class(board):
    plan = Plan.objects.get(number="145/KH-HU")
    today = timezone.localdate()
    return class_save(
        actor=board,
        training_class=TrainingClass(
            plan=plan,
            round=plan.rounds.get(number=1),
            name="Lớp bồi dưỡng nhận thức về Đảng cho học sinh",
            audience="students",
            organiser=Unit.objects.get(code="TTCT-HH"),
            nomination_deadline=today + timedelta(days=7),
            status=ClassStatus.OPEN,
            certificate_prefix="HS-",
        ),
        session_dates=[today + timedelta(days=14), today + timedelta(days=21)],
    )


def nominee_file(tmp_path, unit, *, bad=False):
    rng = random.Random(5)
    people = []
    for i in range(20):
        p = demo_person(
            rng,
            born_from=timezone.localdate().replace(year=2008, month=1, day=1),
            born_to=timezone.localdate().replace(year=2008, month=12, day=31),
            serial=i + 1,
        )
        p["sex"] = "Nữ" if p["sex"] == "female" else "Nam"
        p.update(school_class="12A1", youth_union_member=True)
        people.append(p)
    if bad:
        people[3]["date_of_birth"] = "31/02/2008"
        people[7]["citizen_id"] = "12345"
    path = tmp_path / ("sai.xlsx" if bad else "danh-sach.xlsx")
    path.write_bytes(
        people_template_xlsx(title="DANH SÁCH", lines=[f"Đơn vị: {unit.name}"], people=people)
    )
    return path
