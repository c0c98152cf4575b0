"""The one door for uploaded spreadsheets: every .xlsx a user sends is opened here, with the
same guards, so no reader meets a file it should not have opened.

``read_sheet`` is what the imports call: it opens the file with ``open_workbook`` and reads
the first sheet's filled cells, streaming (openpyxl's read-only mode), within ``Limits``.
Every refusal is a ``SpreadsheetRefused`` with a Vietnamese message; nothing is written.

In order, before openpyxl parses anything (so memory stays bounded whatever the file):

1. the upload's size (``Limits.size``);
2. an old .xls or a password-protected workbook (both OLE2 containers) and anything that is
   not a zip holding a workbook;
3. the zip's members as their headers declare them (``package_problem``): the total unpacked
   size (``Limits.unpacked``) and each large member's compression ratio (a "zip bomb").
   Python's ``zipfile`` never inflates a member past its declared size (a lie ends in a CRC
   error), so the declared sizes bound what openpyxl can read;
4. an XML document type declaration in any XML member: Office never writes one, and it is
   how an entity bomb ("billion laughs") starts.

Then openpyxl parses, with defusedxml installed (openpyxl uses it by itself when it is
importable; ``DEFUSED`` says so and a test holds it): an entity that slipped past step 4 makes
the parser stop instead of expanding. Formulas are never evaluated (``data_only=False``).
While reading the first sheet, ``read_sheet`` refuses a file with more filled rows than
``Limits.rows``, a filled cell right of ``Limits.columns``, a cell longer than
``Limits.cell_chars`` and a number of more than 15 digits (Excel keeps no more), naming the
cell. An empty first sheet is refused too; "headings but no rows" is each reader's to say.
"""

from __future__ import annotations

import logging
import math
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import openpyxl
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

logger = logging.getLogger(__name__)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 25 * 1024 * 1024
# A member that unpacks to more than RATIO_FROM bytes may be at most MAX_RATIO times its
# packed size. Sheets measured here pack 10 to 15 times; a zip bomb near 1,000.
MAX_RATIO = 200
RATIO_FROM = 1024 * 1024
MAX_ROWS = 3000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 2000
MAX_DIGITS = 15  # Excel keeps 15 significant digits; a longer number is not a typed one
XML_HEAD_BYTES = 4096  # a document type declaration comes before the root element
# openpyxl parses with defusedxml (entities forbidden) when it can import it.
DEFUSED = openpyxl.DEFUSEDXML


@dataclass(frozen=True)
class Limits:
    """What an uploaded spreadsheet may hold. Readers pass their own where they differ."""

    size: int = MAX_UPLOAD_BYTES  # bytes of the upload
    unpacked: int = MAX_UNPACKED_BYTES  # bytes of all zip members, unpacked
    rows: int = MAX_ROWS  # filled rows of the first sheet
    columns: int = MAX_COLUMNS
    cell_chars: int = MAX_CELL_CHARS


class SpreadsheetRefused(Exception):
    """The upload cannot be read; ``message`` says why, for the user, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- messages ------------------------------------------------------------------------------


def _size(size: int, decimals: int) -> str:
    """1,5 MB or 900 KB, with a decimal comma; whole numbers without decimals."""
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    text = f"{size / 1024 / 1024:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " MB"


def sizes(size: int, limit: int) -> dict[str, str]:
    """The size and the limit as text, precise enough to tell them apart: a file just over
    5 MB reads "5,005 MB; at most 5 MB", one byte over "more than 5 MB; at most 5 MB", never
    "5,0 MB; at most 5 MB"."""
    for decimals in (1, 2, 3):
        texts = {"size": _size(size, decimals), "limit": _size(limit, decimals)}
        if texts["size"] != texts["limit"]:
            return texts
    if size > limit:  # a few bytes over: "more than 5 MB; at most 5 MB"
        texts["size"] = _("more than %(limit)s") % {"limit": texts["limit"]}
    return texts


def too_large_message(size: int, limit: int) -> str:
    return _("The file is too large (%(size)s); the limit is %(limit)s.") % sizes(size, limit)


def _count(n: int) -> str:
    """3.000 in Vietnamese, 3,000 in English."""
    return number_format(n, force_grouping=True)


def not_a_workbook_message() -> str:
    return _(
        "The file is not an Excel workbook (.xlsx). Open it in Excel and save it as “Excel "
        "Workbook (.xlsx)”, without a password, then upload it again."
    )


def _ole2_message() -> str:
    return _(
        "This is an old Excel file (.xls) or a workbook with a password. Open it in "
        "Excel, remove the password and save it as “Excel Workbook (.xlsx)”, then "
        "upload it again."
    )


def _dtd_message() -> str:
    return _(
        "The file contains XML declarations that Office never writes (a document type, "
        "entities); it was not made by Excel or Word and is not read. Open it in Excel or "
        "Word and save it again."
    )


# --- the container -------------------------------------------------------------------------


def package_problem(archive: zipfile.ZipFile, *, unpacked_limit: int) -> str | None:
    """What makes a zip package (.xlsx, .docx, .odt) unsafe to unpack, or None: its declared
    unpacked size, a member's compression ratio, or a document type declaration in an XML
    member. Reads at most ``XML_HEAD_BYTES`` of each XML member."""
    members = archive.infolist()
    unpacked = sum(info.file_size for info in members)
    if unpacked > unpacked_limit:
        return _(
            "The file holds too much data once unpacked (%(size)s); the limit is %(limit)s."
        ) % sizes(unpacked, unpacked_limit)
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM and ratio > MAX_RATIO:
            return _(
                "The file is packed in an unusual way (one part unpacks %(ratio)s times "
                "larger), as files made to overload a server are; it is not read."
            ) % {"ratio": _count(int(ratio))}
    for info in members:
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as member:
                head = member.read(XML_HEAD_BYTES)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                return _dtd_message()
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
        return _dtd_message()
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        # openpyxl met a number of more than 4,300 digits (Python's int() limit)
        return _(
            "The file holds a number thousands of digits long; numbers in the file may have "
            "at most %(digits)s digits."
        ) % {"digits": MAX_DIGITS}
    logger.info("spreadsheet upload: unreadable file", exc_info=exc)
    return not_a_workbook_message()


def open_workbook(upload, *, limits: Limits | None = None, read_only: bool = True) -> Workbook:
    """The workbook in ``upload`` (bytes or an uploaded file), or ``SpreadsheetRefused``:
    steps 1 to 4 of the module's guards, then openpyxl with defusedxml."""
    limits = limits or Limits()
    size = len(upload) if isinstance(upload, bytes | bytearray) else (upload.size or 0)
    if size > limits.size:
        raise SpreadsheetRefused(too_large_message(size, limits.size))
    data = _read(upload)
    if data.startswith(OLE2_MAGIC):
        raise SpreadsheetRefused(_ole2_message())
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetRefused(not_a_workbook_message())
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names and "[Content_Types].xml" not in names:
                raise SpreadsheetRefused(not_a_workbook_message())
            problem = package_problem(archive, unpacked_limit=limits.unpacked)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise SpreadsheetRefused(not_a_workbook_message()) from None
    if problem:
        raise SpreadsheetRefused(problem)
    try:
        workbook = load_workbook(BytesIO(data), read_only=read_only, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken or foreign file
        raise SpreadsheetRefused(_unreadable(exc)) from None
    if not workbook.worksheets:
        raise SpreadsheetRefused(not_a_workbook_message())
    return workbook


# --- the first sheet -----------------------------------------------------------------------


@dataclass
class Sheet:
    """The filled cells of a workbook's first sheet: ``cells[row][column]`` (both 1-based,
    as Excel counts) is an openpyxl read-only cell with ``value`` and ``data_type``."""

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
        ) % {"cell": name, "n": _count(limits.columns)}
    if isinstance(value, str) and len(value) > limits.cell_chars:
        return _("Cell %(cell)s holds %(chars)s characters; a cell may hold at most %(n)s.") % {
            "cell": name,
            "chars": _count(len(value)),
            "n": _count(limits.cell_chars),
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
    ) % {"n": _count(limits.rows)}


def _read_cells(ws, limits: Limits) -> Sheet:
    sheet = Sheet()
    for number, row in enumerate(ws.iter_rows(), start=1):
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
    """The filled cells of the first sheet of ``upload``, or ``SpreadsheetRefused``."""
    limits = limits or Limits()
    workbook = open_workbook(upload, limits=limits, read_only=True)
    try:
        ws = workbook.worksheets[0]
        ws.reset_dimensions()  # some programs write wrong dimensions
        sheet = _read_cells(ws, limits)
    except SpreadsheetRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged sheet
        raise SpreadsheetRefused(_unreadable(exc)) from None
    finally:
        workbook.close()
    if not sheet.cells:
        raise SpreadsheetRefused(_("The first sheet of the file is empty."))
    return sheet
