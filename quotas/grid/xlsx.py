"""The quota grid written as an .xlsx to fill in and import back (``quotas.grid.upload``).

Every cell is written with ``documents.xlsx.write_cell``, so a unit or target name that
starts with "=" stays text and never becomes a formula.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.text import fold
from documents.xlsx import workbook_bytes, write_cell

from ..models import Plan
from .cells import MAX_NUMBER, MAX_SHARE, SIDES
from .form import Cell, Column, Grid

_THIN = Side(style="thin", color="BFB8AE")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F3EEE7")
_GREY = Font(color="8A8178", italic=True)
_TITLE_ROW, _NOTE_ROW, _HEADER_ROW = 1, 2, 3


def side_label(side: str) -> str:
    return _("minimum") if side == "min" else _("maximum")


def column_heading(column: Column, side: str) -> str:
    return f"{column.header} – {side_label(side)}"


def grid_export(grid: Grid) -> bytes:
    """The grid as an .xlsx: a title row, a note, a heading row, one row per unit. Only the
    units' own numbers are written; an "every unit of a kind" number is a cell comment."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Quotas")[:31]
    last_col = 2 + 2 * len(grid.columns)
    _write_top(ws, grid.plan, last_col)
    _write_headings(ws, grid)
    for r, row in enumerate(grid.rows, start=_HEADER_ROW + 1):
        write_cell(ws, r, 1, row.unit.code).border = _BORDER
        name = write_cell(ws, r, 2, row.unit.name)
        name.alignment = Alignment(indent=row.level, wrap_text=True)
        name.border = _BORDER
        for c, cell in enumerate(row.cells):
            _write_numbers(ws, r, 3 + 2 * c, cell)
    _add_validation(ws, grid)
    _lay_out(ws, last_col)
    return workbook_bytes(wb)


def _write_top(ws: Worksheet, plan: Plan, last_col: int) -> None:
    write_cell(ws, _TITLE_ROW, 1, f"{plan.number} – {plan.title}").font = Font(bold=True, size=13)
    note = write_cell(
        ws,
        _NOTE_ROW,
        1,
        _(
            "An empty cell: the unit has no number of its own (it follows the number for "
            "every unit of its kind, if any — see the cell's comment). Do not change "
            "column A or the headings; then import the file on the quota grid page."
        ),
    )
    note.font = Font(italic=True, color="6C645B")
    ws.merge_cells(start_row=_NOTE_ROW, start_column=1, end_row=_NOTE_ROW, end_column=last_col)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[_NOTE_ROW].height = 30


def _write_headings(ws: Worksheet, grid: Grid) -> None:
    headings = [_("Unit code"), _("Unit")]
    for column in grid.columns:
        headings += [column_heading(column, side) for side in SIDES]
    for idx, text in enumerate(headings, start=1):
        cell = write_cell(ws, _HEADER_ROW, idx, text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[_HEADER_ROW].height = 60


def _write_numbers(ws: Worksheet, r: int, first: int, cell: Cell) -> None:
    """The unit's own minimum and maximum; an inherited number only as a comment."""
    for s in range(2):
        xl = write_cell(ws, r, first + s, cell.saved[s])
        xl.border = _BORDER
        xl.number_format = "0"
        if cell.saved[s] is None and cell.inherited is not None and cell.inherited[s] is not None:
            xl.comment = Comment(cell.hint, "PTĐV", width=220, height=70)
            xl.font = _GREY


def _add_validation(ws: Worksheet, grid: Grid) -> None:
    """Excel itself refuses what is not a whole number in range."""
    first, last = _HEADER_ROW + 1, max(_HEADER_ROW + 1, _HEADER_ROW + len(grid.rows))
    for c, column in enumerate(grid.columns):
        letters = [get_column_letter(3 + 2 * c + s) for s in range(2)]
        upper = MAX_SHARE if column.is_share else MAX_NUMBER
        dv = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2=str(upper),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not a valid number"),
            error=_("Type a whole number from 0 to %(max)s, or leave the cell empty.")
            % {"max": upper},
        )
        dv.add(f"{letters[0]}{first}:{letters[1]}{last}")
        ws.add_data_validation(dv)


def _lay_out(ws: Worksheet, last_col: int) -> None:
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 42
    for idx in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(idx)].width = 14
    ws.freeze_panes = ws.cell(_HEADER_ROW + 1, 3)
    ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def export_stem(plan: Plan) -> str:
    """The exported file's name without ".xlsx": "bang-chi-tieu-145-kh-hu"."""
    slug = re.sub(r"[^0-9a-z]+", "-", fold(plan.number)).strip("-") or str(plan.pk)
    return f"bang-chi-tieu-{slug}"
