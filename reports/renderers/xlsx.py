"""The quota annex as an Excel workbook (``documents.xlsx`` draws every cell)."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from documents.xlsx import (
    BOX,
    FONT_SIZE,
    font,
    line_count,
    page_setup,
    sheet_title,
    workbook_bytes,
    write_cell,
)
from reports.annex import AnnexTable


def annex_xlsx(table: AnnexTable) -> bytes:
    """The annex as an .xlsx workbook of one sheet, laid out like the document."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(table.plan_number)
    page_setup(ws)

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
        ws.row_dimensions[row].height = 20 * line_count(text, page_width)
        row += 1

    for index, line in enumerate(table.title_lines):
        merged_line(line, font(bold=True, size=14 if index == 0 else FONT_SIZE), center)
    merged_line(table.subtitle, font(italic=True), center)

    for section in table.sections:
        row += 1  # a blank line before each section, as in the document
        merged_line(section.heading, font(bold=True), left)

        header_height = 1
        for column, text in enumerate(table.columns, start=1):
            cell = write_cell(ws, row, column, text)
            cell.font = font(bold=True)
            cell.alignment = center
            cell.border = BOX
            header_height = max(header_height, line_count(text, widths[column - 1]))
        ws.row_dimensions[row].height = 18 * header_height
        row += 1

        for item in section.rows:
            height = 1
            for column, value in enumerate(item.cells, start=1):
                cell = write_cell(ws, row, column, value)
                cell.font = font()
                cell.border = BOX
                cell.alignment = left if column in (2, 4) else center
                height = max(height, line_count(value, widths[column - 1]))
            ws.row_dimensions[row].height = 18 * height
            row += 1

    return workbook_bytes(wb)
