"""An uploaded .xlsx read back into the quota grid's cells: a preview, nothing is saved.

The file is read by ``documents.spreadsheets.read_sheet`` (size, .xls or password, unpacked
size, entities, rows, columns, cell length, huge numbers; its refusal becomes the import's
one problem) with the grid's limits; this module finds the heading row, matches columns by their
heading and rows by unit code or name, and checks every number like the grid page does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.text import fold, nfc
from documents.spreadsheets import Limits, SpreadsheetRefused, read_sheet
from units.models import Unit
from units.selectors import unit_match

from ..models import Target
from .cells import SIDES, Bounds, Key, bounds_problems, parse_number
from .form import Cell, Grid
from .xlsx import side_label

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 3000
MAX_IMPORT_COLUMNS = 200
IMPORT_LIMITS = Limits(size=MAX_UPLOAD_BYTES, rows=MAX_IMPORT_ROWS, columns=MAX_IMPORT_COLUMNS)
HEADER_SEARCH_ROWS = 15


# --- import --------------------------------------------------------------------------------


@dataclass
class ImportProblem:
    message: str
    row: int | None = None  # the spreadsheet's row number, as Excel shows it
    column: str = ""  # the column letter
    heading: str = ""


@dataclass
class ImportResult:
    values: dict[Key, Bounds] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)
    units: int = 0  # unit rows read

    @property
    def ok(self) -> bool:
        return not self.problems


Rows = list[tuple[int, tuple]]  # (row number as Excel shows it, the row's values)

_CODE_HEADINGS = {"ma don vi", "ma", "ma dv", "unit code", "code"}
_NAME_HEADINGS = {"don vi", "ten don vi", "unit", "unit name", "name"}
_SIDE_WORDS = {"min": {"toi thieu", "min", "minimum"}, "max": {"toi da", "max", "maximum"}}


def grid_import(grid: Grid, upload, *, user) -> ImportResult:
    """Read an uploaded .xlsx into the grid's cells and report every problem.

    Columns are matched by their heading, rows by unit code (column "Mã đơn vị") or, when the
    code is empty or unknown, by the unit's name among the plan's units. Nothing is saved;
    on success ``result.values`` holds every cell the file gives (the caller shows them).
    """
    result = ImportResult()
    if upload is None:
        result.problems.append(
            ImportProblem(_("Choose a spreadsheet file (.xlsx, .xls or .ods) to import."))
        )
        return result
    rows, result.problems = read_first_sheet(upload)
    if result.problems:
        return result
    rows = [(n, values) for n, values in rows if row_filled(values)]
    if not rows:
        result.problems.append(ImportProblem(_("The file is empty.")))
        return result
    header = _find_header(rows)
    if header is None:
        result.problems.append(
            ImportProblem(
                _(
                    "No heading row found: the file needs a column “Mã đơn vị” or “Đơn vị”. "
                    "Use the file downloaded from this page."
                )
            )
        )
        return result
    columns = _read_headings(grid, *header, problems=result.problems)
    if columns is None:
        return result
    reader = _RowReader(grid=grid, columns=columns, user=user, result=result)
    for number, values in rows:
        if number > columns.header_row:
            reader.read(number, values)
    if not result.units and not any(p.row and p.row > columns.header_row for p in result.problems):
        result.problems.append(ImportProblem(_("The file has headings but no unit rows.")))
    result.problems.sort(key=lambda p: (p.row or 0, len(p.column), p.column))
    return result


# --- reading the file ----------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell's value as clean text: "" for an empty cell, 10 for Excel's 10.0, NFC."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def row_filled(values: tuple) -> bool:
    """Whether any cell of the row holds something."""
    return any(cell_text(v) for v in values)


def read_first_sheet(upload) -> tuple[Rows, list[ImportProblem]]:
    """The first sheet's filled rows, or the problem with the file (also for the historical
    totals' import, ``quotas.history``). The file goes through the guarded door,
    ``documents.spreadsheets.read_sheet``, with the grid's limits."""
    try:
        sheet = read_sheet(upload, limits=IMPORT_LIMITS)
    except SpreadsheetRefused as refused:
        return [], [ImportProblem(refused.message)]
    return sheet.value_rows(), []


def _find_header(rows: Rows) -> tuple[int, tuple] | None:
    """The heading row: the first of the first non-empty rows that names a unit column."""
    for number, values in rows[:HEADER_SEARCH_ROWS]:
        if {fold(cell_text(v)) for v in values} & (_CODE_HEADINGS | _NAME_HEADINGS):
            return number, values
    return None


# --- the heading row -----------------------------------------------------------------------


@dataclass
class _Columns:
    """Where things are in the file: 0-based column indexes."""

    header_row: int
    code: int | None = None
    name: int | None = None
    values: dict[int, tuple[Target, int]] = field(default_factory=dict)  # -> (target, side)
    headings: dict[int, str] = field(default_factory=dict)  # the value columns' headings

    def letter(self, idx: int) -> str:
        return get_column_letter(idx + 1)

    @cached_property
    def _by_target(self) -> dict[tuple[int, int], int]:
        return {(t.pk, s): idx for idx, (t, s) in self.values.items()}

    def of(self, target_pk: int, side: int) -> int:
        """The column of one side of a target, or of the other side when it is missing."""
        found = self._by_target
        return found.get((target_pk, side), found.get((target_pk, 1 - side)))


def _heading_map(grid: Grid) -> dict[str, tuple[Target, int]]:
    """Folded heading -> (target, side index), tolerant of case, accents and spacing."""
    result = {}
    for column in grid.columns:
        for s, side in enumerate(SIDES):
            for word in {fold(side_label(side)), *_SIDE_WORDS[side]}:
                result[fold(f"{column.header} {word}")] = (column.target, s)
    return result


def _read_headings(
    grid: Grid, number: int, values: tuple, *, problems: list[ImportProblem]
) -> _Columns | None:
    """The file's columns, or None (with the problems) when units or numbers are missing."""
    headings = _heading_map(grid)
    columns = _Columns(header_row=number)
    seen: dict[tuple[int, int], str] = {}  # (target, side) -> column letter
    for idx, raw in enumerate(values):
        text = cell_text(raw)
        key = fold(text)
        if not text:
            continue
        if key in _CODE_HEADINGS and columns.code is None:
            columns.code = idx
        elif key in _NAME_HEADINGS and columns.name is None:
            columns.name = idx
        elif key not in headings:
            message = _("Unknown column. Keep the headings as they were downloaded.")
            problems.append(ImportProblem(message, number, columns.letter(idx), text))
        else:
            target, side = headings[key]
            letter = columns.letter(idx)
            other = seen.setdefault((target.pk, side), letter)
            if other != letter:
                message = _("This column appears twice (also column %(other)s).") % {"other": other}
                problems.append(ImportProblem(message, number, letter, text))
            else:
                columns.values[idx] = (target, side)
                columns.headings[idx] = text
    return columns if _columns_complete(columns, problems) else None


def _columns_complete(columns: _Columns, problems: list[ImportProblem]) -> bool:
    number = columns.header_row
    has_unit = columns.code is not None or columns.name is not None
    if not has_unit:
        problems.append(ImportProblem(_("No unit column: keep column “Mã đơn vị”."), number))
    if not columns.values:
        message = _("No quota column found: the headings must be those of this plan's targets.")
        problems.append(ImportProblem(message, number))
    return has_unit and bool(columns.values)


# --- the unit rows -------------------------------------------------------------------------


class _RowReader:
    """Reads unit rows one by one into ``result``: finds the unit, reads its numbers and
    checks each target's pair, completed by the saved number of a side the file leaves out."""

    def __init__(self, *, grid: Grid, columns: _Columns, user, result: ImportResult):
        self.columns = columns
        self.user = user
        self.result = result
        self.cells = {c.key: c for c in grid.cells}
        self.by_code = {row.unit.code.casefold(): row.unit for row in grid.rows}
        self.area_ids = {row.unit.pk for row in grid.rows}
        self.seen: dict[int, int] = {}  # unit id -> the row it was first read from

    def problem(self, message: str, number: int, idx: int | None = None) -> None:
        if idx is None:
            self.result.problems.append(ImportProblem(message, number))
            return
        self.result.problems.append(
            ImportProblem(
                message, number, self.columns.letter(idx), self.columns.headings.get(idx, "")
            )
        )

    def read(self, number: int, values: tuple) -> None:
        unit = self.unit(number, values)
        if unit is None:
            return
        self.result.units += 1
        for target_pk, sides in self.numbers(number, values).items():
            self.check(number, self.cells[(target_pk, unit.pk)], sides)

    def unit(self, number: int, values: tuple) -> Unit | None:
        """The row's unit, read once; or None, with the problem."""
        columns = self.columns
        code = cell_text(values[columns.code]) if columns.code is not None else ""
        name = cell_text(values[columns.name]) if columns.name is not None else ""
        unit_col = columns.code if (code or columns.name is None) else columns.name
        unit_letter = columns.letter(unit_col)
        unit, message = _find_unit(code, name, self.by_code, self.area_ids, self.user)
        if unit is not None and unit.pk in self.seen:
            message = _("%(unit)s already appears in row %(row)s.") % {
                "unit": unit.display_name,
                "row": self.seen[unit.pk],
            }
            unit = None
        if unit is None:
            self.result.problems.append(ImportProblem(message, number, unit_letter))
            return None
        self.seen[unit.pk] = number
        return unit

    def numbers(self, number: int, values: tuple) -> dict[int, dict[int, int | None]]:
        """{target id: {side: number}} of the targets whose boxes are all numbers."""
        given: dict[int, dict[int, int | None]] = {}
        unreadable: set[int] = set()
        for idx, (target, side) in self.columns.values.items():
            value, error = parse_number(values[idx])
            if error:
                self.problem(error, number, idx)
                unreadable.add(target.pk)
            else:
                given.setdefault(target.pk, {})[side] = value
        return {pk: sides for pk, sides in given.items() if pk not in unreadable}

    def check(self, number: int, cell: Cell, sides: dict[int, int | None]) -> None:
        bounds: Bounds = (sides.get(0, cell.saved[0]), sides.get(1, cell.saved[1]))
        problems = bounds_problems(bounds, is_share=cell.is_share)
        for problem_sides, message in problems:
            side = SIDES.index(problem_sides[-1])
            self.problem(message, number, self.columns.of(cell.target.pk, side))
        if not problems:
            self.result.values[cell.key] = bounds


def _find_unit(
    code: str, name: str, by_code: dict[str, Unit], area_ids: set[int], user
) -> tuple[Unit | None, str]:
    if code and code.casefold() in by_code:
        return by_code[code.casefold()], ""
    if name:
        found = [u for u in unit_match(name=name, user=user) if u.pk in area_ids]
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, _(
                "Several units of this plan are called “%(name)s”: write the unit code in column A."
            ) % {"name": name}
    if code or name:
        return None, _("Unknown unit “%(unit)s”: it is not a unit of this plan's area.") % {
            "unit": name or code
        }
    return None, _("The unit code and name are missing.")
