"""Excel files written with openpyxl: one safe cell writer, the fonts and the page of a
party document.

Every value goes through ``write_cell``: openpyxl turns any text starting with "=" into a
live formula, so a unit named "=HYPERLINK(…)" would become one. ``write_cell`` stores text
as text, always, and marks text that a spreadsheet could read as a formula ("=", "+", "-",
"@", tab, carriage return) with Excel's quote prefix so it stays text when edited. Dates
stay dates, shown day first (``DATE_FORMAT``).
"""

import math
import re
from datetime import date, datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from .layout import MARGIN_MM

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

FONT_NAME = "Times New Roman"
FONT_SIZE = 13
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CM_PER_INCH = 2.54
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def write_cell(ws: Worksheet, row: int, column: int, value) -> Cell:
    """Write ``value`` to a cell: numbers as numbers, anything else as plain text, never as
    a formula; a date as a date, day first."""
    cell = ws.cell(row=row, column=column)
    set_value(cell, value)
    return cell


def set_value(cell: Cell, value) -> None:
    """``write_cell``'s rules for a cell already made (a write-only sheet's)."""
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, date):
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
        cell.value = value
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
    elif isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl guessed "f" for "=…" and "e" for "#N/A"
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell.value = value


def quoted(value) -> bool:
    """Whether ``set_value`` marks ``value`` with the quote prefix (text read as a formula)."""
    if value is None or isinstance(value, date) or value == "":
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return False
    return str(value).startswith(FORMULA_PREFIXES)


def font(
    *, bold: bool = False, italic: bool = False, underline: bool = False, size: int = FONT_SIZE
) -> Font:
    return Font(
        name=FONT_NAME,
        size=size,
        bold=bold,
        italic=italic,
        underline="single" if underline else None,
    )


def line_count(text, width: float) -> int:
    """About how many lines ``text`` takes in a wrapped cell ``width`` characters wide: a
    character of Times at 13 pt is about 1.1 width units (the "0" of Calibri 11)."""
    if text is None or text == "":
        return 1
    return max(1, math.ceil(len(str(text)) * 1.1 / max(width - 1, 1)))


def page_setup(ws: Worksheet, *, landscape: bool = False) -> None:
    """A4, margins of a party document (2 cm top and bottom, 3 cm left, 1.5 cm right),
    scaled to the page width."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # the class's: a write-only sheet has none
    orientation = Worksheet.ORIENTATION_LANDSCAPE if landscape else Worksheet.ORIENTATION_PORTRAIT
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = MARGIN_MM["left"] / 10 / CM_PER_INCH
    ws.page_margins.right = MARGIN_MM["right"] / 10 / CM_PER_INCH
    ws.page_margins.top = MARGIN_MM["top"] / 10 / CM_PER_INCH
    ws.page_margins.bottom = MARGIN_MM["bottom"] / 10 / CM_PER_INCH
    ws.page_margins.header = 0.8 / CM_PER_INCH
    ws.page_margins.footer = 0.8 / CM_PER_INCH
    ws.print_options.horizontalCentered = True


def sheet_title(text: str) -> str:
    """``text`` as a worksheet's name: no [ ] : * ? / \\, at most 31 characters."""
    return SHEET_TITLE_FORBIDDEN.sub("-", text)[:31] or "1"


def workbook_bytes(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
