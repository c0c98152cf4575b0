"""Excel workbooks with openpyxl: a ``PartyDocument`` as an .xlsx staff can print, add up and
chart.

The sheets, in order:

* "Báo cáo" (``_("Report")``): the party header, the document type and subject, each
  paragraph in a merged wrapped cell, then "Nơi nhận" and the signature. Written when the
  document has words of its own (paragraphs, recipients, a signature) or nothing else, so the
  workbook alone is a usable report; an annex of tables starts with its first table.
* One sheet per table, named after the beginning of its title ("Biểu 1. Kết quả …" →
  "Biểu 1") or numbered: the issuer, the document type and subject, the subtitle and the
  table's title above the header (one row, or two when columns are grouped), the panes
  frozen below the header and right of the unit names, the header repeated on every printed
  page, the note under the table.
* "Biểu đồ" (``_("Chart")``): the chart's figures as a small table and a native bar chart
  drawn from them beside it.

Every cell goes through ``documents.xlsx.write_cell``: numbers stay numbers, dates stay
dates, and text stays text even when it starts with "=". A percent column is written as a
fraction (70.5 → 0.705) shown as "70.5%", so Excel computes with it as a percent.

The workbook is written in openpyxl's write-only mode: a sheet's rows are sent to the file in
order, and nothing keeps a cell once its row is written (``SheetRows``), and a styled cell
is handed to the file without openpyxl first trying it as a value (``StyledRowsSheet``). A
province's year-end report (10,000 rows of 12 columns) took 2.2 s of CPU with every cell
kept in memory, 2.0 s in write-only mode and about 1.5 s now, within twice what openpyxl
needs to write the same cells without any look (docs/benchmarks.md, "Reports at province
scale").
"""

import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange

from .content import DATE, LABEL, PERCENT, ROLLUP, TEXT, TOTAL, Chart, PartyDocument, Row, Table
from .layout import SIZES, text_width_cm
from .xlsx import (
    BOX,
    CENTER,
    FONT_SIZE,
    LEFT,
    THIN,
    font,
    line_count,
    page_setup,
    quoted,
    set_value,
    sheet_title,
    workbook_bytes,
    write_cell,
)

INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
PERCENT_FORMAT = "0.0%"
TITLE_SIZE = SIZES["kind"] - 1  # 14 pt: the document type and subject above a table
LINE_POINTS = 18  # the height of one line of 13 pt Times in a row
HEADER_LINE_POINTS = 17
CM_PER_WIDTH_UNIT = 0.19  # one Excel width unit (a "0" of Calibri 11) printed at 100 %
REPORT_COLUMNS = 6  # the report sheet's grid: the header and closing blocks take half each
SIGNATURE_BLANK_ROWS = 3
TABLE_TITLE_NAME = re.compile(r"^\s*(.{1,20}?)\s*[.:](?:\s|$)")  # "Biểu 1. …" → "Biểu 1"
CHART_ROW_CM = 0.55  # the chart's height per bar group
CHART_WIDTH_CM = 18

TOTAL_BORDER = Border(left=THIN, right=THIN, top=Side(style="medium", color="000000"), bottom=THIN)
TOTAL_FILL = PatternFill(fill_type="solid", fgColor="F2F2F2")
NUMBER = Alignment(vertical="center")
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
JUSTIFY = Alignment(horizontal="justify", vertical="top", wrap_text=True)


class StyledRowsSheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, but a ``Cell`` in a row is taken as the cell to write
    without first being tried as the value of a blank one. openpyxl 3.1.5 tries it, which
    raises a ``ValueError`` whose message spells the cell's coordinate, catches it, and
    makes a fresh blank cell after every styled one: with a look on every cell of a
    province's report that was a quarter of the workbook's time. What is written is the
    same (``tests/documents/test_report_xlsx.py`` compares every cell with a golden dump)."""

    def _values_to_row(self, values, row_idx):
        blank = None  # one plain cell reused for the row's plain values, as openpyxl does
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                if blank is None:
                    blank = WriteOnlyCell(self)
                blank.value = value
                cell = blank
            cell.column = col_idx
            cell.row = row_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            yield cell
            if cell is blank and (blank.has_style or blank.hyperlink):
                blank = None


def _new_sheet(wb: Workbook, title: str) -> "SheetRows":
    """A write-only sheet of ``wb`` that takes styled cells directly (``StyledRowsSheet``)."""
    ws = wb.create_sheet(title)
    ws.__class__ = StyledRowsSheet  # the same object and state, a faster row writer
    return SheetRows(ws)


class SheetRows:
    """A write-only sheet written as if cells could be set anywhere: the cells of rows not
    yet sent wait here (``cell``, ``merge_cells`` as a worksheet has them), and ``flush``
    sends every row up to the last one set, in order; ``append`` streams a row through. A
    row's height is set (``row_dimensions``) before the row is sent."""

    def __init__(self, ws: WriteOnlyWorksheet):
        self.ws = ws
        self.row_dimensions = ws.row_dimensions
        self.column_dimensions = ws.column_dimensions
        self.sent = 0  # rows written to the file
        self.waiting: dict[int, dict[int, Cell]] = {}

    def cell(self, row: int, column: int) -> Cell:
        if row <= self.sent:
            raise ValueError(f"row {row} of {self.ws.title!r} is already written")
        cells = self.waiting.setdefault(row, {})
        cell = cells.get(column)
        if cell is None:
            cell = cells[column] = WriteOnlyCell(self.ws)
        return cell

    def merge_cells(self, *, start_row, start_column, end_row, end_column) -> None:
        self.ws.merged_cells.add(
            CellRange(min_col=start_column, min_row=start_row, max_col=end_column, max_row=end_row)
        )

    def flush(self) -> None:
        for row in range(self.sent + 1, max(self.waiting, default=0) + 1):
            cells = self.waiting.pop(row, {})
            self.ws.append([cells.get(c) for c in range(1, max(cells, default=0) + 1)])
            self.sent = row

    def append(self, cells: list) -> None:
        self.flush()
        self.ws.append(cells)
        self.sent += 1


def document_xlsx(doc: PartyDocument) -> bytes:
    """``doc`` as the bytes of an .xlsx workbook."""
    wb = Workbook(write_only=True)
    names: set[str] = set()
    sheets = []
    if doc.paragraphs or doc.recipients or doc.signature or not (doc.tables or doc.chart):
        ws = _new_sheet(wb, _unique(_("Report"), names))
        _report_sheet(ws, doc)
        sheets.append(ws)
    for number, table in enumerate(doc.tables, start=1):
        ws = _new_sheet(wb, _unique(_table_sheet_name(table, number), names))
        _table_sheet(ws, doc, table)
        sheets.append(ws)
    if doc.chart:
        ws = _new_sheet(wb, _unique(_("Chart"), names))
        _chart_sheet(ws, doc, doc.chart)
        sheets.append(ws)
    for ws in sheets:
        ws.flush()
    return workbook_bytes(wb)


def _table_sheet_name(table: Table, number: int) -> str:
    match = TABLE_TITLE_NAME.match(table.title)
    if match:
        return match.group(1)
    return _("Table %(number)s") % {"number": number}


def _unique(name: str, taken: set[str]) -> str:
    """``name`` as a sheet title no other sheet has (Excel compares them ignoring case)."""
    title = sheet_title(name)
    count = 1
    while title.casefold() in taken:
        count += 1
        suffix = f" ({count})"
        title = sheet_title(name)[: 31 - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


def _set_widths(ws: SheetRows, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _line(ws, row, first, last, text, cell_font, alignment, width, *, line=LINE_POINTS):
    """``text`` in row ``row`` across columns ``first``…``last``, the row tall enough for it."""
    cell = write_cell(ws, row, first, text)
    cell.font = cell_font
    cell.alignment = alignment
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    height = line * line_count(text, width) + 2
    ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, height)
    return cell


def _titles(ws: SheetRows, doc: PartyDocument, row: int, columns: int, width: float) -> int:
    """The document type, the subject and the subtitle across ``columns``; the next row."""
    for text in (doc.doc_type, doc.subject):
        if text:
            _line(ws, row, 1, columns, text, font(bold=True, size=TITLE_SIZE), CENTER, width)
            row += 1
    if doc.subtitle:
        _line(ws, row, 1, columns, doc.subtitle, font(italic=True), CENTER, width)
        row += 1
    return row


# The report sheet: header, titles, paragraphs, closing.


def _report_sheet(ws: SheetRows, doc: PartyDocument) -> None:
    page_setup(ws.ws, landscape=doc.landscape)
    total = text_width_cm(doc.orientation) / CM_PER_WIDTH_UNIT
    widths = [round(total / REPORT_COLUMNS, 1)] * REPORT_COLUMNS
    _set_widths(ws, widths)
    half = REPORT_COLUMNS // 2
    left, right = sum(widths[:half]), sum(widths[half:])

    row = 1
    if doc.heading:
        h = doc.heading
        lefts = [(h.superior, font())] if h.superior else []
        lefts += [(h.issuer, font(bold=True)), ("*", font()), (h.number, font())]
        for offset, (text, cell_font) in enumerate(lefts):
            _line(ws, row + offset, 1, half, text, cell_font, CENTER, left)
        party = font(bold=True, underline=True, size=SIZES["party"] - 1)
        _line(ws, row, half + 1, REPORT_COLUMNS, h.party, party, CENTER, right)
        last = row + len(lefts) - 1  # the place and date face the document's number
        place = font(italic=True)
        _line(ws, last, half + 1, REPORT_COLUMNS, h.place_date, place, CENTER, right)
        row += len(lefts) + 1

    row = _titles(ws, doc, row, REPORT_COLUMNS, sum(widths)) + 1
    for text in doc.paragraphs:
        _line(ws, row, 1, REPORT_COLUMNS, text, font(), JUSTIFY, sum(widths))
        row += 1
    if doc.recipients or doc.signature:
        _closing(ws, doc, row + 1, half, left, right)


def _closing(ws: SheetRows, doc: PartyDocument, row: int, half: int, left, right) -> None:
    """The recipients ("Nơi nhận") on the left, the signature on the right, from ``row``."""
    if doc.recipients:
        heading = font(bold=True, italic=True, underline=True, size=FONT_SIZE - 1)
        _line(ws, row, 1, half, _("Recipients:"), heading, TOP_LEFT, left)
        for offset, text in enumerate(doc.recipients, start=1):
            _line(ws, row + offset, 1, half, f"- {text}", font(size=FONT_SIZE - 2), TOP_LEFT, left)
    signature = doc.signature
    if signature:
        lines = [signature.mandate, signature.title, *[""] * SIGNATURE_BLANK_ROWS, signature.name]
        for offset, text in enumerate(lines):
            if text:
                bold = font(bold=True, size=FONT_SIZE + 1)
                _line(ws, row + offset, half + 1, REPORT_COLUMNS, text, bold, CENTER, right)


# A table's sheet.


def _table_sheet(ws: SheetRows, doc: PartyDocument, table: Table) -> None:
    page_setup(ws.ws, landscape=doc.landscape)
    columns = len(table.columns)
    widths = [c.width for c in table.columns]
    _set_widths(ws, widths)
    width = sum(widths)

    row = 1
    if doc.heading and doc.heading.issuer:
        _line(ws, row, 1, columns, doc.heading.issuer, font(bold=True), LEFT, width)
        row += 1
    row = _titles(ws, doc, row, columns, width)
    if table.title:
        _line(ws, row, 1, columns, table.title, font(bold=True), CENTER, width)
        row += 1
    row += 1  # a blank row above the table

    header = row
    row = _header(ws, table, header)
    text_column = next((i for i, c in enumerate(table.columns) if c.kind == TEXT), None)
    frozen = 1 if text_column is None else text_column + 2
    ws.ws.freeze_panes = f"{get_column_letter(frozen)}{row}"
    ws.ws.print_title_rows = f"{header}:{row - 1}"

    row = _body(ws, table, row, text_column)
    if table.note:
        _line(ws, row, 1, columns, table.note, font(italic=True), LEFT, width)


def _header(ws: SheetRows, table: Table, row: int) -> int:
    """The header from ``row``: one row, or two when columns are grouped (the group merged
    across its columns, an ungrouped column down both rows); the first row under it."""
    bold = font(bold=True)
    widths = [c.width for c in table.columns]
    depth = 2 if table.has_groups else 1
    upper = lower = 1  # lines in each header row
    spanning = 1  # lines of the tallest label down both rows
    column = 1
    for label, span, single in table.header_groups():
        cell = write_cell(ws, row, column, label)
        cell.font, cell.alignment = bold, CENTER
        lines = line_count(label, sum(widths[column - 1 : column - 1 + span]))
        if single is not None and depth == 2:
            ws.merge_cells(start_row=row, start_column=column, end_row=row + 1, end_column=column)
            spanning = max(spanning, lines)
        else:
            upper = max(upper, lines)
        if single is None:
            ws.merge_cells(
                start_row=row, start_column=column, end_row=row, end_column=column + span - 1
            )
            for index in range(column, column + span):
                text = table.columns[index - 1].label
                cell = write_cell(ws, row + 1, index, text)
                cell.font, cell.alignment = bold, CENTER
                lower = max(lower, line_count(text, widths[index - 1]))
        column += span
    lower = max(lower, spanning - upper)
    for r in range(row, row + depth):
        for c in range(1, len(table.columns) + 1):
            ws.cell(row=r, column=c).border = BOX  # merged cells too, so every edge is drawn
    ws.row_dimensions[row].height = HEADER_LINE_POINTS * upper + 4
    if depth == 2:
        ws.row_dimensions[row + 1].height = HEADER_LINE_POINTS * lower + 4
    return row + depth


def _body(ws: SheetRows, table: Table, row: int, text_column: int | None) -> int:
    """The rows of ``table`` from ``row``, streamed to the file; the first row under them.

    openpyxl hashes every style set on a cell, which was most of the time a big table took:
    each distinct look is one cell, made and styled once, that is given each value of that
    look in turn (a write-only sheet writes a cell when its row is appended and keeps
    nothing, so one cell can stand at many places)."""
    looks: dict[tuple, Cell] = {}
    kinds = [c.kind for c in table.columns]
    widths = [c.width for c in table.columns]
    ws.flush()
    for item in table.rows:
        lines = 1
        depth = max(item.depth, 0)
        cells = []
        for index, value in enumerate(item.cells):
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if kinds[index] == PERCENT and number:
                value = value / 100
            if number:
                whole = isinstance(value, int) or float(value).is_integer()
                fmt = INT_FORMAT if whole else DECIMAL_FORMAT
                fmt = PERCENT_FORMAT if kinds[index] == PERCENT else fmt
            else:
                fmt = type(value).__name__  # a date or datetime: set_value chooses the format
            indent = depth if index == text_column else 0
            key = (index, item.style, indent, fmt, not number and quoted(value))
            cell = looks.get(key)
            if cell is None:
                cell = looks[key] = WriteOnlyCell(ws.ws)
                set_value(cell, value)
                _style_cell(cell, item, kinds[index], number, fmt, indent, index == text_column)
            elif number:
                cell.value = value
            else:
                set_value(cell, value)
            cells.append(cell)
            if not number and value is not None:
                lines = max(lines, line_count(value, widths[index] - 2 * depth))
        ws.row_dimensions[row].height = LINE_POINTS * lines + 2
        ws.append(cells)
        row += 1
    return row


def _style_cell(cell, item: Row, kind: str, number: bool, fmt: str, depth: int, name: bool):
    """The look of a cell of the table body: bold in a roll-up or a total, a rule above the
    total, the unit's name indented by its depth."""
    cell.font = font(bold=item.style in (ROLLUP, TOTAL))
    cell.border = TOTAL_BORDER if item.style == TOTAL else BOX
    if item.style == TOTAL:
        cell.fill = TOTAL_FILL
    if number:
        cell.number_format = fmt
    if name:
        cell.alignment = Alignment(
            horizontal="left", vertical="center", wrap_text=True, indent=depth
        )
    elif kind in (DATE, LABEL):
        cell.alignment = CENTER
    elif number:
        cell.alignment = NUMBER
    else:
        cell.alignment = LEFT


# The chart's sheet.


def _chart_sheet(ws: SheetRows, doc: PartyDocument, chart: Chart) -> None:
    """The chart's figures from A1 (the title, then labels and one column per series) and a
    bar chart drawn from them, beside the figures."""
    page_setup(ws.ws, landscape=doc.landscape)
    series = len(chart.series)
    longest = max((len(str(label)) for label in chart.labels), default=10)
    _set_widths(ws, [min(max(longest + 2, 16), 45), *[12] * series])
    width = sum(ws.column_dimensions[get_column_letter(i)].width for i in range(1, series + 2))
    _line(ws, 1, 1, series + 1, chart.title, font(bold=True), LEFT, width)

    header = 3
    bold = font(bold=True)
    for index, text in enumerate(["", *(name for name, _values in chart.series)], start=1):
        cell = write_cell(ws, header, index, text)
        cell.font, cell.alignment, cell.border = bold, CENTER, BOX
    for offset, label in enumerate(chart.labels, start=1):
        cell = write_cell(ws, header + offset, 1, label)
        cell.font, cell.alignment, cell.border = font(), LEFT, BOX
        for index, (_name, values) in enumerate(chart.series, start=2):
            value = values[offset - 1] if offset - 1 < len(values) else None
            cell = write_cell(ws, header + offset, index, value)
            cell.font, cell.alignment, cell.border = font(), NUMBER, BOX
            cell.number_format = INT_FORMAT if isinstance(value, int) else DECIMAL_FORMAT
    last = header + len(chart.labels)

    bars = BarChart()
    bars.type = "bar"  # horizontal: long unit names read along the axis
    bars.style = 10
    bars.title = chart.title
    data = Reference(ws.ws, min_col=2, max_col=series + 1, min_row=header, max_row=last)
    bars.add_data(data, titles_from_data=True)
    labels = Reference(ws.ws, min_col=1, min_row=header + 1, max_row=last)
    for item in bars.series:  # the labels are text: a string reference, not openpyxl's numRef
        item.cat = AxDataSource(strRef=StrRef(f=str(labels)))
    bars.x_axis.scaling.orientation = "maxMin"  # the first label on top, as in the table
    bars.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told
    bars.y_axis.delete = False
    bars.y_axis.crosses = "max"  # with the labels reversed, keeps the values at the bottom
    bars.y_axis.majorGridlines = None
    bars.legend.position = "b"
    bars.width = CHART_WIDTH_CM
    bars.height = max(7.5, 3 + CHART_ROW_CM * len(chart.labels) * max(series, 1))
    ws.ws.add_chart(bars, f"{get_column_letter(series + 3)}{header}")
