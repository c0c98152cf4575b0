"""*The* progress selector, and its wording.

``target_progress`` is the one function that turns a target and a day into actual, target,
remaining and status, for every unit that holds a number and rolled up the tree. The
dashboard, the plan page and every report read progress through it. ``target_definition``
and ``target_each_description`` say in words what is counted and who gets the "every unit
of a kind" number; ``target_pace_rule`` says when a unit counts as behind.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from units.models import Unit

from .choices import MEASURE_DEFINITIONS, Measure, PersonGroup, Status
from .measures import STEP_MEASURES, CountQuery, DueQuery, count_by_unit, due_by_unit
from .models import Target
from .rules import progress_status
from .selectors import area_units


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
    due: date | None = None  # a step target: nothing is expected of the unit before this day

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
    def next_day(self) -> date:
        """The unit's next day: its class's day while it is ahead, else the deadline."""
        if self.due is not None and self.on <= self.due:
            return self.due
        return self.target.ends_on

    @property
    def next_days_left(self) -> int:
        return (self.next_day - self.on).days

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
    pace: str = ""
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


def is_step(target: Target) -> bool:
    """Whether the target is counted in one go, at a class's day (``STEP_MEASURES``)."""
    return target.measure in STEP_MEASURES and not target.is_share


def target_pace_rule(target: Target) -> str:
    """When a unit counts as behind on this target, in words (shown beside the definition;
    the rule of each shape is ``quotas.rules.progress_status``)."""
    deadline = date_format(target.ends_on, "SHORT_DATE_FORMAT")
    if target.is_share:
        return _(
            "Progress: met while the share reaches the minimum; below it, behind until "
            "%(deadline)s and missed after."
        ) % {"deadline": deadline}
    if is_step(target):
        if target.measure == Measure.NOMINATIONS:
            day = _("the nomination deadline of the class its people may attend")
        else:
            day = _("the last session of the class its people may attend")
        return _(
            "Progress: nothing is expected of a unit before %(day)s (the target's deadline "
            "while there is no such class); after that day a unit short of its number is "
            "behind, and after %(deadline)s missed."
        ) % {"day": day, "deadline": deadline}
    return _(
        "Progress: compared with an even pace from %(start)s to %(deadline)s (halfway "
        "through the period, half the number); a unit below it is behind, and one short "
        "of its number after %(deadline)s missed. A number with only a maximum is met "
        "while it is not exceeded."
    ) % {"start": date_format(target.starts_on, "SHORT_DATE_FORMAT"), "deadline": deadline}


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


def subtree_sums(units: Iterable[Unit], counts: dict[int, int]) -> dict[str, int]:
    """{path: the count of every unit of ``units`` under it}, where a unit also counts under
    the unit that runs its admissions. One pass over the units that have records, so a
    holder's actual is one lookup however large the tree."""
    sums: dict[str, int] = {}
    step = Unit.steplen
    if not counts:
        return sums
    for unit in units:
        n = counts.get(unit.id)  # .id, not .pk: a plain attribute, read 5,000 times a target
        if not n:
            continue
        prefixes = {unit.path[:i] for i in range(step, len(unit.path) + 1, step)}
        if unit.admission_unit_id:
            path = unit.admission_unit.path
            prefixes |= {path[:i] for i in range(step, len(path) + 1, step)}
        for prefix in prefixes:
            sums[prefix] = sums.get(prefix, 0) + n
    return sums


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
    by_id = {u.id: u for u in units}
    result = TargetProgress(
        target=target, on=on, definition=target_definition(target), pace=target_pace_rule(target)
    )

    holders: dict[int, tuple[int | None, int | None, bool]] = {}
    for u in units:
        if target_each_applies(target, u):
            holders[u.id] = (target.each_min, target.each_max, True)
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
    dues: dict[int, date] = {}
    if is_step(target):
        query = DueQuery(
            measure=target.measure,
            plan_id=target.plan_id,
            round_id=target.round_id,
            start=target.starts_on,
            end=target.ends_on,
        )
        dues = due_by_unit(query, [by_id[pk] for pk in holders])
    count_flags = target.count_flags()
    counted = [u for u in units if _matches(u, target.count_kind_id, count_flags)]
    actuals = subtree_sums(counted, counts)
    all_counted = subtree_sums(units, totals) if target.is_share else {}

    for unit_id, (minimum, maximum, inherited) in holders.items():
        holder = by_id[unit_id]
        actual = actuals.get(holder.path, 0)
        total = all_counted.get(holder.path, 0) if target.is_share else None
        due = min(dues.get(unit_id, target.ends_on), target.ends_on) if is_step(target) else None
        result.own[unit_id] = _progress(
            target, holder, on, actual, minimum, maximum, total=total, inherited=inherited, due=due
        )

    if not target.is_share:
        _add_rollups(result, by_id, visible)
    return result


def _progress(
    target, unit, on, actual, minimum, maximum, total=None, due=None, expected=None, **extra
) -> Progress:
    verdict = progress_status(
        actual=actual,
        minimum=minimum,
        maximum=maximum,
        start=target.starts_on,
        end=target.ends_on,
        on=on,
        total=total,
        due=due,
        expected=expected,
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
        due=due,
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
            if p.unit.id == unit.id:
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
        # A step target's units have their own days: what is expected of them all is the sum
        # of what is expected of each.
        expected = sum(p.expected or 0 for p in topmost) if is_step(target) else None
        result.rollup[unit_id] = _progress(
            target,
            unit,
            on,
            actual,
            minimum,
            maximum,
            expected=expected,
            rollup_of=len(topmost),
            rollup_met=sum(1 for p in topmost if p.status == Status.MET),
        )
