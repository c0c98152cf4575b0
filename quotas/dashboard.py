"""The progress dashboard of a plan: per unit the user may see, every target's figure,
rolled up the tree; what needs attention, the next milestones and the counts by status.

Every figure comes from ``quotas.progress.target_progress``.
"""

from dataclasses import dataclass, replace
from datetime import date

from core.audit import audit_cached
from units.models import Unit
from units.selectors import unit_list

from .choices import Status
from .measures import counts_shared
from .models import Plan, Target
from .progress import Progress, TargetProgress, target_progress
from .selectors import area_units, target_list

# Worst first: the order in which the dashboard lists units that need attention.
STATUS_SEVERITY = {Status.MISSED: 0, Status.BEHIND: 1, Status.ON_TRACK: 2, Status.MET: 3}

# The table and the chart list at most this many units. A larger area (a province's
# thousands of cells) shows its top levels, each unit with the count of units under it that
# are not listed and a link to its own part of the tree; the counts, the attention list and
# the milestones still cover every unit.
ROWS_SHOWN = 150
# The units behind or missed the page names (the others are in the table).
ATTENTION_SHOWN = 8


@dataclass
class DashboardRow:
    unit: Unit
    depth: int
    cells: list[Progress | None]
    rollups: list[Progress | None]
    next_milestone: Progress | None = None
    below: int = 0  # units under this one that have figures but are not listed

    @property
    def pairs(self) -> list[tuple[Progress | None, Progress | None]]:
        return list(zip(self.cells, self.rollups, strict=True))

    @property
    def worst(self) -> Status | None:
        statuses = [c.status for c in self.cells if c is not None]
        if not statuses:
            statuses = [c.status for c in self.rollups if c is not None]
        return min(statuses, key=STATUS_SEVERITY.__getitem__) if statuses else None


@dataclass
class Milestone:
    deadline: date
    days_left: int
    targets: list[Target]
    progress: list[Progress]  # the plan-wide figure of each target due that day


@dataclass
class Dashboard:
    plan: Plan
    on: date
    targets: list[TargetProgress]
    rows: list[DashboardRow]
    attention: list[Progress]  # units' own numbers that are behind or missed, worst first
    milestones: list[Milestone]
    counts: dict[Status, int]
    overall: list[Progress | None]  # per target: the top figure the user may see
    kinds: list  # the kinds of unit among the rows, before filtering by kind
    shown: list[DashboardRow]  # the rows the table and the chart list (``ROWS_SHOWN``)
    focus: Unit | None = None  # the unit whose part of the tree is shown (``within``)
    row_count: int = 0  # every row, listed or not
    attention_count: int = 0  # every unit's number behind or missed
    cache_key: str = ""  # where ``plan_dashboard_page`` keeps it ("": not kept)

    @property
    def hidden(self) -> int:
        """How many rows are not listed."""
        return self.row_count - len(self.shown)

    @property
    def attention_more(self) -> int:
        """How many numbers behind or missed the page does not name."""
        return max(0, self.attention_count - ATTENTION_SHOWN)


def plan_dashboard_page(
    *, plan: Plan, user, on: date, kind_id: int | None = None, within: int | None = None
) -> Dashboard:
    """``plan_dashboard`` with only what the page shows: the listed rows (``rows`` is
    ``shown``), the first ``ATTENTION_SHOWN`` numbers behind, each target's figures of the
    listed units; the counts, milestones and top figures of every unit.

    Read on every visit of the home page and the dashboard, written far less often: kept in
    the cache until the next write (``core.audit.audit_cached``)."""
    board, key = audit_cached(
        ("quotas.dashboard", plan.pk, user.pk, on.isoformat(), kind_id, within),
        lambda: _page(plan_dashboard(plan=plan, user=user, on=on, kind_id=kind_id, within=within)),
    )
    board.cache_key = key  # the page keys its drawn fragment on it
    return board


def _page(board: Dashboard) -> Dashboard:
    """What the page of ``board`` shows (small enough to keep in the cache)."""
    listed = {row.unit.pk for row in board.shown}
    targets = [
        replace(
            tp,
            own={pk: p for pk, p in tp.own.items() if pk in listed},
            rollup={pk: p for pk, p in tp.rollup.items() if pk in listed},
        )
        for tp in board.targets
    ]
    return replace(
        board, targets=targets, rows=board.shown, attention=board.attention[:ATTENTION_SHOWN]
    )


def plan_dashboard(
    *, plan: Plan, user, on: date, kind_id: int | None = None, within: int | None = None
) -> Dashboard:
    """Progress of every target of ``plan`` on ``on``, for the units ``user`` may see (only
    those under the unit ``within``, when the user may see it)."""
    units = area_units(plan=plan)
    # The user's units, intersected here: 5,000 ids sent back in an IN list cost more than
    # reading the user's ids.
    visible_ids = set(unit_list(user=user).order_by().values_list("pk", flat=True))
    visible_ids &= {u.id for u in units}
    targets = target_list(plan=plan)
    with counts_shared():
        progress = [
            target_progress(target=t, on=on, units=units, visible=visible_ids) for t in targets
        ]

    rows = []
    owns = [tp.own for tp in progress]
    rollup_maps = [tp.rollup for tp in progress]
    for unit in units:
        unit_id = unit.id  # .id, not .pk: a plain attribute, read for 5,000 units
        if unit_id not in visible_ids:
            continue
        cells = [own.get(unit_id) for own in owns]
        rollups = [rollup.get(unit_id) for rollup in rollup_maps]
        if not any(cells) and not any(rollups):
            continue
        upcoming = [c for c in (*cells, *rollups) if c is not None and c.days_left >= 0]
        nxt = min(upcoming, key=lambda c: (c.next_day, c.is_rollup), default=None)
        rows.append(DashboardRow(unit, unit.depth, cells, rollups, nxt))
    kinds = sorted({r.unit.kind for r in rows}, key=lambda k: (k.sort_order, k.name))
    focus = next((r.unit for r in rows if r.unit.pk == within), None) if within else None
    if focus is not None:
        rows = [r for r in rows if r.unit.path.startswith(focus.path)]
    if kind_id:
        rows = [r for r in rows if r.unit.kind_id == kind_id]
    if rows:
        base = min(r.depth for r in rows)
        for r in rows:
            r.depth -= base
    # Only the targets the user has a figure for (a school's secretary does not need the
    # committees' column).
    keep = [i for i in range(len(progress)) if any(r.cells[i] or r.rollups[i] for r in rows)]
    if rows and len(keep) < len(progress):
        progress = [progress[i] for i in keep]
        targets = [targets[i] for i in keep]
        for r in rows:
            r.cells = [r.cells[i] for i in keep]
            r.rollups = [r.rollups[i] for i in keep]

    own = [c for r in rows for c in r.cells if c is not None]
    counts = {s: 0 for s in Status}
    for c in own:
        counts[c.status] += 1
    attention = sorted(
        (c for c in own if c.status in (Status.BEHIND, Status.MISSED)),
        key=lambda c: (STATUS_SEVERITY[c.status], c.deadline, -(c.remaining or 0), c.unit.path),
    )

    overall = [_top_figure(tp, rows) for tp in progress]
    milestones = []
    for deadline in sorted({t.ends_on for t in targets if t.ends_on >= on}):
        due = [(t, top) for t, top in zip(targets, overall, strict=True) if t.ends_on == deadline]
        milestones.append(
            Milestone(
                deadline=deadline,
                days_left=(deadline - on).days,
                targets=[t for t, _top in due],
                progress=[top for _t, top in due if top is not None],
            )
        )
    shown = rows_shown(rows, limit=ROWS_SHOWN)
    return Dashboard(
        plan,
        on,
        progress,
        rows,
        attention,
        milestones,
        counts,
        overall,
        kinds,
        shown,
        focus,
        row_count=len(rows),
        attention_count=len(attention),
    )


def rows_shown(rows: list[DashboardRow], *, limit: int) -> list[DashboardRow]:
    """The rows to list: all of them when they are at most ``limit``; else the top levels
    of the tree (as many levels as fit, at least two), at most ``limit`` rows. Each listed
    row's ``below`` counts the rows of the levels left out under it (not those cut by the
    limit, which its link would not list either). ``rows`` are in tree order, their depth
    counted from 0."""
    for row in rows:
        row.below = 0
    if len(rows) <= limit:
        return rows
    per_level: dict[int, int] = {}
    for row in rows:
        per_level[row.depth] = per_level.get(row.depth, 0) + 1
    deepest, listed = 1, 0
    for depth in sorted(per_level):
        listed += per_level[depth]
        if listed > limit:
            break
        deepest = max(deepest, depth)
    shown = [r for r in rows if r.depth <= deepest][:limit]
    by_path = {r.unit.path: r for r in shown}
    capped = {r.unit.path for r in rows if r.depth <= deepest and r.unit.path not in by_path}
    step = Unit.steplen
    for row in rows:
        if row.depth <= deepest:
            continue
        path = row.unit.path
        for end in range(len(path) - step, 0, -step):
            if path[:end] in capped:
                break
            above = by_path.get(path[:end])
            if above is not None:
                above.below += 1
                break
    return shown


def _top_figure(tp: TargetProgress, rows: list[DashboardRow]) -> Progress | None:
    """The first row's figure (the highest unit the user sees): the plan-wide number for
    the Board, the unit's own for a secretary."""
    for row in rows:
        found = tp.for_unit(row.unit.pk)
        if found is not None:
            return found
    return None
