"""The numbers of every report, read through the selectors the dashboards use.

* a target's quota and actual per unit and rolled up: ``quotas.progress.target_progress``
  (the dashboard's own function);
* counts by unit for any measure, group and period: ``quotas.measures.count_by_unit`` (the
  counters the training and candidates apps register, and the historical totals), added up
  the tree with ``quotas.progress.subtree_sums`` exactly as targets are;
* a class round's nominated, accepted, attended and passed: ``training.selectors.
  round_progress`` (the round page's table).

Nothing here counts rows itself, so a number in a report is the number on the dashboard.
"""

from dataclasses import dataclass
from datetime import date

from quotas.choices import Measure, PersonGroup
from quotas.measures import CountQuery, count_by_unit, counts_shared
from quotas.models import HistoricalTotal, Plan, Round, Target
from quotas.progress import Progress, TargetProgress, subtree_sums, target_progress
from quotas.selectors import target_list
from training.selectors import RoundRow, round_progress

from .scope import Scope

# The groups of new members a year-end report breaks down (DESIGN.md, "Reports").
REPORT_GROUPS = (
    PersonGroup.STUDENTS,
    PersonGroup.WORKERS,
    PersonGroup.MANAGERS,
    PersonGroup.WOMEN,
    PersonGroup.ETHNIC_MINORITIES,
    PersonGroup.RELIGION,
    PersonGroup.YOUTH_UNION,
    PersonGroup.NON_STATE_WORKERS,
)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --- targets -------------------------------------------------------------------------------


def quota_targets(plan: Plan) -> list[Target]:
    """The plan's targets that give units a number to reach (not a class round's nominee
    quota, not a share), by deadline: "by 19/5", then the year's."""
    targets = [t for t in target_list(plan=plan) if not t.round_id and not t.is_share]
    return sorted(targets, key=lambda t: (t.ends_on, t.position, t.pk))


def share_targets(plan: Plan) -> list[Target]:
    return [t for t in target_list(plan=plan) if t.is_share]


def main_target(plan: Plan) -> Target | None:
    """The plan's yearly admissions quota: its annex when that counts admissions, else the
    admissions target that runs to the end of the year with the most units."""
    targets = [t for t in quota_targets(plan) if t.measure == Measure.ADMISSIONS and not t.group]
    for t in targets:
        if t.in_annex:
            return t
    yearly = [t for t in targets if t.ends_on >= date(plan.year, 12, 31)]
    return max(yearly, key=lambda t: t.values.count(), default=None)


def milestone_targets(plan: Plan) -> list[Target]:
    """Targets due before the end of the plan's year ("from 8 to 10 by 19/5")."""
    return [t for t in quota_targets(plan) if t.ends_on < date(plan.year, 12, 31)]


def progress_of(scope: Scope, targets: list[Target], on: date) -> list[TargetProgress]:
    with counts_shared():  # targets often ask the same count
        return [
            target_progress(target=t, on=on, units=scope.units, visible=scope.visible_ids)
            for t in targets
        ]


def figure_for(tp: TargetProgress, unit_id: int) -> Progress | None:
    """A unit's figure for a target: its own number, else the sum of the units below it."""
    return tp.for_unit(unit_id)


def percent(actual: int | None, goal: int | None) -> float | None:
    """``actual`` as a percentage of ``goal``, one decimal; None without a goal."""
    if not goal or actual is None:
        return None
    return round(100 * actual / goal, 1)


# --- counts ---------------------------------------------------------------------------------


def tree_counts(
    scope: Scope, *, measure: str, start: date, end: date, group: str = ""
) -> dict[int, int]:
    """{unit id: records of ``measure`` dated ``start``–``end``} at each unit of the plan,
    counting every unit under it (and the units whose admissions it runs), as targets do."""
    counts = count_by_unit(CountQuery(measure=measure, start=start, end=end, group=group))
    sums = subtree_sums(scope.units, counts)
    return {u.pk: sums.get(u.path, 0) for u in scope.units}


@dataclass
class GroupCounts:
    """Admissions in a period per unit: everyone and each group."""

    total: dict[int, int]
    groups: dict[str, dict[int, int]]

    def of(self, unit_id: int) -> list[int]:
        return [self.total.get(unit_id, 0)] + [
            self.groups[g].get(unit_id, 0) for g in REPORT_GROUPS
        ]


def admissions_by_group(scope: Scope, start: date, end: date) -> GroupCounts:
    return GroupCounts(
        total=tree_counts(scope, measure=Measure.ADMISSIONS, start=start, end=end),
        groups={
            g: tree_counts(scope, measure=Measure.ADMISSIONS, start=start, end=end, group=g)
            for g in REPORT_GROUPS
        },
    )


# --- class rounds ---------------------------------------------------------------------------


def plan_rounds(plan: Plan) -> list[Round]:
    return list(Round.objects.filter(plan=plan).order_by("starts_on", "pk"))


def round_rows(scope: Scope, round_: Round, *, user, on: date | None) -> dict[int, RoundRow]:
    """{unit id: the round page's row} for the units the report shows. Worked out once per
    scope, round, user and day: the year-end report reads it for its table and again for
    its paragraph (at a province's size, 0.5 s each round)."""
    key = ("round_rows", round_.pk, getattr(user, "pk", None), on)
    if key not in scope.memo:
        ids = scope.visible_ids
        scope.memo[key] = {
            row.unit.pk: row
            for row in round_progress(user=user, round_=round_, on=on)
            if row.unit.pk in ids
        }
    return scope.memo[key]


# --- years before ---------------------------------------------------------------------------


def historical_quotas(scope: Scope, years: list[int]) -> dict[tuple[int, int], int]:
    """{(unit id, year): the admissions quota typed in with a historical total}."""
    rows = HistoricalTotal.objects.filter(
        unit_id__in=[u.pk for u in scope.units],
        measure=Measure.ADMISSIONS,
        group="",
        dated__year__in=years,
        quota__isnull=False,
    ).values_list("unit_id", "dated__year", "quota")
    out: dict[tuple[int, int], int] = {}
    for unit_id, year, quota in rows:
        out[(unit_id, year)] = out.get((unit_id, year), 0) + quota
    return out


def plans_of_years(plan: Plan, years: list[int]) -> dict[int, Plan]:
    """The plan of each year issued by the same unit (``plan`` for its own year)."""
    found = {
        p.year: p
        for p in Plan.objects.filter(issuer=plan.issuer, year__in=years).order_by("issued_on")
    }
    if plan.year in years:
        found[plan.year] = plan
    return found
