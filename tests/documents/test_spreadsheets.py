import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from documents.spreadsheets import SpreadsheetRefused, open_workbook


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def _xlsx(rows=(("Họ và tên", "Ngày sinh"), ("Nguyễn Văn An", "05/03/2008"))) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _refused(data, **limits) -> str:
    with pytest.raises(SpreadsheetRefused) as caught:
        open_workbook(data, **limits)
    return caught.value.message


def test_a_workbook_opens_from_bytes_and_from_an_upload_and_formulas_stay_text():
    data = _xlsx((("Tên", "=1+1"),))
    assert open_workbook(data).active["B1"].value == "=1+1"
    upload = SimpleUploadedFile("ds.xlsx", data)
    assert open_workbook(upload).active["A1"].value == "Tên"
    assert upload.read(2) == b"PK"  # left at the start for whoever reads it next


def test_a_file_over_the_limit_names_both_sizes():
    message = _refused(_xlsx(), max_bytes=1024)
    assert "quá lớn" in message and "1 KB" in message


def test_an_old_xls_or_a_password_protected_workbook():
    message = _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert ".xls" in message and "mật khẩu" in message


@pytest.mark.parametrize(
    "data",
    [b"", b"Ho ten;Ngay sinh\n", b"PK\x03\x04 broken", b"%PDF-1.7"],
    ids=["empty", "csv", "broken-zip", "pdf"],
)
def test_anything_else_is_not_a_workbook(data):
    assert "không phải" in _refused(data).lower()


def test_a_zip_without_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "không phải" in _refused(out.getvalue()).lower()


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 64 * 1024
    message = _refused(data, max_unpacked_bytes=1024 * 1024)
    assert "3 MB" in message and "1 MB" in message


@pytest.mark.parametrize(
    ("size", "limit", "expected"),
    [
        (5 * 1024 * 1024 + 5000, 5 * 1024 * 1024, {"size": "5,005 MB", "limit": "5 MB"}),
        (7 * 1024 * 1024 + 400_000, 5 * 1024 * 1024, {"size": "7,4 MB", "limit": "5 MB"}),
        (3000, 1024, {"size": "3 KB", "limit": "1 KB"}),
    ],
)
def test_sizes_are_told_apart(size, limit, expected):
    from documents.spreadsheets import sizes

    assert sizes(size, limit) == expected
