"""The quota grid of a plan: every unit of its area × every target, edited at once, and its
Excel round trip (export; import shown as a preview before anything is saved).

This module builds the grid, validates what was typed or imported, and writes and reads
.xlsx files. It never writes to the database: ``quotas.grid_views`` checks access and hands
the changed cells to ``quotas.services.target_values_set``.

A cell is a unit's *own* number for a target: (minimum, maximum), both optional; an empty
cell means "no number of its own", so the unit follows the target's "every unit of a kind"
number when it matches it (shown greyed), or has no number at all.

Saving compares what was typed with the *baseline* — the numbers the page was showing when
it was rendered, sent back in one hidden field — not with the database. So a cell left alone
never overwrites a number someone else saved meanwhile, and a cell changed by both people is
reported instead of silently overwritten. Inputs missing from the POST count as left alone
(the page's script leaves unchanged inputs out, to keep large grids under Django's limit on
the number of fields).
"""

from __future__ import annotations

import io
import logging
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.text import fold
from units.models import Unit
from units.selectors import unit_list, unit_match

from .models import Plan, Target, TargetValue
from .selectors import area_units, target_each_applies, target_each_description, target_list

logger = logging.getLogger(__name__)

Bounds = tuple[int | None, int | None]
Key = tuple[int, int]  # (target_id, unit_id)

EMPTY: Bounds = (None, None)
SIDES = ("min", "max")
MAX_NUMBER = 999_999  # a quota above this is a typing slip (a phone number, a year...)
MAX_SHARE = 100
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 3000
MAX_IMPORT_COLUMNS = 200
HEADER_SEARCH_ROWS = 15
# Spreadsheet text that Excel or LibreOffice could take for a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --- numbers ---------------------------------------------------------------------------

_WHOLE = re.compile(r"([+-]?)\s*([0-9]+)(?:[.,]0{1,2})?")


def parse_number(raw: Any) -> tuple[int | None, str | None]:
    """One typed or imported value -> (number, error message). Empty -> (None, None).

    Accepted: 10, " 10 ", "10.0", "10,0" and an Excel number 10.0. Refused, with a message:
    letters, fractions, dates, formulas (never evaluated), negative and huge numbers.
    "1.000" is refused rather than guessed (one? one thousand?).
    """
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, _not_whole()
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float | Decimal):
        if not math.isfinite(raw) or raw != int(raw):
            return None, _not_whole()
        value = int(raw)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if not text:
            return None, None
        if text.startswith("="):
            return None, _("A formula is not accepted: type the number itself, e.g. 10.")
        match = _WHOLE.fullmatch(text)
        if match is None:
            return None, _not_whole()
        value = int(match.group(2))
        if match.group(1) == "-" and value:
            value = -value
    else:  # dates, times: Excel turns "8/10" into a date
        return None, _not_whole()
    if value < 0:
        return None, _("Must not be negative.")
    if value > MAX_NUMBER:
        return None, _("Too large: at most %(max)s.") % {"max": f"{MAX_NUMBER:,}".replace(",", ".")}
    return value, None


def _not_whole() -> str:
    return _("Not a whole number: type digits only, e.g. 10.")


def bounds_problems(bounds: Bounds, *, is_share: bool) -> list[tuple[tuple[str, ...], str]]:
    """What is wrong with a valid pair of numbers: [((sides...), message)]."""
    minimum, maximum = bounds
    problems: list[tuple[tuple[str, ...], str]] = []
    if is_share:
        over = tuple(
            s for s, v in zip(SIDES, bounds, strict=True) if v is not None and v > MAX_SHARE
        )
        if over:
            problems.append((over, _("A share is a percentage: at most 100.")))
    if minimum is not None and maximum is not None and minimum > maximum:
        problems.append((SIDES, _("The minimum must not be larger than the maximum.")))
    return problems


def number_text(value: int | None) -> str:
    return "" if value is None else str(value)


def bounds_text(bounds: Bounds, *, is_share: bool = False) -> str:
    """(8, 10) -> "8–10"; (2, None) -> "at least 2"; (None, None) -> "empty"."""
    suffix = "%" if is_share else ""
    lo, hi = bounds
    if lo is not None and hi is not None:
        return f"{lo}{suffix}" if lo == hi else f"{lo}–{hi}{suffix}"
    if lo is not None:
        return _("at least %(n)s") % {"n": f"{lo}{suffix}"}
    if hi is not None:
        return _("at most %(n)s") % {"n": f"{hi}{suffix}"}
    return _("empty")


# --- the grid --------------------------------------------------------------------------


@dataclass
class Column:
    target: Target
    header: str  # unique within the plan: the Excel heading before "– minimum"
    each_rule: str  # "every enterprise, with a trade union", or ""
    each_bounds: str  # "at least 2", or ""

    @property
    def is_share(self) -> bool:
        return self.target.is_share


@dataclass
class Cell:
    target: Target
    unit: Unit
    saved: Bounds  # the unit's own number in the database now
    base: Bounds  # the number the page showed when it was rendered
    inherited: Bounds | None  # the "every unit of a kind" number, when the unit matches
    texts: list[str]  # what the two inputs show
    value: Bounds | None  # the valid number of the inputs; None while a cell has errors
    hint: str = ""  # how an empty cell is read, when the unit inherits a number
    errors: list[str] = field(default_factory=list)
    bad: set[str] = field(default_factory=set)  # "min" / "max": which inputs are wrong

    @property
    def key(self) -> Key:
        return (self.target.pk, self.unit.pk)

    @property
    def is_share(self) -> bool:
        return self.target.is_share

    def name(self, side: str) -> str:
        return f"n-{self.target.pk}-{self.unit.pk}-{side}"

    @property
    def name_min(self) -> str:
        return self.name("min")

    @property
    def name_max(self) -> str:
        return self.name("max")

    @property
    def text_min(self) -> str:
        return self.texts[0]

    @property
    def text_max(self) -> str:
        return self.texts[1]

    @property
    def base_min(self) -> str:
        return number_text(self.base[0])

    @property
    def base_max(self) -> str:
        return number_text(self.base[1])

    @property
    def inherited_min(self) -> str:
        return number_text(self.inherited[0]) if self.inherited else ""

    @property
    def inherited_max(self) -> str:
        return number_text(self.inherited[1]) if self.inherited else ""

    @property
    def inputs(self) -> list[tuple[str, str, str, str, str, str]]:
        """Per box: (side, field name, text, baseline, saved, inherited) for the template."""
        inherited = self.inherited or EMPTY
        return [
            (
                side,
                self.name(side),
                self.texts[s],
                number_text(self.base[s]),
                number_text(self.saved[s]),
                number_text(inherited[s]),
            )
            for s, side in enumerate(SIDES)
        ]

    @property
    def inherits(self) -> bool:
        """Empty on both sides and following the "every unit of a kind" number."""
        return self.inherited is not None and self.texts == ["", ""]

    @property
    def is_changed(self) -> bool:
        """Differs from what is saved (highlighted)."""
        if self.value is None:
            return self.texts != [number_text(v) for v in self.saved]
        return self.value != self.saved

    @property
    def is_change(self) -> bool:
        """Will be written on save: changed by the user (against the baseline) and not
        already what is saved."""
        return self.value is not None and self.value != self.base and self.value != self.saved

    def set_value(self, value: Bounds) -> None:
        self.value = value
        self.texts = [number_text(v) for v in value]
        self.errors, self.bad = [], set()


@dataclass
class Row:
    unit: Unit
    level: int
    cells: list[Cell]


@dataclass
class Grid:
    plan: Plan
    columns: list[Column]
    rows: list[Row]

    @property
    def cells(self) -> list[Cell]:
        return [c for row in self.rows for c in row.cells]

    @property
    def error_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.errors]

    @property
    def error_count(self) -> int:
        return sum(len(c.errors) for c in self.cells)

    def changes(self) -> dict[Key, Bounds]:
        """The cells to write: {(target_id, unit_id): (min, max)}; (None, None) removes."""
        return {c.key: c.value for c in self.cells if c.is_change}  # type: ignore[misc]

    @property
    def baseline(self) -> str:
        return baseline_encode({c.key: c.base for c in self.cells})

    @property
    def unit_count(self) -> int:
        return len(self.rows)


def target_headers(targets: list[Target]) -> dict[int, str]:
    """A unique heading per target: its name, with the deadline (then the id) added when
    two targets of the plan share a name."""
    headers = {t.pk: t.name.strip() for t in targets}
    for extra in (
        lambda t: date_format(t.ends_on, "d/m/Y"),
        lambda t: f"#{t.pk}",
    ):
        seen: dict[str, int] = {}
        for t in targets:
            seen[fold(headers[t.pk])] = seen.get(fold(headers[t.pk]), 0) + 1
        for t in targets:
            if seen[fold(headers[t.pk])] > 1:
                headers[t.pk] = f"{headers[t.pk]} ({extra(t)})"
    return headers


def inherit_hint(column: Column) -> str:
    return _("Empty: follows the number for %(rule)s: %(bounds)s.") % {
        "rule": column.each_rule,
        "bounds": column.each_bounds,
    }


def grid_build(*, plan: Plan, user) -> Grid:
    """The grid of ``plan`` as saved: the units of its area that ``user`` may see (tree
    order) × the plan's targets. Four queries, whatever the size."""
    targets = target_list(plan=plan)
    units = area_units(plan=plan)
    visible = set(
        unit_list(user=user).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    units = [u for u in units if u.pk in visible]
    saved: dict[Key, Bounds] = {
        (v.target_id, v.unit_id): (v.minimum, v.maximum)
        for v in TargetValue.objects.filter(target__plan=plan).only(
            "target_id", "unit_id", "minimum", "maximum"
        )
    }
    headers = target_headers(targets)
    columns = [
        Column(
            target=t,
            header=headers[t.pk],
            each_rule=target_each_description(t) if t.has_each else "",
            each_bounds=bounds_text((t.each_min, t.each_max), is_share=t.is_share)
            if t.has_each
            else "",
        )
        for t in targets
    ]
    base_level = min((u.depth for u in units), default=0)
    rows = []
    for unit in units:
        cells = []
        for column in columns:
            t = column.target
            own = saved.get((t.pk, unit.pk), EMPTY)
            inherits = target_each_applies(t, unit)
            cells.append(
                Cell(
                    target=t,
                    unit=unit,
                    saved=own,
                    base=own,
                    inherited=(t.each_min, t.each_max) if inherits else None,
                    texts=[number_text(v) for v in own],
                    value=own,
                    hint=inherit_hint(column) if inherits else "",
                )
            )
        rows.append(Row(unit=unit, level=max(0, unit.depth - base_level), cells=cells))
    return Grid(plan=plan, columns=columns, rows=rows)


# --- the baseline (hidden field) ---------------------------------------------------------


def baseline_encode(values: Mapping[Key, Bounds]) -> str:
    """{(3, 7): (8, 10), (3, 9): (None, 5)} -> "3.7:8,10;3.9:,5" (empty cells left out)."""
    parts = [
        f"{t}.{u}:{number_text(lo)},{number_text(hi)}"
        for (t, u), (lo, hi) in sorted(values.items())
        if (lo, hi) != EMPTY
    ]
    return ";".join(parts)


def baseline_decode(text: str | None) -> dict[Key, Bounds] | None:
    """The inverse of ``baseline_encode``; None when missing or malformed."""
    if text is None:
        return None
    result: dict[Key, Bounds] = {}
    try:
        for part in filter(None, text.split(";")):
            key, _sep, numbers = part.partition(":")
            t, u = key.split(".")
            lo, hi = numbers.split(",")
            result[(int(t), int(u))] = (int(lo) if lo else None, int(hi) if hi else None)
    except ValueError:
        return None
    return result


# --- binding a POST ------------------------------------------------------------------------


def grid_bind(grid: Grid, data: Mapping[str, Any]) -> None:
    """Fill the grid with the numbers typed in the form and validate every cell.

    Afterwards each cell either has a valid ``value`` or ``errors``; ``grid.changes()``
    lists what to write. A cell whose number someone else changed while this user was
    changing it too gets an error instead of overwriting theirs.
    """
    posted_base = baseline_decode(data.get("baseline"))
    for cell in grid.cells:
        orig = cell.saved if posted_base is None else posted_base.get(cell.key, EMPTY)
        texts = []
        for side, default in zip(SIDES, orig, strict=True):
            raw = data.get(cell.name(side))
            texts.append(number_text(default) if raw is None else str(raw).strip())
        _bind_cell(cell, orig, texts)


def _bind_cell(cell: Cell, orig: Bounds, texts: list[str]) -> None:
    cell.errors, cell.bad = [], set()
    cell.texts = texts
    numbers: list[int | None] = []
    for side, text in zip(SIDES, texts, strict=True):
        number, error = parse_number(text)
        if error:
            cell.errors.append(error)
            cell.bad.add(side)
        numbers.append(number)
    if cell.errors:
        cell.base, cell.value = orig, None
        return
    typed: Bounds = (numbers[0], numbers[1])
    if typed == orig:  # left alone: show what is saved now (perhaps changed by someone else)
        cell.base = cell.saved
        cell.set_value(cell.saved)
        return
    problems = bounds_problems(typed, is_share=cell.is_share)
    if problems:
        for sides, message in problems:
            cell.errors.append(message)
            cell.bad.update(sides)
        cell.base, cell.value = orig, None
        return
    if cell.saved != orig and typed != cell.saved:
        cell.errors.append(
            _(
                "Someone else changed this number to %(now)s while you were editing. "
                "Check it and press Save again."
            )
            % {"now": bounds_text(cell.saved, is_share=cell.is_share)}
        )
        cell.bad.update(SIDES)
        cell.base, cell.value = cell.saved, None  # saving again now overwrites, knowingly
        return
    cell.base, cell.value = orig, typed


# --- Excel export --------------------------------------------------------------------------

_THIN = Side(style="thin", color="BFB8AE")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F3EEE7")
_TITLE_ROW, _NOTE_ROW, _HEADER_ROW = 1, 2, 3


def side_label(side: str) -> str:
    return _("minimum") if side == "min" else _("maximum")


def column_heading(column: Column, side: str) -> str:
    return f"{column.header} – {side_label(side)}"


def _put(cell, value: Any) -> None:
    """Write a value; text that a spreadsheet could run as a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def grid_export(grid: Grid) -> bytes:
    """The grid as an .xlsx: a title row, a note, a heading row, one row per unit. Only the
    units' own numbers are written; an "every unit of a kind" number is a cell comment."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Quotas")[:31]
    plan = grid.plan
    last_col = 2 + 2 * len(grid.columns)

    _put(ws.cell(_TITLE_ROW, 1), f"{plan.number} – {plan.title}")
    ws.cell(_TITLE_ROW, 1).font = Font(bold=True, size=13)
    _put(
        ws.cell(_NOTE_ROW, 1),
        _(
            "An empty cell: the unit has no number of its own (it follows the number for "
            "every unit of its kind, if any — see the cell's comment). Do not change "
            "column A or the headings; then import the file on the quota grid page."
        ),
    )
    ws.cell(_NOTE_ROW, 1).font = Font(italic=True, color="6C645B")
    ws.merge_cells(start_row=_NOTE_ROW, start_column=1, end_row=_NOTE_ROW, end_column=last_col)
    ws.cell(_NOTE_ROW, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[_NOTE_ROW].height = 30

    headings = [_("Unit code"), _("Unit")]
    for column in grid.columns:
        headings += [column_heading(column, side) for side in SIDES]
    for idx, text in enumerate(headings, start=1):
        cell = ws.cell(_HEADER_ROW, idx)
        _put(cell, text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[_HEADER_ROW].height = 60

    grey = Font(color="8A8178", italic=True)
    for r, row in enumerate(grid.rows, start=_HEADER_ROW + 1):
        _put(ws.cell(r, 1), row.unit.code)
        _put(ws.cell(r, 2), row.unit.name)
        ws.cell(r, 2).alignment = Alignment(indent=row.level, wrap_text=True)
        for c, cell in enumerate(row.cells):
            for s in range(2):
                xl = ws.cell(r, 3 + 2 * c + s)
                xl.border = _BORDER
                xl.number_format = "0"
                if cell.saved[s] is not None:
                    xl.value = cell.saved[s]
                elif cell.inherited is not None and cell.inherited[s] is not None:
                    xl.comment = Comment(
                        cell.hint,
                        "PTĐV",
                        width=220,
                        height=70,
                    )
                    xl.font = grey
        ws.cell(r, 1).border = ws.cell(r, 2).border = _BORDER

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

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_filename(plan: Plan) -> str:
    slug = re.sub(r"[^0-9a-z]+", "-", fold(plan.number)).strip("-") or str(plan.pk)
    return f"bang-chi-tieu-{slug}.xlsx"


# --- Excel import ----------------------------------------------------------------------------


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


_CODE_HEADINGS = {"ma don vi", "ma", "ma dv", "unit code", "code"}
_NAME_HEADINGS = {"don vi", "ten don vi", "unit", "unit name", "name"}
_SIDE_WORDS = {"min": {"toi thieu", "min", "minimum"}, "max": {"toi da", "max", "maximum"}}


def _heading_map(grid: Grid) -> dict[str, tuple[Target, int]]:
    """Folded heading -> (target, side index), tolerant of case, accents and spacing."""
    result = {}
    for column in grid.columns:
        for s, side in enumerate(SIDES):
            for word in {fold(side_label(side)), *_SIDE_WORDS[side]}:
                result[fold(f"{column.header} {word}")] = (column.target, s)
    return result


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _read_rows(upload) -> tuple[list[tuple[int, tuple]], list[ImportProblem]]:
    """The first sheet's rows as (row number, values), or the problem with the file."""
    size = getattr(upload, "size", None) or 0
    if size > MAX_UPLOAD_BYTES:
        mb = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        return [], [
            ImportProblem(
                _("The file is too large (%(size)s MB); the limit is 5 MB.") % {"size": mb}
            )
        ]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return [], [
            ImportProblem(
                _(
                    "This is an old Excel file (.xls). Open it in Excel and save it as "
                    "“Excel Workbook (.xlsx)”, then import it again."
                )
            )
        ]
    not_xlsx = ImportProblem(
        _(
            "This is not an Excel .xlsx file, or the file is damaged. Download the grid "
            "with “Download Excel”, fill it in and import that file."
        )
    )
    if not head.startswith(b"PK"):
        return [], [not_xlsx]
    rows: list[tuple[int, tuple]] = []
    problems: list[ImportProblem] = []
    try:
        wb = load_workbook(upload, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any failure to open means a damaged or foreign file
        logger.info("quota grid import: unreadable file", exc_info=True)
        return [], [not_xlsx]
    try:
        if not wb.worksheets:
            return [], [not_xlsx]
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # some programs write wrong dimensions
        for number, values in enumerate(
            ws.iter_rows(max_col=MAX_IMPORT_COLUMNS, values_only=True), start=1
        ):
            if number > MAX_IMPORT_ROWS:
                if any(_text(v) for v in values):
                    problems.append(
                        ImportProblem(
                            _("The file has too many rows: at most %(n)s are read.")
                            % {"n": MAX_IMPORT_ROWS}
                        )
                    )
                break
            rows.append((number, tuple(values)))
    except Exception:  # noqa: BLE001
        logger.info("quota grid import: damaged sheet", exc_info=True)
        return [], [not_xlsx]
    finally:
        wb.close()
    return rows, problems


def grid_import(grid: Grid, upload, *, user) -> ImportResult:
    """Read an uploaded .xlsx into the grid's cells and report every problem.

    Columns are matched by their heading, rows by unit code (column "Mã đơn vị") or, when the
    code is empty or unknown, by the unit's name among the plan's units. Nothing is saved;
    on success ``result.values`` holds every cell the file gives (the caller shows them).
    """
    result = ImportResult()
    if upload is None:
        result.problems.append(ImportProblem(_("Choose an Excel file (.xlsx) to import.")))
        return result
    rows, problems = _read_rows(upload)
    result.problems += problems
    if result.problems:
        return result
    non_empty = [(n, values) for n, values in rows if any(_text(v) for v in values)]
    if not non_empty:
        result.problems.append(ImportProblem(_("The file is empty.")))
        return result

    header_row = None
    for number, values in non_empty[:HEADER_SEARCH_ROWS]:
        folded = {fold(_text(v)) for v in values}
        if folded & (_CODE_HEADINGS | _NAME_HEADINGS):
            header_row = (number, values)
            break
    if header_row is None:
        result.problems.append(
            ImportProblem(
                _(
                    "No heading row found: the file needs a column “Mã đơn vị” or “Đơn vị”. "
                    "Use the file downloaded from this page."
                )
            )
        )
        return result

    header_number, header_values = header_row
    headings = _heading_map(grid)
    code_col = name_col = None
    value_cols: dict[int, tuple[Target, int]] = {}
    seen_fields: dict[tuple[int, int], str] = {}
    for idx, raw in enumerate(header_values):
        text = _text(raw)
        if not text:
            continue
        letter = get_column_letter(idx + 1)
        key = fold(text)
        if key in _CODE_HEADINGS and code_col is None:
            code_col = idx
        elif key in _NAME_HEADINGS and name_col is None:
            name_col = idx
        elif key in headings:
            target, side = headings[key]
            if (target.pk, side) in seen_fields:
                result.problems.append(
                    ImportProblem(
                        _("This column appears twice (also column %(other)s).")
                        % {"other": seen_fields[(target.pk, side)]},
                        header_number,
                        letter,
                        text,
                    )
                )
            else:
                seen_fields[(target.pk, side)] = letter
                value_cols[idx] = (target, side)
        else:
            result.problems.append(
                ImportProblem(
                    _("Unknown column. Keep the headings as they were downloaded."),
                    header_number,
                    letter,
                    text,
                )
            )
    if code_col is None and name_col is None:
        result.problems.append(
            ImportProblem(_("No unit column: keep column “Mã đơn vị”."), header_number)
        )
    if not value_cols:
        result.problems.append(
            ImportProblem(
                _("No quota column found: the headings must be those of this plan's targets."),
                header_number,
            )
        )
    if code_col is None and name_col is None or not value_cols:
        return result

    cells = {c.key: c for c in grid.cells}
    units_by_code = {row.unit.code.casefold(): row.unit for row in grid.rows}
    area_ids = {row.unit.pk for row in grid.rows}
    seen_units: dict[int, int] = {}
    letter_of = {idx: get_column_letter(idx + 1) for idx in value_cols}
    heading_of = {idx: _text(header_values[idx]) for idx in value_cols}
    col_of = {(target.pk, side): idx for idx, (target, side) in value_cols.items()}
    for number, values in rows:
        if number <= header_number or not any(_text(v) for v in values):
            continue
        code = _text(values[code_col]) if code_col is not None else ""
        name = _text(values[name_col]) if name_col is not None else ""
        unit_col = code_col if (code or name_col is None) else name_col
        unit_letter = get_column_letter(unit_col + 1) if unit_col is not None else ""
        unit, problem = _find_unit(code, name, units_by_code, area_ids, user)
        if unit is None:
            result.problems.append(ImportProblem(problem, number, unit_letter))
            continue
        if unit.pk in seen_units:
            result.problems.append(
                ImportProblem(
                    _("%(unit)s already appears in row %(row)s.")
                    % {"unit": unit.display_name, "row": seen_units[unit.pk]},
                    number,
                    unit_letter,
                )
            )
            continue
        seen_units[unit.pk] = number
        result.units += 1
        given: dict[int, dict[int, int | None]] = {}
        unreadable: set[int] = set()  # targets with a box that is not a number
        for idx, (target, side) in value_cols.items():
            number_value, error = parse_number(values[idx])
            if error:
                result.problems.append(
                    ImportProblem(error, number, letter_of[idx], heading_of[idx])
                )
                unreadable.add(target.pk)
            else:
                given.setdefault(target.pk, {})[side] = number_value
        for target_pk, sides in given.items():
            if target_pk in unreadable:
                continue
            cell = cells[(target_pk, unit.pk)]
            bounds: Bounds = (sides.get(0, cell.saved[0]), sides.get(1, cell.saved[1]))
            problems = bounds_problems(bounds, is_share=cell.is_share)
            for problem_sides, message in problems:
                side = SIDES.index(problem_sides[-1])
                idx = col_of.get((target_pk, side), col_of.get((target_pk, 1 - side)))
                result.problems.append(
                    ImportProblem(message, number, letter_of[idx], heading_of[idx])
                )
            if not problems:
                result.values[(target_pk, unit.pk)] = bounds
    if not result.units and not any(p.row and p.row > header_number for p in result.problems):
        result.problems.append(ImportProblem(_("The file has headings but no unit rows.")))
    result.problems.sort(key=lambda p: (p.row or 0, len(p.column), p.column))
    return result


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


def grid_fill(grid: Grid, values: Mapping[Key, Bounds]) -> int:
    """Show imported numbers in the grid (nothing saved); returns how many cells change."""
    for cell in grid.cells:
        if cell.key in values:
            cell.set_value(values[cell.key])
    return sum(1 for c in grid.cells if c.is_change)
