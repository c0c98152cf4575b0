"""Reports for a part of the year: the interim report (a month, a quarter, six months or any
range: seed 004), the milestone report ("by 19/5") and progress as of a day (the dashboard
as a file)."""

from collections import Counter
from datetime import date, timedelta

from django.utils.translation import gettext as _

from core.dates import dmy
from core.text import nfc
from documents.content import LABEL, PERCENT, Column, PartyDocument, Table
from quotas.choices import Measure, Status
from quotas.dashboard import plan_dashboard
from quotas.progress import Progress, TargetProgress

from ..figures import (
    admissions_by_group,
    main_target,
    milestone_targets,
    percent,
    progress_of,
    quota_targets,
    tree_counts,
)
from ..scope import Scope
from .base import (
    as_of_line,
    heading,
    plan_reference,
    quota_cell,
    recipients,
    signature,
    unit_columns,
    unit_rows,
)
from .tables import group_labels, targets_table, training_table
from .year_end import admissions_sentence, number_text, units_sentence, who

QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(start: date, end: date) -> str:
    """ "tháng 3 năm 2024", "quý II năm 2024", "6 tháng đầu năm 2024", or the two days."""
    first_of_next = end + timedelta(days=1)
    whole_months = start.day == 1 and first_of_next.day == 1
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if whole_months and start.year == end.year:
        if months == 1:
            return _("month %(month)s of %(year)s") % {"month": start.month, "year": start.year}
        if months == 3 and start.month % 3 == 1:
            return _("quarter %(q)s of %(year)s") % {
                "q": QUARTERS[start.month // 3 + 1],
                "year": start.year,
            }
        if months == 6 and start.month == 1:
            return _("the first six months of %(year)s") % {"year": start.year}
        if months == 12:
            return _("the year %(year)s") % {"year": start.year}
    return _("from %(start)s to %(end)s") % {"start": dmy(start), "end": dmy(end)}


def interim(scope: Scope, *, user) -> PartyDocument:
    """The quotas as of the end of the period, and what changed in it."""
    start, end = scope.start, scope.end
    year_start = date(scope.plan.year, 1, 1)
    label = period_label(start, end)
    targets = quota_targets(scope.plan)
    progress = progress_of(scope, targets, end)
    main = main_target(scope.plan)
    main_tp = next((tp for tp in progress if main and tp.target.pk == main.pk), None)
    in_period = admissions_by_group(scope, start, end)
    since_january = tree_counts(scope, measure=Measure.ADMISSIONS, start=year_start, end=end)
    certified = tree_counts(scope, measure=Measure.CERTIFICATIONS, start=start, end=end)
    nominated = tree_counts(scope, measure=Measure.NOMINATIONS, start=start, end=end)
    # A unit's own number wins over the sum of the units below it, as on the dashboard.
    main_figures = {**main_tp.rollup, **main_tp.own} if main_tp else {}
    root_figure = main_figures.get(scope.root.pk)

    changed = unit_columns() + [
        Column(_("Total"), width=8, group=_("Admitted in the period")),
        *[Column(g, width=9, group=_("Admitted in the period")) for g in group_labels()],
        Column(_("Admitted since 1 January"), width=10),
        Column(_("Year's quota"), kind=LABEL, width=8),
        Column(_("Share of the year's quota (%)"), kind=PERCENT, width=9),
        Column(_("Certificates"), width=9),
        Column(_("Nominees accepted"), width=9),
    ]

    def values(unit):
        row = in_period.of(unit.pk)
        figure = main_figures.get(unit.pk)
        total = since_january.get(unit.pk, 0)
        extra = [certified.get(unit.pk, 0), nominated.get(unit.pk, 0)]
        if not any(row) and not total and figure is None and not any(extra):
            return None
        return [
            *row,
            total,
            quota_cell(figure),
            percent(figure.actual, figure.minimum) if figure else None,
            *extra,
        ]

    tables = [
        Table(
            _("Table %(n)s. Changes in %(period)s") % {"n": 1, "period": label},
            changed,
            unit_rows(scope, values),
            note=_("Admitted: admission decisions dated %(start)s–%(end)s.")
            % {"start": dmy(start), "end": dmy(end)},
        ),
        targets_table(
            scope,
            progress,
            title=_("Table %(n)s. Quotas as of %(date)s") % {"n": 2, "date": dmy(end)},
        ),
        training_table(
            scope,
            user=user,
            on=end,
            title=_("Table %(n)s. Party-awareness classes as of %(date)s")
            % {"n": 3, "date": dmy(end)},
        ),
    ]
    root = in_period.of(scope.root.pk)
    paragraphs = [
        admissions_sentence(
            scope, period=label[:1].upper() + label[1:], total=root[0], main=None, groups=root
        ),
        _(
            "Since 1 January %(who)s has admitted %(total)s new members, "
            "%(percent)s%% of the year's quota."
        )
        % {
            "who": who(scope),
            "total": since_january.get(scope.root.pk, 0),
            "percent": number_text(
                percent(root_figure.actual, root_figure.minimum) if root_figure else None
            )
            or "–",
        },
        _(
            "In the period %(certified)s certificates were granted and %(nominated)s nominees "
            "accepted for the awareness classes."
        )
        % {
            "certified": certified.get(scope.root.pk, 0),
            "nominated": nominated.get(scope.root.pk, 0),
        },
        units_sentence(scope, main_tp),
    ]
    return PartyDocument(
        doc_type=_("REPORT"),
        subject=_("Interim results of developing new party members, %(period)s")
        % {"period": label},
        heading=heading(scope),
        subtitle=_("(Implementing %(plan)s; %(as_of)s)")
        % {"plan": plan_reference(scope), "as_of": as_of_line(end).lower()},
        paragraphs=[p for p in paragraphs if p],
        tables=[t for t in tables if t is not None and t.rows],
        recipients=recipients(scope),
        signature=signature(scope),
        landscape=True,
        file_stem=_("Interim report %(start)s-%(end)s")
        % {"start": f"{start:%d%m%Y}", "end": f"{end:%d%m%Y}"},
        as_of=end,
    )


def verdict(p: Progress) -> str:
    """ "Đạt", "Vượt mức tối đa 2", "Còn thiếu 3" — a milestone's result for one unit."""
    if p.over_maximum:
        return _("Over the maximum by %(n)s") % {"n": p.actual - (p.maximum or 0)}
    if p.status == Status.MET:
        return _("Met")
    return _("Short by %(n)s") % {"n": p.remaining}


def milestone_table(scope: Scope, tp: TargetProgress, number: int) -> Table:
    columns = unit_columns() + [
        Column(_("Quota"), kind=LABEL, width=10),
        Column(_("Minimum"), width=9),
        Column(_("Maximum"), width=9),
        Column(_("Done"), width=9),
        Column(_("Share of the minimum (%)"), kind=PERCENT, width=10),
        Column(_("Result"), kind=LABEL, width=14),
    ]

    def values(unit):
        p = tp.for_unit(unit.pk)
        if p is None:
            return None
        return [
            quota_cell(p),
            p.minimum,
            p.maximum,
            p.actual,
            percent(p.actual, p.minimum),
            verdict(p),
        ]

    return Table(
        _("Table %(n)s. %(target)s") % {"n": number, "target": nfc(tp.target.name)},
        columns,
        unit_rows(scope, values),
        note=tp.definition,
    )


def milestone(scope: Scope, *, user) -> PartyDocument:
    """Each unit against a milestone's min–max: met, or short by N. With a period end, the
    milestones due that day; otherwise every milestone of the plan."""
    targets = milestone_targets(scope.plan)
    if scope.end != date(scope.plan.year, 12, 31):
        targets = [t for t in targets if t.ends_on == scope.end] or targets
    if not targets:
        raise ValueError(_("This plan has no quota due before the end of the year."))
    progress = progress_of(scope, targets, max(t.ends_on for t in targets))
    paragraphs = []
    for tp in progress:
        figure = tp.for_unit(scope.root.pk)
        if figure is None:
            continue
        own = [p for uid, p in tp.own.items() if uid in scope.visible_ids]
        met = [p for p in own if p.status == Status.MET]
        short = [p for p in own if p.status != Status.MET]
        text = _(
            "By %(date)s %(who)s admitted %(actual)s (“%(target)s”: %(quota)s); "
            "%(met)s of %(n)s units met their quota"
        ) % {
            "date": dmy(tp.target.ends_on),
            "who": who(scope),
            "actual": figure.actual,
            "target": nfc(tp.target.name),
            "quota": figure.bounds_display,
            "met": len(met),
            "n": len(own),
        }
        if short:
            text += _("; not met: %(units)s") % {
                "units": ", ".join(f"{nfc(p.unit.name)} ({verdict(p).lower()})" for p in short)
            }
        paragraphs.append(text + ".")
    first = progress[0].target
    subject = _("Results of %(target)s") % {
        "target": nfc(first.name)[:1].lower() + nfc(first.name)[1:]
    }
    if len(progress) > 1:
        subject = _("Results of the milestones of %(plan)s") % {"plan": nfc(scope.plan.number)}
    return PartyDocument(
        doc_type=_("REPORT"),
        subject=subject,
        heading=heading(scope),
        subtitle=_("(Implementing %(plan)s)") % {"plan": plan_reference(scope)},
        paragraphs=paragraphs,
        tables=[milestone_table(scope, tp, n) for n, tp in enumerate(progress, start=1)],
        recipients=recipients(scope),
        signature=signature(scope),
        landscape=False,
        file_stem=_("Milestone report %(date)s") % {"date": f"{first.ends_on:%d%m%Y}"},
        as_of=first.ends_on,
    )


def progress_report(scope: Scope, *, user) -> PartyDocument:
    """What the dashboard shows on a day, as a file: every target per unit."""
    on = scope.end
    dashboard = plan_dashboard(plan=scope.plan, user=user, on=on)
    # The dashboard covers every unit the user sees; the report, the scope's units only,
    # and the targets one of them has a figure for.
    rows_by_unit = {r.unit.pk: r for r in dashboard.rows if r.unit.pk in scope.visible_ids}
    keep = [
        i
        for i in range(len(dashboard.targets))
        if any(r.cells[i] or r.rollups[i] for r in rows_by_unit.values())
    ]
    targets = [dashboard.targets[i] for i in keep]
    columns = unit_columns()
    for tp in targets:
        group = nfc(tp.target.name)
        columns += [
            Column(_("Quota"), kind=LABEL, width=8, group=group),
            Column(_("Done"), width=7, group=group),
            Column(_("Status"), kind=LABEL, width=10, group=group),
        ]

    def values(unit):
        row = rows_by_unit.get(unit.pk)
        if row is None:
            return None
        cells = []
        for i in keep:
            p = row.cells[i] or row.rollups[i]
            if p is None:
                cells += [None, None, None]
            else:
                cells += [quota_cell(p), p.actual, str(p.status.label)]
        return cells

    table = Table(
        _("Progress of every quota on %(date)s") % {"date": dmy(on)},
        columns,
        unit_rows(scope, values),
        note=" ".join(f"{nfc(tp.target.name)}: {tp.definition}" for tp in targets),
    )
    tally = Counter(c.status for r in rows_by_unit.values() for c in r.cells if c is not None)
    counts = ", ".join(
        f"{tally[status]} {str(status.label).lower()}" for status in Status if tally[status]
    )
    return PartyDocument(
        doc_type=_("REPORT"),
        subject=_("Progress of %(plan)s") % {"plan": plan_reference(scope)},
        heading=heading(scope),
        subtitle=f"({as_of_line(on)})",
        paragraphs=[_("Units' own quotas: %(counts)s.") % {"counts": counts}] if counts else [],
        tables=[table] if table.rows else [],
        recipients=recipients(scope),
        signature=signature(scope),
        landscape=True,
        file_stem=_("Progress %(date)s") % {"date": f"{on:%d%m%Y}"},
        as_of=on,
    )
