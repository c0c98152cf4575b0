"""The one door for uploaded spreadsheets: every .xlsx, .xls or .ods a user sends is opened
here, with the same guards, so no reader meets a file it should not have opened.

``read_sheet`` is what the imports call: it checks the file and reads the first sheet's
filled cells within ``Limits``, whatever the format. Every refusal is a
``SpreadsheetRefused`` with a Vietnamese message; nothing is written.

In order, before any parser reads a cell (so memory stays bounded whatever the file):

1. the upload's size (``Limits.size``);
2. the kind, told by the content, never the name: a zip holding an Excel workbook (.xlsx) or
   an OpenDocument spreadsheet (.ods), or an OLE2 file holding an old Excel workbook (.xls);
   a password (an encrypted .xlsx, .xls or .ods) and anything else are refused;
3. a zip's members as their headers declare them (``package_problem``): the total unpacked
   size (``Limits.unpacked``) and each large member's compression ratio (a "zip bomb").
   Python's ``zipfile`` never inflates a member past its declared size (a lie ends in a CRC
   error), so the declared sizes bound what a parser can read;
4. an XML document type declaration in any XML member: Office and LibreOffice never write
   one, and it is how an entity bomb ("billion laughs") starts;
5. for .xls and .ods, the cells' positions (``calamine``): the rectangle the sheets reach
   from A1 is at most ``Limits.area`` cells, because calamine holds it in memory.

Then an .xlsx is read by openpyxl, streaming (read-only mode), with defusedxml installed
(openpyxl uses it by itself when it is importable; ``DEFUSED`` says so and a test holds it):
an entity that slipped past step 4 makes the parser stop instead of expanding. Formulas are
never evaluated (``data_only=False``), so the readers can refuse them. .xlsx stays with
openpyxl rather than calamine, which would be faster: streaming keeps memory bounded
without step 5, and the readers' formula and Excel-error checks need the formula itself,
which calamine does not give. An .xls or .ods is read by calamine (``calamine``): a formula
comes as its result, a date cell as a date, as in an .xlsx.

While reading the first sheet, ``read_sheet`` refuses a file with more filled rows than
``Limits.rows``, a filled cell right of ``Limits.columns``, a cell longer than
``Limits.cell_chars`` and a number of more than 15 digits (Excel keeps no more), naming the
cell, for every format alike. An empty first sheet is refused too; "headings but no rows" is
each reader's to say.
"""

from __future__ import annotations

import logging
import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from .calamine import check_ods, check_xls, first_sheet_rows, is_ods
from .limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_DIGITS,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    OLE2_MAGIC,
    RATIO_FROM,
    XML_HEAD_BYTES,
    ZIP_MAGIC,
    Limits,
    SpreadsheetRefused,
    count,
    dtd_message,
    not_a_workbook_message,
    password_message,
    sizes,
    too_large_message,
    unpacked_message,
)

__all__ = [
    "ACCEPT",
    "DEFUSED",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "MAX_UPLOAD_BYTES",
    "OLE2_MAGIC",
    "EXTENSIONS",
    "Limits",
    "Sheet",
    "SpreadsheetRefused",
    "not_a_workbook_message",
    "open_workbook",
    "package_problem",
    "password_message",
    "read_sheet",
    "sizes",
    "too_large_message",
]

logger = logging.getLogger(__name__)

# openpyxl parses with defusedxml (entities forbidden) when it can import it.
DEFUSED = openpyxl.DEFUSEDXML
# The kinds read, for an upload field's ``accept`` and a check of the file's name.
EXTENSIONS = (".xlsx", ".xls", ".ods")
ACCEPT = ",".join(EXTENSIONS)
XLSX, XLS, ODS = "xlsx", "xls", "ods"


# --- the container -------------------------------------------------------------------------


def package_problem(archive: zipfile.ZipFile, *, unpacked_limit: int) -> str | None:
    """What makes a zip package (.xlsx, .docx, .odt) unsafe to unpack, or None: its declared
    unpacked size, a member's compression ratio, or a document type declaration in an XML
    member. Reads at most ``XML_HEAD_BYTES`` of each XML member."""
    members = archive.infolist()
    unpacked = sum(info.file_size for info in members)
    if unpacked > unpacked_limit:
        return unpacked_message(unpacked, unpacked_limit)
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
            return _(
                "The file is packed in an unusual way (one part unpacks %(ratio)s times "
                "larger), as files made to overload a server are; it is not read."
            ) % {"ratio": count(int(ratio))}
    for info in members:
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as member:
                head = member.read(XML_HEAD_BYTES)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                return dtd_message()
    return None


def _read(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _defused(exc: BaseException) -> bool:
    """Whether defusedxml stopped the parser somewhere in ``exc``'s chain."""
    from defusedxml import DefusedXmlException

    seen = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _unreadable(exc: Exception) -> str:
    """The message for a file openpyxl could not parse."""
    if _defused(exc):
        return dtd_message()
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        # openpyxl met a number of more than 4,300 digits (Python's int() limit)
        return _(
            "The file holds a number thousands of digits long; numbers in the file may have "
            "at most %(digits)s digits."
        ) % {"digits": MAX_DIGITS}
    logger.info("spreadsheet upload: unreadable file", exc_info=exc)
    return not_a_workbook_message()


def _checked(upload, limits: Limits) -> tuple[str, bytes]:
    """(kind, bytes) of an upload that passed steps 1 to 5, or ``SpreadsheetRefused``."""
    size = len(upload) if isinstance(upload, bytes | bytearray) else (upload.size or 0)
    if size > limits.size:
        raise SpreadsheetRefused(too_large_message(size, limits.size))
    data = _read(upload)
    if data.startswith(OLE2_MAGIC):
        check_xls(data, limits)
        return XLS, data
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetRefused(not_a_workbook_message())
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if is_ods(archive):
                kind = ODS
            elif "xl/workbook.xml" in names or "[Content_Types].xml" in names:
                kind = XLSX
            else:
                raise SpreadsheetRefused(not_a_workbook_message())
            problem = package_problem(archive, unpacked_limit=limits.unpacked)
            if problem:
                raise SpreadsheetRefused(problem)
            if kind == ODS:
                check_ods(archive, limits)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise SpreadsheetRefused(not_a_workbook_message()) from None
    return kind, data


def _openpyxl(data: bytes, *, read_only: bool) -> Workbook:
    try:
        workbook = load_workbook(BytesIO(data), read_only=read_only, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken or foreign file
        raise SpreadsheetRefused(_unreadable(exc)) from None
    if not workbook.worksheets:
        raise SpreadsheetRefused(not_a_workbook_message())
    return workbook


def open_workbook(upload, *, limits: Limits | None = None, read_only: bool = True) -> Workbook:
    """The .xlsx workbook in ``upload`` (bytes or an uploaded file) as openpyxl's, or
    ``SpreadsheetRefused``: steps 1 to 4 of the module's guards, then openpyxl with
    defusedxml. An .xls or .ods passes the same checks but is read by ``read_sheet`` only."""
    kind, data = _checked(upload, limits or Limits())
    if kind != XLSX:
        raise SpreadsheetRefused(not_a_workbook_message())
    return _openpyxl(data, read_only=read_only)


# --- the first sheet -----------------------------------------------------------------------


@dataclass
class Sheet:
    """The filled cells of a workbook's first sheet: ``cells[row][column]`` (both 1-based,
    as Excel counts) is an openpyxl read-only cell, or a ``calamine.Cell``, with ``value``
    and ``data_type``."""

    cells: dict[int, dict[int, Any]] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return max((max(row) for row in self.cells.values()), default=0)

    def value_rows(self) -> list[tuple[int, tuple]]:
        """[(row number, the row's values from column A, as wide as the widest row)]."""
        width = self.width
        rows = []
        for number in sorted(self.cells):
            row = self.cells[number]
            rows.append(
                (number, tuple(row[c].value if c in row else None for c in range(1, width + 1)))
            )
        return rows


def _number_problem(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return True
    return abs(value) >= 10**MAX_DIGITS


def _cell_problem(cell, number: int, column: int, limits: Limits) -> str | None:
    name = f"{get_column_letter(column)}{number}"
    value = cell.value
    if column > limits.columns:
        return _(
            "Cell %(cell)s is filled, but a file may have at most %(n)s columns. Delete "
            "the columns right of the list."
        ) % {"cell": name, "n": count(limits.columns)}
    if isinstance(value, str) and len(value) > limits.cell_chars:
        return _("Cell %(cell)s holds %(chars)s characters; a cell may hold at most %(n)s.") % {
            "cell": name,
            "chars": count(len(value)),
            "n": count(limits.cell_chars),
        }
    if _number_problem(value):
        return _(
            "Cell %(cell)s holds a number too large to be real; numbers in the file may "
            "have at most %(digits)s digits."
        ) % {"cell": name, "digits": MAX_DIGITS}
    return None


def _too_many_rows(limits: Limits) -> str:
    return _(
        "The file has more than %(n)s filled rows; at most %(n)s are read. Split the list "
        "into several files."
    ) % {"n": count(limits.rows)}


def _read_cells(rows: Iterable, limits: Limits) -> Sheet:
    """The filled cells of ``rows`` (openpyxl's or calamine's, each from column A)."""
    sheet = Sheet()
    for number, row in enumerate(rows, start=1):
        filled = {}
        for column, cell in enumerate(row, start=1):
            if cell.value is None or cell.value == "":
                continue
            problem = _cell_problem(cell, number, column, limits)
            if problem:
                raise SpreadsheetRefused(problem)
            filled[column] = cell
        if filled:
            if len(sheet.cells) >= limits.rows:
                raise SpreadsheetRefused(_too_many_rows(limits))
            sheet.cells[number] = filled
    return sheet


def read_sheet(upload, *, limits: Limits | None = None) -> Sheet:
    """The filled cells of the first sheet of ``upload`` (.xlsx, .xls or .ods), or
    ``SpreadsheetRefused``."""
    limits = limits or Limits()
    kind, data = _checked(upload, limits)
    if kind != XLSX:
        sheet = _read_cells(first_sheet_rows(data), limits)
    else:
        workbook = _openpyxl(data, read_only=True)
        try:
            ws = workbook.worksheets[0]
            ws.reset_dimensions()  # some programs write wrong dimensions
            sheet = _read_cells(ws.iter_rows(), limits)
        except SpreadsheetRefused:
            raise
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged sheet
            raise SpreadsheetRefused(_unreadable(exc)) from None
        finally:
            workbook.close()
    if not sheet.cells:
        raise SpreadsheetRefused(_("The first sheet of the file is empty."))
    return sheet
