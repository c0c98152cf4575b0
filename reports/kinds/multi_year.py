"""The multi-year summary and ranking (seed 003: five years 2016–2020): years as columns per
unit and per group, totals, growth, and units ranked by % of plan so that a Board can choose
the collectives to commend.

A year's admissions come from the app's records and the historical totals alike
(``quotas.measures``); a year's quota from the plan of that year issued by the same unit
(its main target, through ``target_progress``) or, before the app, from the quota typed in
with the historical totals.
"""

from datetime import date

from django.utils.translation import gettext as _

from core.text import nfc
from documents.content import PERCENT, TEXT, Chart, Column, PartyDocument, Row, Table
from quotas.choices import Measure, PersonGroup
from quotas.progress import target_progress

from ..figures import (
    REPORT_GROUPS,
    historical_quotas,
    main_target,
    percent,
    plans_of_years,
    tree_counts,
    year_bounds,
)
from ..scope import Scope
from .base import heading, recipients, signature, unit_columns, unit_rows
from .year_end import number_text, who

DEFAULT_YEARS = 5


def report_years(scope: Scope) -> list[int]:
    """The years of the report's period (the form and the command give five years ending
    with the plan's by default)."""
    return list(range(scope.start.year, scope.end.year + 1))


def yearly_admissions(scope: Scope, years: list[int], group: str = "") -> dict[int, dict]:
    """{year: {unit id: admitted}}."""
    out = {}
    for year in years:
        start, end = year_bounds(year)
        out[year] = tree_counts(
            scope, measure=Measure.ADMISSIONS, start=start, end=end, group=group
        )
    return out


def yearly_quotas(scope: Scope, years: list[int]) -> dict[int, dict[int, int]]:
    """{year: {unit id: minimum of the year's admissions quota}} — own numbers only."""
    out: dict[int, dict[int, int]] = {year: {} for year in years}
    for year, plan in plans_of_years(scope.plan, years).items():
        target = main_target(plan)
        if target is None:
            continue
        tp = target_progress(target=target, on=date(year, 12, 31), units=scope.units)
        for unit_id, p in tp.own.items():
            if p.minimum is not None:
                out[year][unit_id] = p.minimum
    for (unit_id, year), quota in historical_quotas(scope, years).items():
        out[year].setdefault(unit_id, quota)
    return out


def growth(first: int, last: int) -> float | None:
    """The change from the first year to the last, in % of the first."""
    if not first:
        return None
    return round(100 * (last - first) / first, 1)


def multi_year(scope: Scope, *, user) -> PartyDocument:
    years = report_years(scope)
    span = f"{years[0]}–{years[-1]}"
    admitted = yearly_admissions(scope, years)
    quotas = yearly_quotas(scope, years)

    columns = unit_columns() + [
        *[Column(str(y), width=7, group=_("New members admitted")) for y in years],
        Column(_("Total"), width=8),
        Column(
            _("Change %(first)s–%(last)s") % {"first": years[0], "last": years[-1]},
            kind=PERCENT,
            width=10,
        ),
    ]

    def per_unit(unit):
        counts = [admitted[y].get(unit.pk, 0) for y in years]
        if not any(counts) and not any(unit.pk in quotas[y] for y in years):
            return None
        total = sum(counts)
        return [*counts, total, growth(counts[0], counts[-1])]

    by_unit = Table(
        _("Table %(n)s. New members by unit, %(span)s") % {"n": 1, "span": span},
        columns,
        unit_rows(scope, per_unit),
        note=_(
            "A year counts admission decisions dated in it, and for years before the app the "
            "totals imported from earlier reports."
        ),
    )

    group_rows = []
    for index, group in enumerate(("", *REPORT_GROUPS), start=1):
        counts_by_year = yearly_admissions(scope, years, group) if group else admitted
        counts = [counts_by_year[y].get(scope.root.pk, 0) for y in years]
        label = str(PersonGroup(group).label) if group else _("All new members")
        group_rows.append(Row([index, label, *counts, sum(counts), growth(counts[0], counts[-1])]))
    by_group = Table(
        _("Table %(n)s. New members by group, %(span)s") % {"n": 2, "span": span},
        [
            Column(_("No."), width=5),
            Column(_("Group"), kind=TEXT, width=34),
            *[Column(str(y), width=7, group=_("New members admitted")) for y in years],
            Column(_("Total"), width=8),
            Column(
                _("Change %(first)s–%(last)s") % {"first": years[0], "last": years[-1]},
                kind=PERCENT,
                width=10,
            ),
        ],
        group_rows,
    )

    ranking = ranking_table(scope, years, admitted, quotas, span)
    root_counts = [admitted[y].get(scope.root.pk, 0) for y in years]
    paragraphs = [
        _(
            "In %(span)s %(who)s admitted %(total)s new members, %(average)s a year on "
            "average; %(last_year)s: %(last)s, %(first_year)s: %(first)s."
        )
        % {
            "span": span,
            "who": who(scope),
            "total": sum(root_counts),
            "average": number_text(sum(root_counts) / len(years)),
            "last_year": years[-1],
            "last": root_counts[-1],
            "first_year": years[0],
            "first": root_counts[0],
        }
    ]
    if ranking.rows:
        best = ", ".join(str(r.cells[1]) for r in ranking.rows[:3])
        paragraphs.append(_("Highest share of their quotas: %(units)s.") % {"units": best})
    return PartyDocument(
        doc_type=_("REPORT"),
        subject=_("Summary of developing new party members, %(span)s") % {"span": span},
        heading=heading(scope),
        paragraphs=paragraphs,
        tables=[t for t in (by_unit, by_group, ranking) if t.rows],
        chart=Chart(
            _("New members admitted each year"),
            labels=[str(y) for y in years],
            series=[(_("Admitted"), root_counts)],
        ),
        recipients=recipients(scope),
        signature=signature(scope),
        landscape=True,
        file_stem=_("Multi-year report %(span)s") % {"span": f"{years[0]}-{years[-1]}"},
        as_of=date(years[-1], 12, 31),
    )


def ranking_table(scope: Scope, years, admitted, quotas, span: str) -> Table:
    """Units that held a quota, ranked by admissions as a % of their quotas over the years
    that had one; ties by the number admitted."""
    entries = []
    for unit in scope.visible:
        held = [y for y in years if unit.pk in quotas[y]]
        if not held or unit.pk == scope.root.pk:
            continue
        quota = sum(quotas[y][unit.pk] for y in held)
        done = sum(admitted[y].get(unit.pk, 0) for y in held)
        met = sum(1 for y in held if admitted[y].get(unit.pk, 0) >= quotas[y][unit.pk])
        entries.append((unit, len(held), met, quota, done, percent(done, quota)))
    entries.sort(key=lambda e: (-(e[5] or 0), -e[4], e[0].path))
    rows = [
        Row([rank, nfc(unit.name), n, met, quota, done, share])
        for rank, (unit, n, met, quota, done, share) in enumerate(entries, start=1)
    ]
    return Table(
        _("Table %(n)s. Units ranked by the share of their quotas met, %(span)s")
        % {"n": 3, "span": span},
        [
            Column(_("Rank"), width=6),
            Column(_("Unit"), kind=TEXT, width=34),
            Column(_("Years with a quota"), width=9),
            Column(_("Years met"), width=8),
            Column(_("Quota"), width=8),
            Column(_("Admitted"), width=8),
            Column(_("Share of the quota met (%)"), kind=PERCENT, width=9),
        ],
        rows,
    )
