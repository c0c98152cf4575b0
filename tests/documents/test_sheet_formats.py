"""The door reads .xls and .ods as it reads .xlsx (issue 15, item 9): the same cells, dates
as dates, the same limits, and hostile files of both formats refused before calamine reads
them (docs/security.md, uploads)."""

import random
from datetime import date, datetime

import pytest
from django.utils import translation

from documents.spreadsheets import Limits, SpreadsheetRefused, read_sheet
from documents.spreadsheets.limits import (
    area_message,
    dtd_message,
    not_a_workbook_message,
    password_message,
)
from tests.documents.sheet_files import FORMATS, content_xml, converted, ods, package, xls
from tests.documents.test_hostile_uploads import (
    BILLION_LAUGHS,
    FAR_XLS_ROWS,
    workbook,
    xls_with_a_password,
)

ROWS = [
    [None, None, None],
    [None, "Họ và tên", "Ngày sinh", "Số", "Đoàn viên", "Giờ"],
    [None, "Nguyễn Văn An", date(2008, 3, 5), 12, True, datetime(2024, 4, 7, 7, 30)],
    [None, "Trần Thị Bình", "05/03/2008", 1.5, False],
]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def refused(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(SpreadsheetRefused) as caught:
        read_sheet(data, limits=limits)
    return caught.value.message


def never_read(monkeypatch):
    def fail(data):
        raise AssertionError("calamine was asked to read a refused file")

    monkeypatch.setattr("documents.spreadsheets.first_sheet_rows", fail)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_same_cells_at_the_same_places(fmt):
    sheet = read_sheet(converted(workbook(ROWS), fmt))
    assert sorted(sheet.cells) == [2, 3, 4]
    assert sorted(sheet.cells[3]) == [2, 3, 4, 5, 6]
    values = {(r, c): cell.value for r, row in sheet.cells.items() for c, cell in row.items()}
    assert values[(2, 2)] == "Họ và tên" and values[(4, 3)] == "05/03/2008"
    born = values[(3, 3)]
    assert isinstance(born, date) and (born.year, born.month, born.day) == (2008, 3, 5)
    assert values[(3, 6)] == datetime(2024, 4, 7, 7, 30)
    assert values[(3, 4)] == 12 and values[(4, 4)] == 1.5
    assert values[(3, 5)] is True and values[(4, 5)] is False
    assert sheet.cells[3][3].data_type == "d" and sheet.cells[2][2].data_type == "s"


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_the_limits_hold_for_every_format(fmt):
    many = converted(workbook([["x", i] for i in range(12)]), fmt)
    assert "hơn 10 dòng có dữ liệu" in refused(many, Limits(rows=10))
    wide = converted(workbook([["Mã"], [None] * 11 + ["x"]]), fmt)
    assert refused(wide, Limits(columns=10)).startswith("Ô L2 có dữ liệu")
    long = converted(workbook([["Tên"], ["a" * 2500]]), fmt)
    assert refused(long) == "Ô A2 có 2.500 ký tự; mỗi ô chỉ được tối đa 2.000 ký tự."
    empty = converted(workbook([[None]]), fmt)
    assert refused(empty) == "Trang tính đầu tiên của tệp không có dữ liệu."


def test_a_number_of_thousands_of_digits_in_an_ods_is_refused():
    content = content_xml(
        '<table:table table:name="S"><table:table-row><table:table-cell '
        f'office:value-type="float" office:value="{"9" * 5000}"/></table:table-row></table:table>'
    )
    assert "chứa một số quá lớn" in refused(package(content))


FAR_ODS = content_xml(
    '<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string">'
    "<text:p>Mã đơn vị</text:p></table:table-cell></table:table-row>"
    '<table:table-row table:number-rows-repeated="65534"><table:table-cell/></table:table-row>'
    '<table:table-row><table:table-cell table:number-columns-repeated="255"/>'
    '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
    "</table:table-row></table:table>"
)


def far_xls() -> bytes:
    """A 6 kB .xls with one cell at IV65536: calamine would hold 16 million cells."""
    return xls(FAR_XLS_ROWS)


def far_ods() -> bytes:
    """The same in an .ods, by repeated rows: calamine would hold 16 million cells."""
    return package(FAR_ODS)


@pytest.mark.parametrize("make", [far_xls, far_ods], ids=["xls", "ods"])
def test_a_cell_far_away_is_refused_before_calamine_holds_the_rectangle(monkeypatch, make):
    never_read(monkeypatch)
    assert refused(make()) == area_message("IV65536", Limits())


def test_repeated_empty_cells_reach_nothing():
    """LibreOffice writes its empty sheet's end as one row repeated a million times."""
    content = content_xml(
        '<table:table table:name="S"><table:table-row><table:table-cell '
        'office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
        'table:style-name="ce1" table:number-columns-repeated="16384"/></table:table-row>'
        "</table:table>"
    )
    assert list(read_sheet(package(content)).cells) == [1]


def test_an_entity_bomb_in_an_ods_is_refused_whereever_its_declaration_is(monkeypatch):
    never_read(monkeypatch)
    cell = (
        '<table:table table:name="S"><table:table-row><table:table-cell office:value-type='
        '"string"><text:p>&lol9;</text:p></table:table-cell></table:table-row></table:table>'
    )
    at_the_head = content_xml(cell, head=BILLION_LAUGHS.decode())
    assert refused(package(at_the_head)) == dtd_message()
    # past the first 4 kB the package check reads, the SAX parser still refuses it
    late = '<?xml version="1.0"?><!--' + "x" * 8000 + "-->" + BILLION_LAUGHS.decode()[21:]
    assert refused(package(content_xml(cell, head=late))) == dtd_message()


def test_a_zip_bomb_ods_is_refused_before_it_is_unpacked(monkeypatch):
    never_read(monkeypatch)
    rows = "<table:table-row/>" * 1_900_000
    content = content_xml(f'<table:table table:name="S">{rows}</table:table>')
    data = package(content)
    assert len(data) < 200 * 1024
    assert "quá nhiều dữ liệu khi giải nén" in refused(data)


def test_a_password_is_refused_for_every_format(monkeypatch):
    never_read(monkeypatch)
    assert refused(xls_with_a_password()) == password_message()
    manifest = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
        b"</manifest:file-entry></manifest:manifest>"
    )
    encrypted = package(b"\x00" * 64, extra={"META-INF/manifest.xml": manifest})
    assert refused(encrypted) == password_message()


def truncated_xls() -> bytes:
    return xls(ROWS[1:])[:3000]


def random_xls() -> bytes:
    """Random bytes behind the OLE2 signature, named .xls."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(15).randbytes(8192)


@pytest.mark.parametrize("make", [truncated_xls, random_xls], ids=["truncated", "random"])
def test_a_broken_xls_is_not_a_workbook(make):
    assert refused(make()) == not_a_workbook_message()


def test_an_odt_is_not_a_spreadsheet():
    text = package(content_xml(""))
    odt = text.replace(
        b"opendocument.spreadsheet", b"opendocument.text\x00\x00\x00\x00\x00\x00\x00"
    )
    assert refused(odt) == not_a_workbook_message()


def test_the_test_files_are_what_they_claim():
    """The signatures LibreOffice and ``file`` go by (checked by hand with LibreOffice too)."""
    assert xls(ROWS).startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    data = ods(ROWS)
    assert data[30:38] == b"mimetype" and data[38:84] == (
        b"application/vnd.oasis.opendocument.spreadsheet"
    )
