"""Excel files with openpyxl.

Every value goes through ``write_cell``: openpyxl turns any text starting with "=" into a
live formula, so a unit named "=HYPERLINK(…)" would become one. ``write_cell`` stores text
as text, always, and marks text that a spreadsheet could read as a formula ("=", "+", "-",
"@", tab, carriage return) with Excel's quote prefix so it stays text when edited.
"""

import math
import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.annex import AnnexTable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

FONT_NAME = "Times New Roman"
FONT_SIZE = 13
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CM_PER_INCH = 2.54
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def write_cell(ws: Worksheet, row: int, column: int, value) -> Cell:
    """Write ``value`` to a cell: numbers as numbers, anything else as plain text, never as
    a formula."""
    cell = ws.cell(row=row, column=column)
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl guessed "f" for "=…" and "e" for "#N/A"
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def _font(*, bold: bool = False, italic: bool = False, size: int = FONT_SIZE) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


def _lines(text, width: float) -> int:
    """About how many lines ``text`` takes in a wrapped cell ``width`` characters wide: a
    character of Times at 13 pt is about 1.1 width units (the "0" of Calibri 11)."""
    if text is None or text == "":
        return 1
    return max(1, math.ceil(len(str(text)) * 1.1 / max(width - 1, 1)))


def _page_setup(ws: Worksheet) -> None:
    """A4 portrait, margins of a party document (2 cm top and bottom, 3 cm left, 1.5 cm
    right), scaled to the page width."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = 3 / CM_PER_INCH
    ws.page_margins.right = 1.5 / CM_PER_INCH
    ws.page_margins.top = 2 / CM_PER_INCH
    ws.page_margins.bottom = 2 / CM_PER_INCH
    ws.page_margins.header = 0.8 / CM_PER_INCH
    ws.page_margins.footer = 0.8 / CM_PER_INCH
    ws.print_options.horizontalCentered = True


def annex_xlsx(table: AnnexTable) -> bytes:
    """The annex as an .xlsx workbook of one sheet, laid out like the document."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE_FORBIDDEN.sub("-", table.plan_number)[:31] or "1"
    _page_setup(ws)

    columns = len(table.columns)
    longest = max((len(r.unit_name) for r in table.rows), default=20)
    widths = [6, min(max(longest + 2, 30), 55), 16, 14]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    page_width = sum(widths)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    row = 1

    def merged_line(text: str, font: Font, alignment: Alignment) -> None:
        nonlocal row
        cell = write_cell(ws, row, 1, text)
        cell.font = font
        cell.alignment = alignment
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        ws.row_dimensions[row].height = 20 * _lines(text, page_width)
        row += 1

    for index, line in enumerate(table.title_lines):
        merged_line(line, _font(bold=True, size=14 if index == 0 else FONT_SIZE), center)
    merged_line(table.subtitle, _font(italic=True), center)

    for section in table.sections:
        row += 1  # a blank line before each section, as in the document
        merged_line(section.heading, _font(bold=True), left)

        header_height = 1
        for column, text in enumerate(table.columns, start=1):
            cell = write_cell(ws, row, column, text)
            cell.font = _font(bold=True)
            cell.alignment = center
            cell.border = BOX
            header_height = max(header_height, _lines(text, widths[column - 1]))
        ws.row_dimensions[row].height = 18 * header_height
        row += 1

        for item in section.rows:
            height = 1
            for column, value in enumerate(item.cells, start=1):
                cell = write_cell(ws, row, column, value)
                cell.font = _font()
                cell.border = BOX
                cell.alignment = left if column in (2, 4) else center
                height = max(height, _lines(value, widths[column - 1]))
            ws.row_dimensions[row].height = 18 * height
            row += 1

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
