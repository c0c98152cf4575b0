"""The roster and the results list of an awareness class, as Excel and PDF."""

import re
import shutil
import subprocess
from datetime import date, datetime
from io import BytesIO

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from candidates.models import Candidate
from documents.layout import organiser_heading, place_name
from quotas.models import Round
from reports.class_sheets import class_sheet, class_sheet_pdf, class_sheet_xlsx, sheet_rows
from training.models import Attendance, ClassSession, Nomination, NomineeList, TrainingClass
from training.selectors import class_roster
from units.models import Unit

pytestmark = pytest.mark.django_db

S1, S2 = date(2024, 4, 6), date(2024, 4, 7)

# Created in this (scrambled) order; the roster sorts them An, Bình, Dũng, Đức, Hà.
PEOPLE = [
    # unit, family name, given name, born, sex, category, school class
    ("THPT-HH1", "Lê Minh", "Đức", date(2007, 1, 2), "male", "student", "12A1"),
    ("THPT-HH1", "Trần Thị", "An", date(2007, 5, 9), "female", "student", "12A2"),
    ("THPT-HH1", "Phạm Văn", "Dũng", date(2006, 12, 30), "male", "student", "12A1"),
    ("DN-HAPHONG", "=1+1", "Hà", date(1998, 3, 4), "female", "worker", ""),
    ("THPT-HH1", "Nguyễn Thị", "Bình", date(2007, 8, 15), "female", "student", "11A3"),
]
ORDER = ["An", "Bình", "Dũng", "Đức", "Hà"]


@pytest.fixture
def vi():
    with translation.override("vi"):
        yield


def _class(plan, demo, *, days=(S1, S2)) -> TrainingClass:
    cls = TrainingClass.objects.create(
        plan=plan,
        round=Round.objects.get(plan=plan, number=1),
        name="Khóa 1 năm 2024",
        audience="both",
        organiser=demo["TTCT-HH"],
        venue="Hội trường Trung tâm Chính trị",
        nomination_deadline=date(2024, 3, 31),
        certificate_prefix="NTVĐ-2024/1-",
    )
    for day in days:
        ClassSession.objects.create(training_class=cls, dated=day)
    return cls


@pytest.fixture
def klass(plan145, demo):
    """A class of two sessions with five accepted nominees from two units, one pending."""
    cls = _class(plan145, demo)
    s1, s2 = cls.sessions.order_by("dated")
    lists = {}
    by_given = {}
    for code, family, given, born, sex, category, school_class in PEOPLE:
        unit = demo[code]
        nl = lists.get(code) or NomineeList.objects.create(
            training_class=cls, unit=unit, status="submitted"
        )
        lists[code] = nl
        person = Candidate.objects.create(
            unit=unit,
            family_name=family,
            given_name=given,
            date_of_birth=born,
            sex=sex,
            category=category,
            school_class=school_class,
        )
        by_given[given] = Nomination.objects.create(
            nominee_list=nl, training_class=cls, candidate=person, status="accepted"
        )
    pending = Candidate.objects.create(
        unit=demo["THPT-HH1"],
        family_name="Vũ Văn",
        given_name="Chờ",
        date_of_birth=date(2007, 1, 1),
        sex="male",
        category="student",
    )
    Nomination.objects.create(
        nominee_list=lists["THPT-HH1"], training_class=cls, candidate=pending, status="pending"
    )

    for given, session, present in [
        ("An", s1, True),
        ("An", s2, True),
        ("Bình", s1, True),
        ("Bình", s2, False),
        ("Đức", s2, True),
        ("Hà", s1, True),
    ]:
        Attendance.objects.create(nomination=by_given[given], session=session, present=present)
    results = {"An": "passed", "Bình": "failed", "Dũng": "absent", "Đức": "passed"}
    for given, result in results.items():
        by_given[given].result = result
    by_given["An"].certificate_number = "NTVĐ-2024/1-001"
    by_given["An"].certificate_date = date(2024, 4, 10)
    for nomination in by_given.values():
        nomination.save()
    return cls


def _args(cls, user, kind):
    return {
        "training_class": cls,
        "kind": kind,
        "roster": class_roster(user=user, training_class=cls),
        "sessions": list(cls.sessions.all()),
    }


def _sheet(data: bytes):
    return load_workbook(BytesIO(data)).active


def _values(ws) -> list[list]:
    return [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]


def _table(ws, header_label: str):
    """(header row number, header values, data rows as lists) of the sheet's table."""
    rows = _values(ws)
    start = next(i for i, row in enumerate(rows) if row[0] == header_label)
    data = []
    for row in rows[start + 1 :]:
        if not isinstance(row[0], int):
            break
        data.append(row)
    return start + 1, [v for v in rows[start] if v != ""], data


def _texts(ws) -> list[str]:
    return [v for row in _values(ws) for v in row if isinstance(v, str) and v]


# --- the pieces --------------------------------------------------------------------------


def test_place_and_organiser_of_the_demo_district(demo, vi):
    issuer = demo["HU-HIEPHOA"]
    assert place_name(issuer) == "Hiệp Hòa"
    assert organiser_heading(demo["TTCT-HH"], "Hiệp Hòa") == "TRUNG TÂM CHÍNH TRỊ"
    # A unit that is not a committee has no place; the organiser keeps its whole name.
    assert place_name(demo["THPT-HH1"]) == ""
    assert organiser_heading(demo["TTCT-HH"], "") == "TRUNG TÂM CHÍNH TRỊ HUYỆN HIỆP HÒA"


def test_rows_follow_the_roster_and_mark_attendance(klass, board, vi):
    args = _args(klass, board, "roster")
    rows = sheet_rows("roster", args["roster"], args["sessions"])
    assert [r["given_name"] for r in rows] == ORDER
    assert [r["number"] for r in rows] == [1, 2, 3, 4, 5]
    assert [r["marks"] for r in rows] == [["x", "x"], ["x", ""], ["", ""], ["", "x"], ["x", ""]]
    assert [r["attended"] for r in rows] == ["2/2", "1/2", "0/2", "1/2", "1/2"]
    assert rows[4]["unit"] == "May xuất khẩu Hà Phong"
    assert rows[4]["school_class"] == ""
    with pytest.raises(ValueError):
        sheet_rows("other", args["roster"], args["sessions"])


def test_document_heading(klass, board, vi):
    sheet = class_sheet(**_args(klass, board, "results"))
    assert sheet.issuer == "HUYỆN ỦY HIỆP HÒA"
    assert sheet.organiser == "TRUNG TÂM CHÍNH TRỊ"
    assert sheet.party == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert sheet.class_line == f"{_('Party-awareness class')} – Khóa 1 năm 2024"
    assert sheet.info_line == (
        f"Đợt 1 – tháng 4/2024 · {_('Opening %(date)s') % {'date': '06/04/2024'}}"
        " · Hội trường Trung tâm Chính trị"
    )
    assert sheet.place_date.startswith("Hiệp Hòa, ")


# --- Excel -----------------------------------------------------------------------------------


def test_roster_xlsx(klass, board, vi):
    ws = _sheet(class_sheet_xlsx(**_args(klass, board, "roster")))
    texts = _texts(ws)
    for text in [
        "HUYỆN ỦY HIỆP HÒA",
        "TRUNG TÂM CHÍNH TRỊ",
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        _("LIST OF TRAINEES"),
        _("Trainees in total: %(count)d") % {"count": 5},
        _("DIRECTOR"),
    ]:
        assert text in texts

    header_row, header, data = _table(ws, _("No."))
    assert header == [
        _("No."),
        _("Family and middle name"),
        _("Given name"),
        _("Date of birth"),
        _("Sex"),
        _("Unit"),
        _("School class"),
        "06/04",
        "07/04",
        _("Signature"),
    ]
    assert [row[2] for row in data] == ORDER
    assert [row[0] for row in data] == [1, 2, 3, 4, 5]
    assert [row[7:9] for row in data] == [["x", "x"], ["x", ""], ["", ""], ["", "x"], ["x", ""]]
    assert data[0][1:7] == [
        "Trần Thị",
        "An",
        datetime(2007, 5, 9),
        _("Female"),
        "THPT Hiệp Hòa số 1",
        "12A2",
    ]
    assert all(row[9] == "" for row in data)
    assert "Chờ" not in [row[2] for row in data]  # not accepted

    assert ws.print_title_rows == f"${header_row}:${header_row}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    name = ws.cell(row=header_row + 2, column=2)
    assert name.font.name == "Times New Roman"
    assert name.border.left.style == "thin"
    born = ws.cell(row=header_row + 1, column=4)
    assert born.is_date and born.value == datetime(2007, 5, 9)  # a date, not text
    assert born.number_format == "DD/MM/YYYY"


def test_formula_like_names_stay_text(klass, board, vi):
    for kind in ("roster", "results"):
        ws = _sheet(class_sheet_xlsx(**_args(klass, board, kind)))
        header_row, _header, data = _table(ws, _("No."))
        index = next(i for i, row in enumerate(data) if row[2] == "Hà")
        cell = ws.cell(row=header_row + 1 + index, column=2)
        assert cell.value == "=1+1"
        assert cell.data_type == "s"


def test_results_xlsx(klass, board, vi):
    ws = _sheet(class_sheet_xlsx(**_args(klass, board, "results")))
    texts = _texts(ws)
    assert _("LIST OF LEARNING RESULTS") in texts
    totals = _(
        "Trainees in total: %(count)d; passed: %(passed)d; failed: %(failed)d; "
        "absent: %(absent)d; no result yet: %(none)d"
    ) % {"count": 5, "passed": 2, "failed": 1, "absent": 1, "none": 1}
    assert totals in texts

    _row, header, data = _table(ws, _("No."))
    assert header == [
        _("No."),
        _("Family and middle name"),
        _("Given name"),
        _("Date of birth"),
        _("Sex"),
        _("Unit"),
        _("Sessions attended"),
        _("Result"),
        _("Certificate No."),
        _("Date issued"),
    ]
    assert [row[2] for row in data] == ORDER
    assert [row[6] for row in data] == ["2/2", "1/2", "0/2", "1/2", "1/2"]
    assert [row[7] for row in data] == [_("Passed"), _("Failed"), _("Absent"), _("Passed"), ""]
    assert data[0][8:10] == ["NTVĐ-2024/1-001", datetime(2024, 4, 10)]
    issued = ws.cell(row=_row + 1, column=10)
    assert issued.is_date and issued.number_format == "DD/MM/YYYY"
    assert [row[8] for row in data[1:]] == ["", "", "", ""]
    # Ten columns with certificate numbers: always landscape.
    assert ws.page_setup.orientation == "landscape"


def test_four_sessions_print_landscape(plan145, demo, board, vi):
    days = [date(2024, 4, d) for d in (6, 7, 13, 14)]
    cls = _class(plan145, demo, days=days)
    roster = _sheet(class_sheet_xlsx(**_args(cls, board, "roster")))
    assert roster.page_setup.orientation == "landscape"
    _row, header, data = _table(roster, _("No."))
    assert header[7:11] == ["06/04", "07/04", "13/04", "14/04"]
    assert data == []
    assert _("Trainees in total: %(count)d") % {"count": 0} in _texts(roster)

    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        data = class_sheet_pdf(**_args(cls, board, "roster"))
        info = subprocess.run([pdfinfo, "-"], input=data, capture_output=True, check=True)
        width, height = map(
            float, re.search(rb"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout).groups()
        )
        assert width > height


def test_issuer_without_a_place_leaves_dots(klass, board, vi):
    plan = klass.plan
    plan.issuer = Unit.objects.get(code="THPT-HH1")
    sheet = class_sheet(**_args(klass, board, "roster"))
    assert sheet.issuer == "TRƯỜNG THPT HIỆP HÒA SỐ 1"
    assert sheet.organiser == "TRUNG TÂM CHÍNH TRỊ HUYỆN HIỆP HÒA"
    assert sheet.place_date.startswith("............, ")


# --- PDF -------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str | None:
    path = shutil.which("pdftotext")
    if path is None:
        return None
    out = subprocess.run([path, "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


@pytest.mark.parametrize(
    ("kind", "title"), [("roster", "LIST OF TRAINEES"), ("results", "LIST OF LEARNING RESULTS")]
)
def test_pdf(klass, board, vi, kind, title):
    data = class_sheet_pdf(**_args(klass, board, kind))
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    if text is None:
        return  # pdftotext is not installed: only the PDF header is checked
    assert _(title) in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "HUYỆN ỦY HIỆP HÒA" in text
    assert "Nguyễn Thị" in text and "Bình" in text
    assert "Lê Minh Đức" in text
    assert "=1+1 Hà" in text
    if kind == "results":
        assert "NTVĐ-2024/1-001" in text
    # In the roster's order.
    assert text.index("Trần Thị An") < text.index("Nguyễn Thị Bình") < text.index("Lê Minh Đức")


def test_long_roster_repeats_the_header_on_every_page(klass, board, demo, vi):
    nl = NomineeList.objects.get(training_class=klass, unit=demo["THPT-HH1"])
    for i in range(40):
        person = Candidate.objects.create(
            unit=demo["THPT-HH1"],
            family_name="Hoàng Văn",
            given_name=f"Khánh {i:02d}",
            date_of_birth=date(2007, 1, 1),
            sex="male",
            category="student",
        )
        Nomination.objects.create(
            nominee_list=nl, training_class=klass, candidate=person, status="accepted"
        )
    data = class_sheet_pdf(**_args(klass, board, "roster"))
    assert data.startswith(b"%PDF")
    path = shutil.which("pdftotext")
    if path is None:
        return
    out = subprocess.run([path, "-layout", "-", "-"], input=data, capture_output=True, check=True)
    pages = [p for p in out.stdout.decode("utf-8").split("\f") if p.strip()]
    assert len(pages) >= 2
    with_rows = [page for page in pages if re.search(r"\d\d/\d\d/\d{4}", page)]
    assert len(with_rows) >= 2  # the table spans pages (the closing may stand alone)
    assert all(_("Signature") in page and "06/04" in page for page in with_rows)
    assert _("Trainees in total: %(count)d") % {"count": 45} in " ".join(pages[-1].split())
