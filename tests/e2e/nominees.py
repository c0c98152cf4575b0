"""What the browser tests of nominee lists set up and do: an open class of Plan 145, a
school's file of 20 students, adding it to the unit's list and sending the list."""

import random
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

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


def nominee_people(n=20, *, born_from=date(2008, 1, 1), born_to=date(2008, 12, 31), seed=5):
    """``n`` Youth Union members of class 12A1, as a school writes them in its list."""
    rng = random.Random(seed)
    people = []
    for i in range(n):
        p = demo_person(rng, born_from=born_from, born_to=born_to, serial=i + 1)
        p["sex"] = "Nữ" if p["sex"] == "female" else "Nam"
        p.update(school_class="12A1", youth_union_member=True)
        people.append(p)
    return people


def nominee_file(tmp_path, unit, *, bad=False, people=None, name=None):
    """The school's list as an .xlsx from the app's own template; ``bad``: two rows with
    an impossible date and a short citizen ID."""
    people = [dict(p) for p in (people or nominee_people())]
    if bad:
        people[3]["date_of_birth"] = "31/02/2008"
        people[7]["citizen_id"] = "12345"
    path = tmp_path / (name or ("sai.xlsx" if bad else "danh-sach.xlsx"))
    path.write_bytes(
        people_template_xlsx(title="DANH SÁCH", lines=[f"Đơn vị: {unit.name}"], people=people)
    )
    return path


def add_from_file(upload, path) -> None:
    """Choose ``path`` in the list page's file box ``upload`` and add its 20 people."""
    upload.set_input_files(str(path))
    page = upload.page
    page.get_by_role("button", name="Kiểm tra và thêm").click()
    expect(page.get_by_text("Đã thêm 20 người từ tệp vào danh sách.")).to_be_visible()


def send_list(page) -> None:
    """Send the unit's list of 20 to the Board, and see it said."""
    page.get_by_role("button", name="Gửi Ban Tổ chức (20 người)").click()
    sent = "Đã gửi danh sách cho Ban Tổ chức (20 người chờ duyệt)."
    expect(page.get_by_text(sent)).to_be_visible()
