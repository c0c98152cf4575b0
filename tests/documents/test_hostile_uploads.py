"""Every upload page meets the same hostile files (issue 14, item 5) and answers each with a
Vietnamese message, writing nothing: the candidate import, a class's nominee upload, the
quota grid import, the historical totals import and a plan's attached file.

The files are built here with openpyxl and zipfile: a zip bomb, an XML entity bomb in the
sheet, a PDF renamed .xlsx, a password-protected workbook, an empty workbook, headings only,
10,000 rows, a 100,000-character cell, a 5,000-digit number, a file just over the limit.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from candidates.models import Candidate
from candidates.people_xlsx import people_template_xlsx
from core.models import AuditEvent
from documents.spreadsheets import not_a_workbook_message, password_message
from quotas.models import HistoricalTotal, Plan, TargetValue
from tests.documents import sheet_files as formats
from training.choices import ClassStatus
from training.models import Attendance, Nomination, TrainingClass
from training.services import class_save

MB = 1024 * 1024
SUBMIT_DAY = date(2024, 3, 25)


# --- the hostile files -----------------------------------------------------------------------


def to_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    return to_bytes(wb)


def replace_member(data: bytes, name: str, change) -> bytes:
    """The same zip with member ``name`` changed by ``change(bytes) -> bytes``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
PLACEHOLDER = 123456789
SHEET_HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def zip_bomb() -> bytes:
    """A real workbook whose sheet unpacks to 33 MB from about 30 kB."""
    rows = b"<row/>" * 5_500_000
    return replace_member(
        workbook([["Mã đơn vị"]]),
        SHEET,
        lambda _: SHEET_HEAD + b"<sheetData>" + rows + b"</sheetData></worksheet>",
    )


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


def entity_bomb() -> bytes:
    """ "Billion laughs" in the sheet's XML: one cell would expand to 3 GB of "lol"."""
    data = workbook([["Mã đơn vị", "Số"], ["THPT-HH1", PLACEHOLDER]])
    return replace_member(
        data,
        SHEET,
        lambda xml: (
            BILLION_LAUGHS
            + xml.replace(
                b"<v>%d</v>" % PLACEHOLDER, b'</c><c r="C2" t="inlineStr"><is><t>&lol9;</t></is>'
            )
        ),
    )


def password_protected() -> bytes:
    """What Excel writes for a workbook saved with a password: an OLE2 container holding the
    encrypted package (its stream names in UTF-16)."""
    names = b"".join(
        n.encode("utf-16-le").ljust(64, b"\0")
        for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage")
    )
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + names + b"\0" * 4096


def huge_number(digits: int = 5000) -> bytes:
    """A number cell of ``digits`` digits (Excel cannot write one; a crafted file can)."""
    data = workbook([["Mã đơn vị", "Số"], ["THPT-HH1", PLACEHOLDER]])
    return replace_member(data, SHEET, lambda xml: xml.replace(b"%d" % PLACEHOLDER, b"9" * digits))


def long_cell() -> bytes:
    """A cell of 100,000 characters (openpyxl and Excel stop at 32,767; a crafted file not)."""
    data = workbook([["Mã đơn vị", "Tên"], ["THPT-HH1", "PLACEHOLDER"]])
    return replace_member(data, SHEET, lambda xml: xml.replace(b"PLACEHOLDER", b"a" * 100_000))


RENAMED_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

ODS_ENTITY_BOMB = formats.content_xml(
    '<table:table table:name="S"><table:table-row><table:table-cell office:value-type='
    '"string"><text:p>&lol9;</text:p></table:table-cell></table:table-row></table:table>',
    head=BILLION_LAUGHS.decode(),
)
ODS_ZIP_BOMB = formats.content_xml(
    '<table:table table:name="S">' + "<table:table-row/>" * 1_900_000 + "</table:table>"
)
FAR_XLS_ROWS = [["Mã đơn vị"]] + [[]] * 65534 + [[None] * 255 + ["x"]]
RANDOM_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 32


def xls_with_a_password() -> bytes:
    """An .xls whose workbook globals carry a FILEPASS record, as Excel writes for a password
    (the record after the globals' BOF retyped, its length kept)."""
    data = bytearray(formats.xls([["Mã đơn vị"], ["THPT-HH1"]]))
    bof = data.index(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BOF of the workbook globals
    data[bof + 20 : bof + 22] = b"\x2f\x00"
    return bytes(data)


# Vietnamese, as each page shows it
VI_ENTITIES = "Tệp chứa khai báo XML mà Office không bao giờ ghi"
# the door's own words where the catalogue may not have them yet (English until translated)
VI_NOT_XLSX = not_a_workbook_message
VI_PASSWORD = password_message
VI_EMPTY = "Trang tính đầu tiên của tệp không có dữ liệu."
VI_ROWS = "Tệp có hơn 3.000 dòng có dữ liệu; chỉ đọc tối đa 3.000 dòng."
VI_CELL = "Ô B2 có 100.000 ký tự; mỗi ô chỉ được tối đa 2.000 ký tự."
VI_DIGITS = "Tệp chứa một số dài hàng nghìn chữ số; số trong tệp chỉ được có tối đa 15 chữ số."
VI_BIG_NUMBER = "Ô B2 chứa một số quá lớn, không thể là số thật"
VI_UNPACKED = "Tệp chứa quá nhiều dữ liệu khi giải nén"

HOSTILE = {
    # name: (file, the message every spreadsheet page gives)
    "zip-bomb": (zip_bomb, VI_UNPACKED),
    "entity-bomb": (entity_bomb, VI_ENTITIES),
    "renamed-pdf": (lambda: RENAMED_PDF, VI_NOT_XLSX),
    "password": (password_protected, VI_PASSWORD),
    "empty-workbook": (lambda: to_bytes(Workbook()), VI_EMPTY),
    "10000-rows": (lambda: workbook([["THPT-HH1", i] for i in range(10_000)]), VI_ROWS),
    "long-cell": (long_cell, VI_CELL),
    "5000-digits": (huge_number, VI_DIGITS),
    "20-digits": (lambda: huge_number(20), VI_BIG_NUMBER),
    # .xls and .ods (issue 15, item 9; tests.documents.test_sheet_formats has more)
    "ods-entity-bomb": (lambda: formats.package(ODS_ENTITY_BOMB), VI_ENTITIES),
    "ods-zip-bomb": (lambda: formats.package(ODS_ZIP_BOMB), VI_UNPACKED),
    "xls-far-cell": (lambda: formats.xls(FAR_XLS_ROWS), "IV65536"),
    "xls-truncated": (lambda: formats.xls([["Mã đơn vị"], ["THPT-HH1"]])[:3000], VI_NOT_XLSX),
    "xls-random-bytes": (lambda: RANDOM_XLS, VI_NOT_XLSX),
    "xls-password": (lambda: xls_with_a_password(), VI_PASSWORD),
}


# --- the pages -------------------------------------------------------------------------------


@dataclass
class Page:
    """An upload page: how to post a file to it and what it must not write."""

    name: str
    username: str
    limit_message: str  # what it says of a file just over its size limit
    limit: int
    headings_only_message: str

    def post(self, client, ctx, data: bytes, filename: str = "tep.xlsx"):
        upload = SimpleUploadedFile(filename, data, content_type="application/octet-stream")
        if self.name == "candidate_import":
            return client.post(
                reverse("candidates:candidate_import"), {"unit": ctx.unit.pk, "file": upload}
            )
        if self.name == "nominee_upload":
            url = reverse("training:nominee_upload", args=[ctx.cls.pk, ctx.unit.pk])
            return client.post(url, {"file": upload})
        if self.name == "results_upload":
            url = reverse("training:results_upload", args=[ctx.cls.pk])
            return client.post(url, {"file": upload})
        if self.name == "grid_import":
            url = reverse("quotas:plan_grid", kwargs={"pk": ctx.plan.pk})
            return client.post(url, {"import": "1", "file": upload})
        return client.post(reverse("quotas:historical_import"), {"action": "check", "file": upload})

    def headings_only(self, client, ctx) -> bytes:
        """The page's own template, its rows taken out."""
        if self.name in ("candidate_import", "nominee_upload"):
            return people_template_xlsx(title="DANH SÁCH", lines=[], people=[])
        if self.name == "results_upload":  # the class has nobody accepted: headings only
            url = reverse("training:results_template", args=[ctx.cls.pk])
            return b"".join(client.get(url).streaming_content)
        if self.name == "grid_import":
            url = reverse("quotas:plan_grid_export", kwargs={"pk": ctx.plan.pk})
        else:
            url = reverse("quotas:historical_template")
        wb = load_workbook(io.BytesIO(client.get(url).getvalue()))
        ws = wb.worksheets[0]
        ws.delete_rows(heading_row(ws) + 1, ws.max_row)
        return to_bytes(wb)


def heading_row(ws) -> int:
    return next(r for r in range(1, 20) if ws.cell(r, 1).value == "Mã đơn vị")


PAGES = [
    Page(
        "candidate_import",
        "bithu.thpt1",
        "Tệp lớn hơn 2 MB, trong khi một danh sách người nhỏ hơn nhiều.",
        2 * MB,
        "Tệp không có dòng nào ghi thông tin người.",
    ),
    Page(
        "nominee_upload",
        "bithu.thpt1",
        "Tệp lớn hơn 5 MB; một danh sách người thường nhỏ hơn nhiều.",
        5 * MB,
        "Tệp không có dòng nào ghi thông tin người.",
    ),
    Page(
        "grid_import",
        "bantochuc",
        "Tệp quá lớn (hơn 5 MB); tối đa 5 MB.",
        5 * MB,
        "Tệp có dòng tiêu đề nhưng không có dòng đơn vị nào.",
    ),
    Page(
        "historical_import",
        "bantochuc",
        "Tệp lớn hơn 2 MB; một bảng số liệu nhỏ hơn nhiều.",
        2 * MB,
        "Tệp có dòng tiêu đề nhưng không có dòng đơn vị nào.",
    ),
    Page(
        "results_upload",  # a class's attendance and results (issue 15, item 5)
        "bantochuc",
        "Tệp lớn hơn 5 MB; một danh sách người thường nhỏ hơn nhiều.",
        5 * MB,
        "Tệp không có dòng học viên nào dưới dòng tiêu đề.",
    ),
]


@dataclass
class Context:
    unit: object
    plan: Plan
    cls: TrainingClass


@pytest.fixture
def ctx(demo, plan145, board, monkeypatch):
    monkeypatch.setattr("training.services._today", lambda: SUBMIT_DAY)
    monkeypatch.setattr("training.views.lists.today", lambda: SUBMIT_DAY)
    cls = class_save(
        actor=board,
        training_class=TrainingClass(
            plan=plan145,
            round=plan145.rounds.get(number=1),
            name="Lớp học sinh đợt 1",
            audience="students",
            organiser=demo["TTCT-HH"],
            nomination_deadline=date(2024, 3, 29),
            status=ClassStatus.OPEN,
            certificate_prefix="HS1/2024-",
        ),
        session_dates=(date(2024, 4, 7), date(2024, 4, 14)),
    )
    return Context(unit=demo["THPT-HH1"], plan=plan145, cls=cls)


def written() -> tuple:
    """Everything an upload could write: rows of every kind it makes, and the audit."""
    return (
        Candidate.objects.count(),
        Nomination.objects.count(),
        sorted(TargetValue.objects.values_list("target_id", "unit_id", "minimum", "maximum")),
        HistoricalTotal.objects.count(),
        Attendance.objects.count(),
        sorted(Nomination.objects.values_list("pk", "result")),
        AuditEvent.objects.count(),
    )


def assert_refused(response, message: str, client) -> None:
    assert response.status_code in (200, 400)  # the page again, with the message
    html = response.content.decode()
    assert escape(message) in html, message
    assert "candidate_import" not in client.session  # nothing waits to be confirmed
    assert "historical_import" not in client.session


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("hostile", list(HOSTILE), ids=str)
def test_every_spreadsheet_page_refuses_every_hostile_file(login, ctx, page, hostile):
    make, message = HOSTILE[hostile]
    message = message() if callable(message) else message
    client = login(page.username)
    before = written()
    response = page.post(client, ctx, make())
    assert_refused(response, message, client)
    assert written() == before


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_spreadsheet_page_refuses_a_file_just_over_its_limit(login, ctx, page):
    client = login(page.username)
    before = written()
    response = page.post(client, ctx, b"PK\x03\x04" + b"\0" * (page.limit - 3))
    assert_refused(response, page.limit_message, client)
    assert "5,0 MB" not in response.content.decode()
    assert written() == before


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_spreadsheet_page_says_a_file_of_headings_has_no_rows(login, ctx, page):
    client = login(page.username)
    data = page.headings_only(client, ctx)
    before = written()
    response = page.post(client, ctx, data)
    assert_refused(response, page.headings_only_message, client)
    assert written() == before


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if p.name in ("grid_import", "historical_import")],
    ids=lambda p: p.name,
)
def test_a_number_of_5000_digits_typed_as_text_is_refused(login, ctx, page):
    """The grid and the totals read numbers from text too: "9" * 5000 once gave a 500
    (Python refuses to turn more than 4,300 digits into a number). The cell is longer than
    a cell may be; shorter ones are "too large" (``test_grid``'s parse_number tests)."""
    client = login(page.username)
    wb = load_workbook(io.BytesIO(page.headings_only(client, ctx)))
    ws = wb.worksheets[0]
    headings = [c.value for c in ws[heading_row(ws)]]
    row = ["THPT-HH1", "Trường THPT Hiệp Hòa số 1"] + [None] * (len(headings) - 2)
    number_columns = [i for i, h in enumerate(headings) if i > 1 and h]
    if page.name == "historical_import":
        year = next(i for i, h in enumerate(headings) if h and "Năm" in str(h))
        row[year] = 2020
        number_columns = [i for i in number_columns if i != year][:1]
    row[number_columns[0]] = "9" * 5000
    ws.append(row)
    before = written()
    response = page.post(client, ctx, to_bytes(wb))
    assert_refused(response, "có 5.000 ký tự; mỗi ô chỉ được tối đa 2.000 ký tự.", client)
    assert written() == before


# --- the plan's attached file ----------------------------------------------------------------


@pytest.fixture
def plan_page(login, plan145, demo, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    client = login("bantochuc")
    data = {
        "number": plan145.number,
        "title": plan145.title,
        "issuer": demo["HU-HIEPHOA"].pk,
        "issued_on": "20/03/2024",
        "year": 2024,
        "status": "in_force",
    }
    url = reverse("quotas:plan_update", kwargs={"pk": plan145.pk})

    def post(name: str, content: bytes, **extra):
        if name:
            extra.setdefault("attachment", SimpleUploadedFile(name, content))
        return client.post(url, {**data, **extra})

    post.files = lambda: sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    return post


ATTACHMENT_HOSTILE = {
    "zip-bomb": (
        "ke-hoach.xlsx",
        zip_bomb,
        "Tệp được nén theo cách bất thường",
    ),
    "entity-bomb": ("ke-hoach.xlsx", entity_bomb, VI_ENTITIES),
    "renamed-pdf": (
        "ke-hoach.xlsx",
        lambda: RENAMED_PDF,
        "Tệp “ke-hoach.xlsx” không phải là bảng tính Excel (.xlsx) như tên tệp cho thấy: "
        "nội dung là tài liệu PDF.",
    ),
    "renamed-text": (
        "ke-hoach.pdf",
        lambda: b"MZ\x90\x00 an executable",
        "Tệp “ke-hoach.pdf” không phải là tài liệu PDF: nội dung của tệp không thuộc loại nào",
    ),
    "password": (
        "ke-hoach.xlsx",
        password_protected,
        "Tệp “ke-hoach.xlsx” có mật khẩu; hãy bỏ mật khẩu rồi đính kèm lại.",
    ),
    "just-over-20-mb": (
        "ke-hoach.pdf",
        lambda: b"%PDF-1.7\n" + b"\0" * (20 * MB - 8),
        "Tệp quá lớn (hơn 20 MB); tối đa 20 MB.",
    ),
}


@pytest.mark.parametrize("hostile", list(ATTACHMENT_HOSTILE), ids=str)
def test_a_plan_attachment_is_checked_by_its_content(plan_page, plan145, hostile):
    name, make, message = ATTACHMENT_HOSTILE[hostile]
    audit = AuditEvent.objects.count()
    response = plan_page(name, make())
    assert response.status_code == 200
    assert escape(message) in response.content.decode(), message
    plan145.refresh_from_db()
    assert not plan145.attachment
    assert plan_page.files() == []
    assert AuditEvent.objects.count() == audit


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ke-hoach.pdf", RENAMED_PDF),
        ("ke-hoach.xlsx", workbook([["Đơn vị", "Chỉ tiêu"], ["THPT Hiệp Hòa số 1", 2]])),
        ("anh-chup.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        ("anh-chup.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64),
    ],
)
def test_a_real_document_is_attached(plan_page, plan145, name, content):
    assert plan_page(name, content).status_code == 302
    plan145.refresh_from_db()
    assert plan145.attachment.read() == content


def test_a_replaced_or_cleared_attachment_leaves_storage(
    plan_page, plan145, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_page("ke-hoach.pdf", RENAMED_PDF).status_code == 302
    [first] = plan_page.files()
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_page("ke-hoach-ky.pdf", RENAMED_PDF + b"signed").status_code == 302
    [second] = plan_page.files()
    assert second != first  # the old file is gone, the new one kept
    plan145.refresh_from_db()
    assert plan145.attachment.name.endswith(second)
    with django_capture_on_commit_callbacks(execute=True):
        response = plan_page("", b"", **{"attachment-clear": "on"})
    assert response.status_code == 302
    assert plan_page.files() == []


def test_a_refused_replacement_keeps_the_old_file(
    plan_page, plan145, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan_page("ke-hoach.pdf", RENAMED_PDF)
    before = plan_page.files()
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_page("ke-hoach.xlsx", RENAMED_PDF).status_code == 200
    assert plan_page.files() == before
    plan145.refresh_from_db()
    assert plan145.attachment.read() == RENAMED_PDF
