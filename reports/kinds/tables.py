"""The tables several report kinds share: quotas against actuals, the class rounds, new
members by group. Each takes its numbers from ``reports.figures``."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.dates import dmy
from core.text import nfc
from documents.content import LABEL, PERCENT, TEXT, Column, Row, Table
from quotas.choices import Measure, PersonGroup
from quotas.progress import TargetProgress

from ..annex import quota_value
from ..figures import (
    REPORT_GROUPS,
    GroupCounts,
    figure_for,
    percent,
    plan_rounds,
    round_rows,
    tree_counts,
    year_bounds,
)
from ..scope import Scope
from .base import quota_cell, unit_columns, unit_rows

ROUND_FIGURES = ("nominated", "accepted", "attended", "passed")


def target_group_label(tp: TargetProgress) -> str:
    target = tp.target
    return _("%(name)s (to %(date)s)") % {"name": nfc(target.name), "date": dmy(target.ends_on)}


def targets_table(
    scope: Scope,
    progress: list[TargetProgress],
    *,
    title: str,
    previous: dict[int, int] | None = None,
    previous_label: str = "",
) -> Table | None:
    """Each target's quota, actual and % per unit and rolled up; ``previous`` adds the
    admissions of the year before. A target none of the report's units has a figure for (a
    committee's quota in a school's report) is left out."""
    progress = [tp for tp in progress if any(tp.for_unit(u.pk) for u in scope.visible)]
    if not progress:
        return None
    columns = unit_columns()
    for tp in progress:
        group = target_group_label(tp)
        columns += [
            Column(_("Quota"), kind=LABEL, width=8, group=group),
            Column(_("Done"), width=8, group=group),
            Column(_("Share of the quota met (%)"), kind=PERCENT, width=8, group=group),
        ]
    if previous is not None:
        columns.append(Column(previous_label, width=10))

    def values(unit):
        cells = []
        found = False
        for tp in progress:
            p = figure_for(tp, unit.pk)
            found = found or p is not None
            if p is None:
                cells += [None, None, None]
            else:
                cells += [quota_cell(p), p.actual, percent(p.actual, p.minimum)]
        if not found:
            return None
        if previous is not None:
            cells.append(previous.get(unit.pk, 0))
        return cells

    definitions = " ".join(f"{target_group_label(tp)}: {tp.definition}" for tp in progress)
    return Table(title, columns, unit_rows(scope, values), note=definitions)


def training_table(scope: Scope, *, user, on: date, title: str) -> Table | None:
    """Per class round: quota, nominated, accepted, attended, passed; and certificates."""
    rounds = plan_rounds(scope.plan)
    if not rounds:
        return None
    per_round = [round_rows(scope, r, user=user, on=on) for r in rounds]
    certified = tree_counts(
        scope, measure=Measure.CERTIFICATIONS, start=scope.start, end=min(on, scope.end)
    )
    labels = {
        "nominated": _("Nominated"),
        "accepted": _("Accepted"),
        "attended": _("Attended"),
        "passed": _("Passed"),
    }
    columns = unit_columns()
    for r in rounds:
        columns.append(Column(_("Quota"), kind=LABEL, width=8, group=nfc(r.name)))
        columns += [Column(labels[f], width=8, group=nfc(r.name)) for f in ROUND_FIGURES]
    columns.append(Column(_("Certificates in the period"), width=11))

    def values(unit):
        cells = []
        found = False
        for rows in per_round:
            row = rows.get(unit.pk)
            if row is None:
                cells += [None] * (1 + len(ROUND_FIGURES))
                continue
            found = True
            quota = quota_value(row.figures.get("quota_min"), row.figures.get("quota_max"))
            cells.append(quota if quota != "" else None)
            cells += [row.figures.get(f) or 0 for f in ROUND_FIGURES]
        n = certified.get(unit.pk, 0)
        if not found and not n:
            return None
        return [*cells, n]

    note = _(
        "Nominated: lists submitted to the Board; accepted: nominees the Board accepted; "
        "attended: present at one session or more; passed: certificate granted. "
        "Certificates: dated %(start)s–%(end)s."
    ) % {"start": dmy(scope.start), "end": dmy(min(on, scope.end))}
    return Table(title, columns, unit_rows(scope, values), note=note)


# Column headings: the groups' names are too long for a narrow column of numbers.
SHORT_GROUP_LABELS = {
    PersonGroup.STUDENTS: gettext_lazy("Students"),
    PersonGroup.WORKERS: pgettext_lazy("short heading", "Workers"),
    PersonGroup.MANAGERS: pgettext_lazy("short heading", "Managers, owners"),
    PersonGroup.WOMEN: gettext_lazy("Women"),
    PersonGroup.ETHNIC_MINORITIES: pgettext_lazy("short heading", "Ethnic minorities"),
    PersonGroup.RELIGION: pgettext_lazy("short heading", "With a religion"),
    PersonGroup.YOUTH_UNION: pgettext_lazy("short heading", "Youth Union members"),
    PersonGroup.NON_STATE_WORKERS: pgettext_lazy("short heading", "Non-state enterprise workers"),
}


def group_labels() -> list[str]:
    """The report groups' column headings, in ``REPORT_GROUPS`` order."""
    return [str(SHORT_GROUP_LABELS.get(g, PersonGroup(g).label)) for g in REPORT_GROUPS]


def groups_table(
    scope: Scope,
    counts: GroupCounts,
    *,
    title: str,
    group: str,
    previous: dict[int, int] | None = None,
    previous_label: str = "",
    holders: set[int] | frozenset[int] = frozenset(),
) -> Table:
    """New members per unit: everyone and each group (a unit admitted nobody and holding no
    quota is left out)."""
    columns = unit_columns() + [Column(_("Total"), width=8, group=group)]
    columns += [Column(label, width=9, group=group) for label in group_labels()]
    if previous is not None:
        columns.append(Column(previous_label, width=10))

    def values(unit):
        row = counts.of(unit.pk)
        before = previous.get(unit.pk, 0) if previous is not None else 0
        if not any(row) and not before and unit.pk not in holders:
            return None
        return row + ([before] if previous is not None else [])

    note = _(
        "A person counts in every group they belong to (a woman student is counted under "
        "students and under women), so the groups do not add up to the total."
    )
    return Table(title, columns, unit_rows(scope, values), note=note)


def shares_table(scope: Scope, progress: list[TargetProgress], *, title: str) -> Table | None:
    """Share targets ("≥ 2% of new members are workers of non-state enterprises")."""
    rows_out = []
    for tp in progress:
        for unit in scope.visible:
            p = tp.own.get(unit.pk)
            if p is None:
                continue
            rows_out.append(
                [
                    nfc(tp.target.name),
                    nfc(unit.name),
                    p.minimum,
                    p.share_percent,
                    p.actual,
                    p.total,
                ]
            )
    if not rows_out:
        return None
    columns = [
        Column(_("Target"), kind=TEXT, width=30),
        Column(_("Unit"), kind=TEXT, width=30),
        Column(_("Required (%)"), kind=PERCENT, width=10),
        Column(_("Reached (%)"), kind=PERCENT, width=10),
        Column(_("Of them"), width=9),
        Column(_("All counted"), width=9),
    ]
    return Table(title, columns, [Row(r) for r in rows_out])


def previous_year_admissions(scope: Scope, year: int) -> dict[int, int]:
    start, end = year_bounds(year)
    return tree_counts(scope, measure=Measure.ADMISSIONS, start=start, end=end)
