"""The template of a file of historical totals: the heading row and one example row (whose
unit code "Ví dụ" makes the import skip it), and a second sheet listing the units with
their codes. Every cell is written with ``documents.xlsx.write_cell``."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from documents.xlsx import sheet_title, workbook_bytes, write_cell
from units.models import Unit

from ..choices import Measure, PersonGroup
from ..grid.cells import MAX_NUMBER
from ..rules import FIRST_YEAR
from .columns import QUOTA, SOURCE, UNIT_CODE, UNIT_NAME, YEAR, Column, template_columns
from .read import EXAMPLE

_HEADER_FILL = PatternFill("solid", fgColor="F3EEE7")
_EXAMPLE_FONT = Font(italic=True, color="8A8178")
_VALIDATED_ROWS = 500
_EXAMPLE_COUNTS = {
    (Measure.ADMISSIONS, PersonGroup.EVERYONE): 9,
    (Measure.ADMISSIONS, PersonGroup.STUDENTS): 9,
    (Measure.ADMISSIONS, PersonGroup.WORKERS): 0,
    (Measure.ADMISSIONS, PersonGroup.MANAGERS): 0,
    (Measure.ADMISSIONS, PersonGroup.WOMEN): 6,
    (Measure.ADMISSIONS, PersonGroup.ETHNIC_MINORITIES): 0,
    (Measure.ADMISSIONS, PersonGroup.RELIGION): 1,
    (Measure.ADMISSIONS, PersonGroup.YOUTH_UNION): 9,
    (Measure.ADMISSIONS, PersonGroup.NON_STATE_WORKERS): 0,
    (Measure.CERTIFICATIONS, PersonGroup.EVERYONE): 21,
}


def _example(column: Column, *, unit: Unit | None, year: int):
    if column.is_count:
        return _EXAMPLE_COUNTS.get((column.measure, column.group))
    return {
        UNIT_CODE: str(EXAMPLE),
        UNIT_NAME: unit.name if unit is not None else "",
        YEAR: year,
        QUOTA: 10,
        SOURCE: _("Year-end report %(year)s") % {"year": year},
    }.get(column.key)


def history_template(*, units: Sequence[Unit], year: int) -> bytes:
    """The .xlsx template; ``units`` (those the user may enter totals for, in tree order)
    fill the second sheet, and the first one below the top names the example's unit;
    ``year`` is the example's year (the last year that has ended)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(_("Historical totals"))
    columns = template_columns()
    example_unit = units[1] if len(units) > 1 else (units[0] if units else None)
    for idx, column in enumerate(columns, start=1):
        head = write_cell(ws, 1, idx, str(column.heading))
        head.font = Font(bold=True)
        head.fill = _HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell = write_cell(ws, 2, idx, _example(column, unit=example_unit, year=year))
        cell.font = _EXAMPLE_FONT
        width = 12 if column.is_count or column.key in (YEAR, QUOTA) else 16
        ws.column_dimensions[get_column_letter(idx)].width = {UNIT_NAME: 40, SOURCE: 34}.get(
            column.key, width
        )
    ws.cell(2, 1).comment = Comment(
        _(
            "An example: a row whose unit code is “%(example)s” is not imported. Replace it "
            "with your own rows, one per unit and year. An empty cell changes nothing."
        )
        % {"example": EXAMPLE},
        "PTĐV",
        width=260,
        height=90,
    )
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "C2"
    _validate(ws, columns, last_year=year)
    _unit_sheet(wb, units)
    return workbook_bytes(wb)


def _validate(ws, columns: list[Column], *, last_year: int) -> None:
    """Excel itself refuses what is not a whole number (or a past year)."""
    for idx, column in enumerate(columns, start=1):
        if column.key == YEAR:
            low, high = FIRST_YEAR, last_year
        elif column.is_count or column.key == QUOTA:
            low, high = 0, MAX_NUMBER
        else:
            continue
        dv = DataValidation(
            type="whole",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not a valid number"),
            error=_("Type a whole number from %(low)s to %(high)s, or leave the cell empty.")
            % {"low": low, "high": high},
        )
        letter = get_column_letter(idx)
        dv.add(f"{letter}2:{letter}{_VALIDATED_ROWS}")
        ws.add_data_validation(dv)


def _unit_sheet(wb: Workbook, units: Sequence[Unit]) -> None:
    ws = wb.create_sheet(sheet_title(_("Units")))
    by_key = {c.key: c for c in template_columns()}
    for idx, key in enumerate((UNIT_CODE, UNIT_NAME), start=1):
        write_cell(ws, 1, idx, str(by_key[key].heading)).font = Font(bold=True)
    for r, unit in enumerate(units, start=2):
        write_cell(ws, r, 1, unit.code)
        write_cell(ws, r, 2, unit.name).alignment = Alignment(indent=max(unit.depth - 1, 0))
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60
