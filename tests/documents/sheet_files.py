"""Real .ods and .xls files for tests, made without LibreOffice (CI has none).

An OpenDocument spreadsheet is a zip of XML: ``ods(rows)`` writes one sheet (a cell is a str,
an int or float, a bool, a date or datetime, or None); ``content_xml`` and ``package`` build
hostile ones. An old Excel file is written by xlwt (a dev dependency): ``xls(rows)``.
``converted(xlsx, fmt)`` turns the first sheet of an .xlsx a test built into the same cells
as .xls or .ods, dates kept as dates, so a test of an upload runs on every format.

``make_fixtures`` (run as ``python -m tests.documents.sheet_files DIR``) writes a few files
to open in LibreOffice by hand, to see they are what they claim.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

import xlwt
from openpyxl import load_workbook

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'office:version="1.3"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
            f"<text:p>{flag.upper()}</text:p></table:table-cell>"
        )
    if isinstance(value, datetime | date):
        text = value.isoformat()
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{text}">'
            f"<text:p>{text}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def sheet_xml(rows, *, name="Sheet1") -> str:
    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    return f"<table:table table:name={quoteattr(name)}>{body}</table:table>"


def content_xml(tables: str, *, head: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return (
        f"{head}<office:document-content {NS}><office:body><office:spreadsheet>"
        f"{tables}</office:spreadsheet></office:body></office:document-content>"
    ).encode()


def package(content: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, zipfile.ZIP_STORED)
        extra = {"META-INF/manifest.xml": MANIFEST.encode(), **(extra or {})}
        archive.writestr("content.xml", content)
        for name, data in extra.items():
            archive.writestr(name, data)
    return out.getvalue()


def ods(rows, *, name: str = "Sheet1") -> bytes:
    """A real .ods file of one sheet holding ``rows``."""
    return package(content_xml(sheet_xml(rows, name=name)))


DATE_STYLE = xlwt.easyxf(num_format_str="DD/MM/YYYY")
DATETIME_STYLE = xlwt.easyxf(num_format_str="DD/MM/YYYY hh:mm")


def xls(rows, *, name: str = "Sheet1") -> bytes:
    """A real .xls file (Excel 97-2003, BIFF8) of one sheet holding ``rows``."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(name)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime):
                ws.write(r, c, value, DATETIME_STYLE)
            elif isinstance(value, date):
                ws.write(r, c, value, DATE_STYLE)
            else:
                ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet_rows(xlsx: bytes) -> list[list]:
    """The first sheet of an .xlsx as rows of values from A1; a date at midnight as a date."""
    ws = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    rows = []
    for row in ws.iter_rows(values_only=True):
        rows.append(
            [
                v.date() if isinstance(v, datetime) and v == datetime(v.year, v.month, v.day) else v
                for v in row
            ]
        )
    return rows


WRITERS = {"ods": ods, "xls": xls}
FORMATS = ("xlsx", "xls", "ods")


def converted(xlsx: bytes, fmt: str) -> bytes:
    """The first sheet of ``xlsx`` as an ``fmt`` file ("xlsx" gives it back as it is)."""
    return xlsx if fmt == "xlsx" else WRITERS[fmt](sheet_rows(xlsx))


def make_fixtures(folder: str) -> None:
    from pathlib import Path

    rows = [
        ["Họ và tên đệm", "Tên", "Ngày sinh", "Số", "Đoàn viên"],
        ["Nguyễn Văn", "An", date(2008, 3, 5), 12, True],
        ["Trần Thị", "Bình", "05/03/2008", 1.5, False],
    ]
    for fmt, write in WRITERS.items():
        Path(folder, f"mau.{fmt}").write_bytes(write(rows))


if __name__ == "__main__":
    import sys

    make_fixtures(sys.argv[1])
