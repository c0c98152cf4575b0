"""Reads of plans and targets, and *the* progress selector.

``target_progress`` is the one function that turns a target and a day into actual, target,
remaining and status, for every unit that holds a number and rolled up the tree. The
dashboard, the plan page and every report read progress through it.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from units.models import Unit
from units.selectors import role_assignment_list, unit_list, unit_subtree

from .choices import MEASURE_DEFINITIONS, PersonGroup, PlanStatus, Status
from .measures import CountQuery, count_by_unit
from .models import Plan, Target
from .rules import progress_status

# Worst first: the order in which the dashboard lists units that need attention.
STATUS_SEVERITY = {Status.MISSED: 0, Status.BEHIND: 1, Status.ON_TRACK: 2, Status.MET: 3}


# --- plans ---------------------------------------------------------------------------


def plan_list(*, user) -> QuerySet[Plan]:
    """The plans a user may read: those whose area covers, or lies under, a unit they hold."""
    qs = Plan.objects.select_related("issuer", "area").order_by("-year", "-issued_on", "number")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    q = Q(pk__in=[])
    for ra in role_assignment_list(user=user):
        path = ra.unit.path
        prefixes = [path[:i] for i in range(Unit.steplen, len(path) + 1, Unit.steplen)]
        q |= Q(area__path__in=prefixes) | Q(area__path__startswith=path)
    return qs.filter(q)


def plan_get(*, user, pk: int) -> Plan:
    return get_object_or_404(plan_list(user=user), pk=pk)


def plan_find(*, number: str, user=None) -> list[Plan]:
    """Plans whose number is ``number`` once spaces, case, accents and separators are ignored
    ("145/KH-HU" = "145-KH/HU")."""
    from .models import plan_number_key

    qs = plan_list(user=user) if user is not None else Plan.objects.select_related("issuer")
    return list(qs.filter(number_key=plan_number_key(number)))


def plan_current(*, user, on: date) -> Plan | None:
    """The plan to show by default: in force, for the year of ``on`` or else the latest."""
    plans = list(plan_list(user=user).filter(status=PlanStatus.IN_FORCE))
    for plan in plans:
        if plan.year == on.year:
            return plan
    return plans[0] if plans else None


def plan_default_day(*, plan: Plan, today: date) -> date:
    """The day a plan's progress is shown for: today, or the day after the plan's last
    deadline once that is past (a 2024 plan is shown as it ended, with final statuses)."""
    last = plan.targets.order_by("-ends_on").values_list("ends_on", flat=True).first()
    if last is not None and today > last:
        return last + timedelta(days=1)
    return today


def target_list(*, plan: Plan) -> list[Target]:
    return list(
        plan.targets.select_related("round", "count_kind", "each_kind").order_by("position", "pk")
    )


# --- progress ------------------------------------------------------------------------


@dataclass
class Progress:
    """One number of one target for one unit on one day, with what was achieved."""

    target: Target
    unit: Unit
    on: date
    actual: int
    minimum: int | None
    maximum: int | None
    status: Status
    expected: int | None = None
    over_maximum: bool = False
    total: int | None = None  # shares: everything counted, of which ``actual`` is the part
    inherited: bool = False  # the number comes from "every unit of a kind"
    rollup_of: int = 0  # a roll-up: how many units' numbers were summed
    rollup_met: int = 0  # ... and how many of those units have met theirs

    @property
    def is_rollup(self) -> bool:
        return self.rollup_of > 0

    @property
    def is_share(self) -> bool:
        return self.total is not None

    @property
    def share_percent(self) -> float | None:
        if self.total is None or self.total == 0:
            return None
        return round(100 * self.actual / self.total, 1)

    @property
    def remaining(self) -> int | None:
        """How many more are needed to reach the minimum (None for shares)."""
        if self.is_share:
            return None
        return max(0, (self.minimum or 0) - self.actual)

    @property
    def deadline(self) -> date:
        return self.target.ends_on

    @property
    def days_left(self) -> int:
        return (self.target.ends_on - self.on).days

    @property
    def bar_percent(self) -> int:
        """How full the progress bar is (0–100)."""
        if self.is_share:
            reached = self.share_percent or 0
            goal = self.minimum or 100
        else:
            reached, goal = self.actual, self.minimum or self.maximum or 0
        if not goal:
            return 100
        return max(0, min(100, round(100 * reached / goal)))

    @property
    def bounds_display(self) -> str:
        suffix = "%" if self.target.is_share else ""
        lo, hi = self.minimum, self.maximum
        if lo is not None and hi is not None and lo != hi:
            return f"{lo}–{hi}{suffix}"
        if lo is not None:
            return f"{lo}{suffix}"
        return _("at most %(n)s") % {"n": f"{hi}{suffix}"}

    @property
    def actual_display(self) -> str:
        if self.is_share:
            percent = self.share_percent
            shown = "–" if percent is None else f"{percent:g}%".replace(".", ",")
            return f"{shown} ({self.actual}/{self.total})"
        return str(self.actual)


@dataclass
class TargetProgress:
    """A target's progress on one day: per unit that holds a number, and rolled up."""

    target: Target
    on: date
    definition: str
    own: dict[int, Progress] = field(default_factory=dict)
    rollup: dict[int, Progress] = field(default_factory=dict)

    def for_unit(self, unit_id: int) -> Progress | None:
        return self.own.get(unit_id) or self.rollup.get(unit_id)


def target_definition(target: Target) -> str:
    """What "actual" means for this target, in words, e.g. "admission decisions dated
    01/01/2024–19/05/2024"."""
    if target.round_id:
        period = _("%(round)s (%(start)s–%(end)s)") % {
            "round": target.round.name,
            "start": date_format(target.starts_on, "SHORT_DATE_FORMAT"),
            "end": date_format(target.ends_on, "SHORT_DATE_FORMAT"),
        }
    else:
        start = date_format(target.starts_on, "SHORT_DATE_FORMAT")
        period = f"{start}–{date_format(target.ends_on, 'SHORT_DATE_FORMAT')}"
    text = str(MEASURE_DEFINITIONS[target.measure]) % {"period": period}
    parts = [text[:1].upper() + text[1:]]
    if target.group:
        parts.append(_("only: %(group)s") % {"group": PersonGroup(target.group).label.lower()})
    where = _criteria_words(target.count_kind, target.count_flags())
    if where:
        parts.append(_("counted only in: %(units)s") % {"units": where})
    if target.is_share:
        parts.append(_("as a percentage of all counted in the same unit and period"))
    return "; ".join(parts) + "."


_FLAG_WORDS = {
    "has_party_organisation": (_("with a party organisation"), _("without a party organisation")),
    "has_trade_union": (_("with a trade union"), _("without a trade union")),
    "non_state_capital": (_("non-state"), _("state-owned")),
}


def _criteria_words(kind, flags: dict[str, bool]) -> str:
    words = [kind.name.lower()] if kind else []
    for name, value in flags.items():
        yes, no = _FLAG_WORDS[name]
        words.append(str(yes if value else no))
    return ", ".join(words)


def target_each_description(target: Target) -> str:
    """ "every high school: at least 1" — the "every unit of a kind" rule in words."""
    if not target.has_each:
        return ""
    who = _criteria_words(target.each_kind, target.each_flags()) or _("unit")
    return _("every %(units)s") % {"units": who}


def _matches(unit: Unit, kind_id: int | None, flags: dict[str, bool]) -> bool:
    if kind_id is not None and unit.kind_id != kind_id:
        return False
    return all(getattr(unit, name) == value for name, value in flags.items())


def target_each_applies(target: Target, unit: Unit) -> bool:
    """Whether ``unit`` gets the target's "every unit of a kind" number."""
    return (
        target.has_each
        and _matches(unit, target.each_kind_id, target.each_flags())
        and _active_during(unit, target)
    )


def _subtree_sums(units: Iterable[Unit], counts: dict[int, int]) -> dict[str, int]:
    """{path: the count of every unit of ``units`` under it}, where a unit also counts under
    the unit that runs its admissions. One pass over the units that have records, so a
    holder's actual is one lookup however large the tree."""
    sums: dict[str, int] = {}
    step = Unit.steplen
    for unit in units:
        n = counts.get(unit.pk)
        if not n:
            continue
        prefixes = {unit.path[:i] for i in range(step, len(unit.path) + 1, step)}
        if unit.admission_unit_id:
            path = unit.admission_unit.path
            prefixes |= {path[:i] for i in range(step, len(path) + 1, step)}
        for prefix in prefixes:
            sums[prefix] = sums.get(prefix, 0) + n
    return sums


def area_units(*, plan: Plan) -> list[Unit]:
    """Every unit a plan reaches, in tree order (not scoped to a user: counting needs them
    all; what is *shown* is scoped by the callers)."""
    return list(unit_subtree(unit=plan.area).select_related("kind", "admission_unit"))


def target_progress(
    *, target: Target, on: date, units: list[Unit] | None = None, visible: Iterable[int] = ()
) -> TargetProgress:
    """Progress of ``target`` on the day ``on``.

    * Numbers: the target's values, and its "every unit of a kind" number for each unit of
      the plan's area that matches it and is active during the period (a unit's own value
      wins).
    * Actual for a unit: the records of the target's measure dated from the start of the
      period to ``on`` (at most the deadline), of the target's people, at that unit and
      every unit under it that matches "count only in". For shares, the same count without
      the people and unit conditions is the total.
    * Roll-up for each unit in ``visible`` (ids) that has units with numbers under it: the
      sum of the topmost of them (a committee's own number is not added to its cells').
    """
    units = units if units is not None else area_units(plan=target.plan)
    by_id = {u.pk: u for u in units}
    result = TargetProgress(target=target, on=on, definition=target_definition(target))

    holders: dict[int, tuple[int | None, int | None, bool]] = {}
    for u in units:
        if target_each_applies(target, u):
            holders[u.pk] = (target.each_min, target.each_max, True)
    for value in target.values.all():
        if value.unit_id in by_id:
            holders[value.unit_id] = (value.minimum, value.maximum, False)
    if not holders:
        return result

    end = min(on, target.ends_on)
    counts: dict[int, int] = {}
    totals: dict[int, int] = {}
    if end >= target.starts_on:
        query = CountQuery(
            measure=target.measure,
            start=target.starts_on,
            end=end,
            group=target.group,
            round_id=target.round_id,
        )
        counts = count_by_unit(query)
        if target.is_share:
            totals = count_by_unit(
                CountQuery(
                    measure=target.measure,
                    start=target.starts_on,
                    end=end,
                    round_id=target.round_id,
                )
            )
    count_flags = target.count_flags()
    counted = [u for u in units if _matches(u, target.count_kind_id, count_flags)]
    actuals = _subtree_sums(counted, counts)
    all_counted = _subtree_sums(units, totals) if target.is_share else {}

    for unit_id, (minimum, maximum, inherited) in holders.items():
        holder = by_id[unit_id]
        actual = actuals.get(holder.path, 0)
        total = all_counted.get(holder.path, 0) if target.is_share else None
        result.own[unit_id] = _progress(
            target, holder, on, actual, minimum, maximum, total=total, inherited=inherited
        )

    if not target.is_share:
        _add_rollups(result, by_id, visible)
    return result


def _progress(target, unit, on, actual, minimum, maximum, total=None, **extra) -> Progress:
    verdict = progress_status(
        actual=actual,
        minimum=minimum,
        maximum=maximum,
        start=target.starts_on,
        end=target.ends_on,
        on=on,
        total=total,
    )
    return Progress(
        target=target,
        unit=unit,
        on=on,
        actual=actual,
        minimum=minimum,
        maximum=maximum,
        status=verdict.status,
        expected=verdict.expected,
        over_maximum=verdict.over_maximum,
        total=total,
        **extra,
    )


def _active_during(unit: Unit, target: Target) -> bool:
    return (unit.active_from is None or unit.active_from <= target.ends_on) and (
        unit.active_to is None or unit.active_to >= target.starts_on
    )


def _add_rollups(result: TargetProgress, by_id: dict[int, Unit], visible: Iterable[int]) -> None:
    target, on = result.target, result.on
    held = sorted(result.own.values(), key=lambda p: p.unit.path)
    paths = [p.unit.path for p in held]
    for unit_id in visible:
        unit = by_id.get(unit_id)
        if unit is None:
            continue
        # The holders under ``unit`` are one run of the path-sorted list.
        lo = bisect_left(paths, unit.path)
        hi = bisect_left(paths, unit.path + "\uffff")
        topmost: list[Progress] = []
        for p in held[lo:hi]:  # an ancestor comes before its descendants
            if p.unit.pk == unit.pk:
                continue
            if not topmost or not p.unit.path.startswith(topmost[-1].unit.path):
                topmost.append(p)
        if not topmost:
            continue
        minimum = sum(p.minimum or 0 for p in topmost)
        maxima = [p.maximum for p in topmost]
        maximum = sum(maxima) if all(m is not None for m in maxima) else None
        if not any(p.minimum is not None for p in topmost):
            minimum = None
        actual = sum(p.actual for p in topmost)
        result.rollup[unit_id] = _progress(
            target,
            unit,
            on,
            actual,
            minimum,
            maximum,
            rollup_of=len(topmost),
            rollup_met=sum(1 for p in topmost if p.status == Status.MET),
        )


# --- the dashboard -------------------------------------------------------------------


@dataclass
class DashboardRow:
    unit: Unit
    depth: int
    cells: list[Progress | None]
    rollups: list[Progress | None]
    next_milestone: Progress | None = None

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


def plan_dashboard(*, plan: Plan, user, on: date, kind_id: int | None = None) -> Dashboard:
    """Progress of every target of ``plan`` on ``on``, for the units ``user`` may see."""
    units = area_units(plan=plan)
    visible_ids = set(
        unit_list(user=user).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    targets = target_list(plan=plan)
    progress = [target_progress(target=t, on=on, units=units, visible=visible_ids) for t in targets]

    rows = []
    for unit in units:
        if unit.pk not in visible_ids:
            continue
        cells = [tp.own.get(unit.pk) for tp in progress]
        rollups = [tp.rollup.get(unit.pk) for tp in progress]
        if not any(cells) and not any(rollups):
            continue
        upcoming = [c for c in (*cells, *rollups) if c is not None and c.days_left >= 0]
        nxt = min(upcoming, key=lambda c: (c.deadline, c.is_rollup), default=None)
        rows.append(DashboardRow(unit, unit.depth, cells, rollups, nxt))
    kinds = sorted({r.unit.kind for r in rows}, key=lambda k: (k.sort_order, k.name))
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
    return Dashboard(plan, on, progress, rows, attention, milestones, counts, overall, kinds)


def _top_figure(tp: TargetProgress, rows: list[DashboardRow]) -> Progress | None:
    """The first row's figure (the highest unit the user sees): the plan-wide number for
    the Board, the unit's own for a secretary."""
    for row in rows:
        found = tp.for_unit(row.unit.pk)
        if found is not None:
            return found
    return None
