"""A file of historical totals read and checked: one row per unit and year, the numbers
in the columns of ``quotas.history.columns``. Nothing is saved here; every problem of the
file comes back at once, with its row and column, and no row is taken while any remains.

An .xlsx upload is opened by ``documents.spreadsheets.open_workbook`` (through the quota
grid's reader, ``quotas.grid.upload.read_first_sheet``); the demo's CSV file is read by
the same checks. Units are found by code, or by name, short name or alias with
``units.selectors.unit_match``, among the units the user may see.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from core.text import fold, nfc
from units.models import Unit
from units.selectors import unit_list, unit_match

from ..choices import Measure, PersonGroup
from ..grid.cells import parse_number
from ..grid.upload import Rows, cell_text, read_first_sheet, row_filled
from ..rules import parse_past_year
from .columns import (
    COUNT_PREFIX,
    IGNORED,
    QUOTA,
    SOURCE,
    UNIT_CODE,
    UNIT_NAME,
    YEAR,
    Column,
    heading_map,
)

HEADER_SEARCH_ROWS = 15
SOURCE_MAX_LENGTH = 255  # HistoricalTotal.source
ECHO_CHARS = 20  # of a wrong value, shown back in its message
EXAMPLE = gettext_lazy("Example")  # the template's example row has this as its unit code
ADMITTED = (Measure.ADMISSIONS, PersonGroup.EVERYONE)
ADMITTED_KEY = f"{COUNT_PREFIX}{Measure.ADMISSIONS}:{PersonGroup.EVERYONE}"

Count = tuple[str, str]  # (measure, group)


@dataclass(frozen=True)
class HistoryRow:
    """One unit and year of the file, checked: its numbers by (measure, group)."""

    row: int  # the row number as Excel shows it (the line of a CSV file)
    unit: Unit
    year: int
    counts: dict[Count, int]
    quota: int | None = None  # the year's admissions quota
    source: str = ""

    @property
    def dated(self) -> date:
        return date(self.year, 12, 31)


@dataclass(frozen=True)
class Problem:
    message: str
    row: int = 0  # 0: the whole file
    column: str = ""  # the heading as written in the file

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class HistoryRead:
    rows: list[HistoryRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def history_read_xlsx(upload, *, user, today: date) -> HistoryRead:
    """The first sheet of an uploaded .xlsx, checked."""
    rows, file_problems = read_first_sheet(upload)
    if file_problems:
        return HistoryRead(problems=[Problem(p.message) for p in file_problems])
    return history_read(rows, user=user, today=today)


def history_read_csv(text: str, *, user, today: date) -> HistoryRead:
    """A CSV text with the same headings (the demo's data file), checked."""
    lines = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [
        (number, tuple(v if v.strip() else None for v in values))
        for number, values in enumerate(lines, start=1)
    ]
    return history_read(rows, user=user, today=today)


def history_read(rows: Rows, *, user, today: date) -> HistoryRead:
    """Rows of cell values (the heading row among the first ones), checked.

    ``user`` limits the units to those they may see; None (the command line, the demo)
    reads every unit.
    """
    result = HistoryRead()
    rows = [(n, values) for n, values in rows if row_filled(values)]
    if not rows:
        result.problems.append(Problem(_("The file is empty.")))
        return result
    header = _find_header(rows)
    if header is None:
        result.problems.append(
            Problem(
                _(
                    "No heading row found: the file needs a column “%(code)s” or “%(name)s”. "
                    "Use the template downloaded from this page."
                )
                % _unit_headings()
            )
        )
        return result
    columns = _read_headings(*header, problems=result.problems)
    if result.problems:
        return result
    reader = _RowReader(columns=columns, user=user, today=today, result=result)
    for number, values in rows:
        if number > header[0]:
            reader.read(number, values)
    if not result.rows and not result.problems:
        result.problems.append(Problem(_("The file has headings but no unit rows.")))
    if result.problems:
        result.rows = []
    result.problems.sort(key=lambda p: p.row)
    return result


# --- the heading row -----------------------------------------------------------------------


def _unit_headings() -> dict[str, str]:
    columns = {c.key: c for c in heading_map().values()}
    return {"code": str(columns[UNIT_CODE].heading), "name": str(columns[UNIT_NAME].heading)}


def _find_header(rows: Rows) -> tuple[int, tuple] | None:
    """The first of the first rows that names a unit column."""
    headings = heading_map()
    for number, values in rows[:HEADER_SEARCH_ROWS]:
        keys = {headings[k].key for k in (fold(cell_text(v)) for v in values) if k in headings}
        if keys & {UNIT_CODE, UNIT_NAME}:
            return number, values
    return None


@dataclass
class _Columns:
    """Where each column is (0-based index) and its heading as written."""

    at: dict[int, Column] = field(default_factory=dict)
    written: dict[int, str] = field(default_factory=dict)

    def index(self, key: str) -> int | None:
        return next((i for i, c in self.at.items() if c.key == key), None)

    def counts(self) -> Iterable[tuple[int, Column]]:
        return ((i, c) for i, c in self.at.items() if c.is_count)


def _read_headings(number: int, values: tuple, *, problems: list[Problem]) -> _Columns:
    headings = heading_map()
    columns = _Columns()
    seen: dict[str, int] = {}
    for idx, raw in enumerate(values):
        text = cell_text(raw)
        key = fold(text)
        if not key or key in IGNORED:
            continue
        column = headings.get(key)
        if column is None:
            problems.append(
                Problem(
                    _("Unknown column. The headings a file may have are listed on the page."),
                    number,
                    text,
                )
            )
            continue
        if column.key in seen:
            other = get_column_letter(seen[column.key] + 1)
            message = _("This column appears twice (also column %(other)s).") % {"other": other}
            problems.append(Problem(message, number, text))
            continue
        seen[column.key] = idx
        columns.at[idx] = column
        columns.written[idx] = text
    named = {c.key: str(c.heading) for c in headings.values()}
    if columns.index(YEAR) is None:
        message = _("No column “%(year)s”: every row needs its year.") % {"year": named[YEAR]}
        problems.append(Problem(message, number))
    if next(iter(columns.counts()), None) is None:
        message = _("No column of numbers: the file needs at least the column “%(admitted)s”.")
        problems.append(Problem(message % {"admitted": named[ADMITTED_KEY]}, number))
    return columns


# --- the unit rows -------------------------------------------------------------------------


def _example_keys() -> set[str]:
    keys = set()
    for language in ("vi", "en"):
        with translation.override(language):
            keys.add(fold(str(EXAMPLE)))
    return keys


class _RowReader:
    def __init__(self, *, columns: _Columns, user, today: date, result: HistoryRead):
        self.columns = columns
        self.user = user
        self.today = today
        self.result = result
        self.units: dict[tuple[str, str], tuple[Unit | None, str]] = {}
        self.seen: dict[tuple[int, int], int] = {}  # (unit id, year) -> row
        self.example = _example_keys()

    def cell(self, values: tuple, key: str) -> Any:
        idx = self.columns.index(key)
        return values[idx] if idx is not None and idx < len(values) else None

    def problem(self, message: str, number: int, key: str | None = None, idx=None) -> None:
        if idx is None and key is not None:
            idx = self.columns.index(key)
        heading = self.columns.written.get(idx, "") if idx is not None else ""
        self.result.problems.append(Problem(message, number, heading))

    def read(self, number: int, values: tuple) -> None:
        code = cell_text(self.cell(values, UNIT_CODE))
        name = cell_text(self.cell(values, UNIT_NAME))
        if fold(code) in self.example:
            return  # the template's example row
        if not self.has_data(values):
            return  # a unit listed without a year or a number: nothing to import
        before = len(self.result.problems)
        unit = self.unit(number, code, name)
        year, error = parse_past_year(self.cell(values, YEAR), today=self.today)
        if error or year is None:
            self.problem(error or _("The year is missing."), number, YEAR)
        counts = self.numbers(number, values)
        quota = self.quota(number, values)
        source = nfc(cell_text(self.cell(values, SOURCE)))
        if len(source) > SOURCE_MAX_LENGTH:
            message = _("Too long: at most %(n)s characters.") % {"n": SOURCE_MAX_LENGTH}
            self.problem(message, number, SOURCE)
        # A quota without the number admitted (not when that number is there but unreadable)
        if quota is not None and not cell_text(self.cell(values, ADMITTED_KEY)):
            self.problem(
                _("A quota needs the number admitted in the same row (0 if none)."),
                number,
                QUOTA,
            )
        self.check_groups(number, counts)
        if len(self.result.problems) > before:
            return
        if not counts:
            self.problem(_("The row has no number."), number)
            return
        first = self.seen.setdefault((unit.pk, year), number)
        if first != number:
            message = _("%(unit)s, %(year)s already appears in row %(row)s.") % {
                "unit": unit.name,
                "year": year,
                "row": first,
            }
            self.problem(message, number)
            return
        self.result.rows.append(HistoryRow(number, unit, year, counts, quota, source))

    def has_data(self, values: tuple) -> bool:
        """Whether the row has anything but its unit."""
        return any(
            cell_text(values[idx])
            for idx, column in self.columns.at.items()
            if column.key not in (UNIT_CODE, UNIT_NAME) and idx < len(values)
        )

    def unit(self, number: int, code: str, name: str) -> Unit | None:
        if (code, name) not in self.units:
            self.units[(code, name)] = self.find_unit(code, name)
        unit, message = self.units[(code, name)]
        if unit is None:
            self.problem(message, number, UNIT_CODE if code else UNIT_NAME)
        return unit

    def find_unit(self, code: str, name: str) -> tuple[Unit | None, str]:
        """By code, else by name (``unit_match``); or None and the problem."""
        if code:
            scope = unit_list(user=self.user) if self.user is not None else Unit.objects.all()
            found = list(scope.filter(code__iexact=code))
            if len(found) == 1:
                return found[0], ""
        if name:
            found = unit_match(name=name, user=self.user)
            if len(found) == 1:
                return found[0], ""
            if found:
                message = _("“%(name)s” fits several units; write the unit code.")
                return None, message % {"name": name}
        if code and name:
            message = _("No unit has the code “%(code)s” or the name “%(name)s”.")
            return None, message % {"code": code, "name": name}
        if code:
            return None, _("No unit has the code “%(code)s”.") % {"code": code}
        if name:
            return None, _("No unit is called “%(name)s”.") % {"name": name}
        return None, _("The unit code and name are missing.")

    def parse(self, number: int, raw: Any, idx: int) -> int | None:
        value, error = parse_number(raw)
        if error:
            text = cell_text(raw)
            if len(text) > ECHO_CHARS:  # 5,000 digits are not shown back
                text = text[:ECHO_CHARS] + "…"
            message = _("“%(value)s”: %(problem)s") % {"value": text, "problem": error}
            self.problem(message, number, idx=idx)
        return value

    def numbers(self, number: int, values: tuple) -> dict[Count, int]:
        counts = {}
        for idx, column in self.columns.counts():
            raw = values[idx] if idx < len(values) else None
            value = self.parse(number, raw, idx)
            if value is not None:
                counts[(column.measure, column.group)] = value
        return counts

    def quota(self, number: int, values: tuple) -> int | None:
        idx = self.columns.index(QUOTA)
        if idx is None or idx >= len(values):
            return None
        return self.parse(number, values[idx], idx)

    def check_groups(self, number: int, counts: dict[Count, int]) -> None:
        """No group of people is larger than everyone admitted."""
        total = counts.get(ADMITTED)
        if total is None:
            return
        for idx, column in self.columns.counts():
            value = counts.get((column.measure, column.group))
            if column.measure == Measure.ADMISSIONS and column.group and (value or 0) > total:
                message = _("%(count)s is more than the %(total)s admitted in all.") % {
                    "count": value,
                    "total": total,
                }
                self.problem(message, number, idx=idx)
