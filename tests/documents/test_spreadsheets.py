import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from documents.spreadsheets import (
    Limits,
    SpreadsheetRefused,
    not_a_workbook_message,
    open_workbook,
    password_message,
)


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


def _refused(data, limits=None) -> str:
    with pytest.raises(SpreadsheetRefused) as caught:
        open_workbook(data, limits=limits)
    return caught.value.message


def test_a_workbook_opens_from_bytes_and_from_an_upload_and_formulas_stay_text():
    data = _xlsx((("Tên", "=1+1"),))
    assert open_workbook(data).active["B1"].value == "=1+1"
    upload = SimpleUploadedFile("ds.xlsx", data)
    assert open_workbook(upload).active["A1"].value == "Tên"
    assert upload.read(2) == b"PK"  # left at the start for whoever reads it next


def test_a_file_over_the_limit_names_both_sizes():
    message = _refused(_xlsx(), limits=Limits(size=1024))
    assert "quá lớn" in message and "1 KB" in message


def test_an_ole2_file_that_is_no_workbook_and_a_password_protected_workbook():
    from tests.documents.test_hostile_uploads import password_protected

    assert _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512) == (not_a_workbook_message())
    assert _refused(password_protected()) == password_message()


@pytest.mark.parametrize(
    "data",
    [b"", b"Ho ten;Ngay sinh\n", b"PK\x03\x04 broken", b"%PDF-1.7"],
    ids=["empty", "csv", "broken-zip", "pdf"],
)
def test_anything_else_is_not_a_workbook(data):
    assert _refused(data) == not_a_workbook_message()


def test_a_zip_without_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert _refused(out.getvalue()) == not_a_workbook_message()


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 64 * 1024
    message = _refused(data, limits=Limits(unpacked=1024 * 1024))
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


def test_one_byte_over_the_limit_is_more_than_the_limit():
    from documents.spreadsheets import sizes

    assert sizes(5 * 1024 * 1024 + 1, 5 * 1024 * 1024) == {"size": "hơn 5 MB", "limit": "5 MB"}


def test_a_member_packed_far_too_tightly_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * 1024 * 1024))
    message = _refused(out.getvalue())  # 3 MB is under the unpacked limit; the ratio is not
    assert "nén theo cách bất thường" in message


def test_the_unpacked_size_is_checked_before_openpyxl_parses(monkeypatch):
    """Memory stays bounded: openpyxl never opens a file whose members unpack too large."""
    from tests.documents.test_hostile_uploads import zip_bomb

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a zip bomb")

    monkeypatch.setattr("documents.spreadsheets.load_workbook", never)
    assert "quá nhiều dữ liệu khi giải nén" in _refused(zip_bomb())


def test_openpyxl_parses_with_defusedxml():
    """Installed, defusedxml is what openpyxl parses with: an entity bomb that got past the
    declaration check would stop the parser rather than expand (3 GB of "lol")."""
    from defusedxml import EntitiesForbidden
    from openpyxl import load_workbook

    from documents.spreadsheets import DEFUSED
    from tests.documents.test_hostile_uploads import entity_bomb

    assert DEFUSED is True
    with pytest.raises(Exception) as caught:  # noqa: B017 - openpyxl wraps it
        wb = load_workbook(io.BytesIO(entity_bomb()), read_only=True)
        list(wb.worksheets[0].iter_rows(values_only=True))
    chain, seen = [], caught.value
    while seen is not None:
        chain.append(type(seen))
        seen = seen.__cause__ or seen.__context__
    assert EntitiesForbidden in chain


def test_an_entity_bomb_is_refused_before_openpyxl(monkeypatch):
    from tests.documents.test_hostile_uploads import entity_bomb

    monkeypatch.setattr("documents.spreadsheets.load_workbook", lambda *a, **k: 1 / 0)
    assert "khai báo XML mà Office không bao giờ ghi" in _refused(entity_bomb())


def test_a_filled_cell_beyond_the_column_limit_is_named():
    from documents.spreadsheets import read_sheet

    wb = Workbook()
    wb.active.cell(1, 1).value = "Mã đơn vị"
    wb.active.cell(2, 12).value = "x"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(SpreadsheetRefused) as caught:
        read_sheet(out.getvalue(), limits=Limits(columns=10))
    assert caught.value.message.startswith("Ô L2 có dữ liệu, nhưng tệp chỉ được có tối đa 10 cột.")


def test_rows_past_the_limit_are_refused_and_empty_rows_do_not_count():
    from documents.spreadsheets import read_sheet

    wb = Workbook()
    for row in range(1, 11):
        wb.active.cell(row * 1000, 1).value = row  # ten filled rows far apart
    out = io.BytesIO()
    wb.save(out)
    assert len(read_sheet(out.getvalue(), limits=Limits(rows=10)).cells) == 10
    with pytest.raises(SpreadsheetRefused) as caught:
        read_sheet(out.getvalue(), limits=Limits(rows=9))
    assert "hơn 9 dòng có dữ liệu" in caught.value.message
