"""The quota grid as a form: every unit of a plan's area × every target, built from the
database, bound to a POST and validated cell by cell — a formset made by hand, because a
grid of thousands of boxes needs one query per kind of data, not one form per cell.

A cell is a unit's *own* number for a target: (minimum, maximum), both optional; an empty
cell means "no number of its own", so the unit follows the target's "every unit of a kind"
number when it matches it (shown greyed), or has no number at all.

Saving compares what was typed with the *baseline* — the numbers the page was showing when
it was rendered, sent back in one hidden field — not with the database. So a cell left alone
never overwrites a number someone else saved meanwhile, and a cell changed by both people is
reported instead of silently overwritten. Inputs missing from the POST count as left alone
(the page's script leaves unchanged inputs out, to keep large grids under Django's limit on
the number of fields).

Nothing here writes to the database: ``quotas.grid_views`` hands ``Grid.changes()`` to
``quotas.services.target_values_set``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from core.dates import dmy
from core.text import fold
from units.models import Unit
from units.selectors import unit_list

from ..models import Plan, Target, TargetValue
from ..progress import target_each_applies, target_each_description
from ..selectors import area_units, target_list
from .cells import (
    EMPTY,
    SIDES,
    Bounds,
    Key,
    bounds_problems,
    bounds_text,
    number_text,
    parse_number,
)

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
        lambda t: dmy(t.ends_on),
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


# --- an import shown in the grid -----------------------------------------------------------


def grid_fill(grid: Grid, values: Mapping[Key, Bounds]) -> int:
    """Show imported numbers in the grid (nothing saved); returns how many cells change."""
    for cell in grid.cells:
        if cell.key in values:
            cell.set_value(values[cell.key])
    return sum(1 for c in grid.cells if c.is_change)
