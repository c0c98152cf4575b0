"""Old Excel files (.xls) and LibreOffice / WPS files (.ods): checked here, then read by
python-calamine.

calamine holds a sheet as a rectangle from A1 to its farthest filled cell, in memory, and
reads every sheet of an .xls or .ods when it opens it: one cell at IV65536 in a 6 kB .xls,
or one repeated cell in an .ods ("number-rows-repeated"), takes a gigabyte. So before
calamine sees a file, its cells' positions are read without their values, and a file whose
sheets reach more than ``Limits.area`` cells is refused, naming the farthest cell:

- .xls is an OLE2 compound file; ``olefile`` finds its Workbook stream (an encrypted
  .xlsx is an OLE2 file too, holding an "EncryptedPackage"; both with a password are
  refused). The stream's BIFF records are walked: a FILEPASS record means a password, and
  each cell record gives its row and column.
- .ods is a zip, checked like an .xlsx (``package_problem``: unpacked size, ratio, no
  document type) by the caller; then its content.xml is read by defusedxml's SAX parser,
  which refuses any document type or entity anywhere in it (calamine itself stops on one,
  but is never asked), counting repeated rows and columns. An .ods saved with a password
  says so in its manifest.

calamine gives a cell's value only: a formula comes as its result (what the sheet shows)
and an error value (#N/A) as an empty cell. .xlsx stays with openpyxl (see the package's
docstring).
"""

from __future__ import annotations

import logging
import struct
import zipfile
from dataclasses import dataclass
from datetime import date, time, timedelta
from io import BytesIO
from typing import Any
from xml.sax import SAXException
from xml.sax.handler import ContentHandler, feature_namespaces

import olefile
from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook, PasswordError

from .limits import (
    Limits,
    SpreadsheetRefused,
    area_message,
    dtd_message,
    not_a_workbook_message,
    password_message,
    unpacked_message,
)

logger = logging.getLogger(__name__)

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

# BIFF8 records (MS-XLS 2.3): those whose body starts with the cell's row and column, and
# the two that cover a run of columns (first column at bytes 2-3, last in the final two).
BOF, FILEPASS = 0x0809, 0x002F
CELL_RECORDS = frozenset({0x0006, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E})
RUN_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


@dataclass(frozen=True)
class Cell:
    """A value calamine read, shaped like openpyxl's cell: ``value`` and ``data_type``."""

    value: Any
    data_type: str


class _Reach:
    """The rectangles a workbook's sheets reach from A1, added up, within ``limits.area``."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.done = 0  # cells of the sheets already closed
        self.rows = self.columns = 0  # the open sheet's reach

    def sheet(self) -> None:
        self.done += self.rows * self.columns
        self.rows = self.columns = 0

    def cell(self, row: int, column: int) -> None:
        """A filled cell at ``row``, ``column`` (1-based); refuses the file past the area."""
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)
        if self.done + self.rows * self.columns > self.limits.area:
            name = f"{get_column_letter(min(column, 18278))}{row}"
            raise SpreadsheetRefused(area_message(name, self.limits))


# --- .xls ----------------------------------------------------------------------------------


def check_xls(data: bytes, limits: Limits) -> None:
    """Refuse an OLE2 file that is not a readable .xls within ``limits``."""
    if ENCRYPTED_PACKAGE in data[:65536]:  # an .xlsx saved with a password
        raise SpreadsheetRefused(password_message())
    try:
        with olefile.OleFileIO(BytesIO(data)) as ole:
            if ole.exists("EncryptedPackage"):
                raise SpreadsheetRefused(password_message())
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:  # a Word .doc or another OLE2 file
                raise SpreadsheetRefused(not_a_workbook_message())
            size = ole.get_size(name)
            if size > limits.unpacked:
                raise SpreadsheetRefused(unpacked_message(size, limits.unpacked))
            stream = ole.openstream(name).read()
    except SpreadsheetRefused:
        raise
    except Exception:  # noqa: BLE001 - olefile raises many kinds on a broken container
        raise SpreadsheetRefused(not_a_workbook_message()) from None
    _walk_biff(stream, _Reach(limits))


def _walk_biff(stream: bytes, reach: _Reach) -> None:
    position, end = 0, len(stream)
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + length]
        position += 4 + length
        if kind == FILEPASS:
            raise SpreadsheetRefused(password_message())
        if kind == BOF:
            reach.sheet()
        elif kind in CELL_RECORDS and length >= 4:
            row, column = struct.unpack_from("<HH", body)
            reach.cell(row + 1, column + 1)
        elif kind in RUN_RECORDS and length >= 6:
            (row,) = struct.unpack_from("<H", body)
            (last,) = struct.unpack_from("<H", body, length - 2)
            reach.cell(row + 1, last + 1)


# --- .ods ----------------------------------------------------------------------------------


def is_ods(archive: zipfile.ZipFile) -> bool:
    names = set(archive.namelist())
    if "content.xml" not in names or "mimetype" not in names:
        return False
    with archive.open("mimetype") as member:
        return member.read(len(ODS_MIMETYPE) + 2).strip() == ODS_MIMETYPE


def check_ods(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse an .ods with a password, a document type or cells beyond ``limits.area``
    (the zip's sizes are the caller's ``package_problem``)."""
    if "META-INF/manifest.xml" in archive.namelist():
        with archive.open("META-INF/manifest.xml") as manifest:
            if b"encryption-data" in manifest.read(limits.unpacked):
                raise SpreadsheetRefused(password_message())
    parser = make_parser()
    parser.forbid_dtd = True  # entities are forbidden by default; a DTD too, here
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(_OdsReach(_Reach(limits)))
    try:
        with archive.open("content.xml") as content:
            parser.parse(content)
    except DefusedXmlException:
        raise SpreadsheetRefused(dtd_message()) from None
    except (SAXException, ValueError, zipfile.BadZipFile, OSError, EOFError):
        raise SpreadsheetRefused(not_a_workbook_message()) from None


class _OdsReach(ContentHandler):
    """Counts an .ods's rows and columns as calamine will lay them out: a repeated row or
    cell counts as many times as it is repeated; a cell without a value or content (an
    empty or only formatted one) reaches nothing."""

    def __init__(self, reach: _Reach):
        super().__init__()
        self.reach = reach
        self.row = 0  # rows of the open table before the open row
        self.rows_repeated = 1
        self.column = 0  # columns of the open row before the open cell
        self.columns_repeated = 1
        self.cell_depth = 0  # > 0 inside a cell
        self.filled = False

    @staticmethod
    def _repeat(attrs, name: str) -> int:
        try:
            return max(int(attrs.get((TABLE, name), 1)), 1)
        except ValueError:
            return 1

    def startElementNS(self, name, qname, attrs):  # noqa: N802 - SAX's name
        if self.cell_depth:
            self.cell_depth += 1
            self.filled = True  # a paragraph, an annotation: calamine may read it
            return
        uri, local = name
        if uri != TABLE:
            return
        if local == "table":
            self.reach.sheet()
            self.row = 0
        elif local == "table-row":
            self.rows_repeated = self._repeat(attrs, "number-rows-repeated")
            self.column = 0
        elif local in ("table-cell", "covered-table-cell"):
            self.columns_repeated = self._repeat(attrs, "number-columns-repeated")
            self.filled = (OFFICE, "value-type") in attrs.getNames()
            self.cell_depth = 1

    def endElementNS(self, name, qname):  # noqa: N802 - SAX's name
        if self.cell_depth > 1:
            self.cell_depth -= 1
            return
        if self.cell_depth == 1:
            self.cell_depth = 0
            self.column += self.columns_repeated
            if self.filled:
                self.reach.cell(self.row + self.rows_repeated, self.column)
        elif name == (TABLE, "table-row"):
            self.row += self.rows_repeated


# --- reading -------------------------------------------------------------------------------


def _data_type(value: Any) -> str:
    if isinstance(value, bool):
        return "b"
    if isinstance(value, str):
        return "s"
    if isinstance(value, date | time | timedelta):
        return "d"
    return "n"


def first_sheet_rows(data: bytes) -> list[list[Cell]]:
    """The first sheet of a checked .xls or .ods, every row from row 1 and column A."""
    try:
        with CalamineWorkbook.from_filelike(BytesIO(data)) as workbook:
            if not workbook.sheet_names:
                raise SpreadsheetRefused(not_a_workbook_message())
            values = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except PasswordError:
        raise SpreadsheetRefused(password_message()) from None
    except SpreadsheetRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - CalamineError, or a value Python cannot hold
        logger.info("spreadsheet upload: calamine could not read the file", exc_info=exc)
        raise SpreadsheetRefused(not_a_workbook_message()) from None
    return [[Cell(value, _data_type(value)) for value in row] for row in values]
