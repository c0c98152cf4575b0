"""The year-end summary (báo cáo tổng kết) of a plan: every quota against its actual, the
class rounds, new members by group, share targets, the year before, a chart and a paragraph
with the key figures that staff paste into their written report."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import dmy
from core.text import nfc
from documents.content import Chart, PartyDocument
from quotas.choices import PersonGroup, Status
from quotas.progress import TargetProgress

from ..figures import (
    REPORT_GROUPS,
    admissions_by_group,
    main_target,
    percent,
    plan_rounds,
    progress_of,
    quota_targets,
    round_rows,
    share_targets,
    tree_counts,
)
from ..scope import Scope
from .base import as_of, as_of_line, heading, plan_reference, recipients, signature
from .tables import (
    groups_table,
    previous_year_admissions,
    shares_table,
    targets_table,
    training_table,
)


def number_text(n: float | None) -> str:
    """70.0 → "70", 70.5 → "70,5"."""
    if n is None:
        return ""
    return f"{n:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def who(scope: Scope) -> str:
    """ "toàn Đảng bộ" for the whole plan, else the unit's name."""
    if scope.is_whole_plan:
        return _("the whole party organisation")
    return nfc(scope.root.name)


def admissions_sentence(
    scope: Scope, *, period: str, total: int, main: TargetProgress | None, groups: list[int]
) -> str:
    """ "Năm 2024, toàn Đảng bộ kết nạp 49 đảng viên, đạt 70% chỉ tiêu (70); trong đó 41 học
    sinh, …" """
    text = _("%(period)s, %(who)s admitted %(n)s new members") % {
        "period": period,
        "who": who(scope),
        "n": total,
    }
    figure = main.for_unit(scope.root.pk) if main else None
    if figure is not None and figure.minimum:
        # The quota counts what its target counts (its own period and units): the same
        # figure as Table 1 and the dashboard, said apart when it differs from the total.
        share = {
            "percent": number_text(percent(figure.actual, figure.minimum)),
            "quota": figure.minimum,
            "actual": figure.actual,
        }
        if figure.actual == total:
            text += _(", %(percent)s%% of the quota (%(quota)s)") % share
        else:
            text += (
                _(", of whom %(actual)s count towards the quota: %(percent)s%% of %(quota)s")
                % share
            )
    parts = [
        f"{n} {str(PersonGroup(g).label).lower()}"
        for g, n in zip(REPORT_GROUPS, groups[1:], strict=True)
        if n
    ]
    if parts:
        text += _("; of them %(parts)s") % {"parts": "; ".join(parts)}
    return text + "."


def previous_sentence(year: int, total: int, before: int) -> str:
    if not before:
        return ""
    change = total - before
    if change > 0:
        how = _("%(n)s more") % {"n": change}
    elif change < 0:
        how = _("%(n)s fewer") % {"n": -change}
    else:
        how = _("the same number")
    return _("Compared with %(year)s (%(before)s new members): %(how)s.") % {
        "year": year,
        "before": before,
        "how": how,
    }


def units_sentence(scope: Scope, tp: TargetProgress | None) -> str:
    """ "10/13 đơn vị đạt chỉ tiêu …; chưa đạt: A (thiếu 2), B (thiếu 1)." """
    if tp is None:
        return ""
    own = [p for uid, p in tp.own.items() if uid in scope.visible_ids and uid != scope.root.pk]
    if not own:
        return ""
    met = [p for p in own if p.status == Status.MET]
    short = sorted(
        (p for p in own if p.status != Status.MET), key=lambda p: (-(p.remaining or 0), p.unit.path)
    )
    text = _("%(met)s of %(n)s units met the quota “%(target)s”") % {
        "met": len(met),
        "n": len(own),
        "target": nfc(tp.target.name),
    }
    if short:
        names = ", ".join(
            _("%(unit)s (short by %(n)s)") % {"unit": nfc(p.unit.name), "n": p.remaining}
            for p in short
        )
        text += _("; not yet: %(units)s") % {"units": names}
    return text + "."


def training_sentence(scope: Scope, *, user, on: date) -> str:
    parts = []
    for r in plan_rounds(scope.plan):
        row = round_rows(scope, r, user=user, on=on).get(scope.root.pk)
        if row is None:
            continue
        f = row.figures
        parts.append(
            _(
                "%(round)s: %(nominated)s nominated, %(accepted)s accepted, "
                "%(attended)s attended, %(passed)s passed"
            )
            % {
                "round": nfc(r.name),
                "nominated": f.get("nominated") or 0,
                "accepted": f.get("accepted") or 0,
                "attended": f.get("attended") or 0,
                "passed": f.get("passed") or 0,
            }
        )
    if not parts:
        return ""
    return _("Party-awareness classes: %(rounds)s.") % {"rounds": "; ".join(parts)}


def milestone_sentences(scope: Scope, progress: list[TargetProgress]) -> list[str]:
    out = []
    for tp in progress:
        if tp.target.ends_on >= scope.end:
            continue
        figure = tp.for_unit(scope.root.pk)
        if figure is None:
            continue
        out.append(
            ngettext(
                "By %(date)s (“%(target)s”): %(actual)s admitted against a quota of "
                "%(quota)s; %(met)s unit met it.",
                "By %(date)s (“%(target)s”): %(actual)s admitted against a quota of "
                "%(quota)s; %(met)s units met it.",
                figure.rollup_met or 0,
            )
            % {
                "date": dmy(tp.target.ends_on),
                "target": nfc(tp.target.name),
                "actual": figure.actual,
                "quota": figure.bounds_display,
                "met": figure.rollup_met if figure.is_rollup else int(figure.status == Status.MET),
            }
        )
    return out


MAX_CHART_BARS = 40  # more bars than this do not read on an A4 page


def admissions_chart(scope: Scope, tp: TargetProgress | None, title: str) -> Chart | None:
    """Quota and admitted of every unit that holds a number of the main target; when they
    are too many to read (a province), of the units directly under the root instead."""
    if tp is None:
        return None
    held = [tp.own[u.pk] for u in scope.visible if u.pk in tp.own and u.pk != scope.root.pk] or [
        tp.own[u.pk] for u in scope.visible if u.pk in tp.own
    ]
    if len(held) > MAX_CHART_BARS:
        children = [u for u in scope.visible if u.depth == scope.root.depth + 1]
        held = [p for u in children if (p := tp.for_unit(u.pk)) is not None]
    if not held or len(held) > MAX_CHART_BARS:
        return None
    return Chart(
        title=title,
        labels=[nfc(p.unit.short_name) or nfc(p.unit.name) for p in held],
        series=[
            (_("Quota"), [p.minimum or 0 for p in held]),
            (_("Admitted"), [p.actual for p in held]),
        ],
    )


def year_end(scope: Scope, *, user) -> PartyDocument:
    plan = scope.plan
    year = plan.year
    on = as_of(scope)
    targets = quota_targets(plan)
    progress = progress_of(scope, targets, on)
    main = main_target(plan)
    main_tp = next((tp for tp in progress if main and tp.target.pk == main.pk), None)
    previous = previous_year_admissions(scope, year - 1)
    groups = admissions_by_group(scope, scope.start, on)
    previous_label = _("Admitted in %(year)s") % {"year": year - 1}

    tables = [
        targets_table(
            scope,
            progress,
            title=_("Table %(n)s. Quotas and results") % {"n": 1},
            previous=previous,
            previous_label=previous_label,
        ),
        training_table(
            scope,
            user=user,
            on=on,
            title=_("Table %(n)s. Party-awareness classes") % {"n": 2},
        ),
        groups_table(
            scope,
            groups,
            title=_("Table %(n)s. New members by group") % {"n": 3},
            group=_("Admitted in %(year)s") % {"year": year},
            previous=previous,
            previous_label=previous_label,
            holders=set(main_tp.own) if main_tp else set(),
        ),
        shares_table(
            scope,
            progress_of(scope, share_targets(plan), on),
            title=_("Table %(n)s. Share targets") % {"n": 4},
        ),
    ]
    tables = [t for t in tables if t is not None and t.rows]

    root_groups = groups.of(scope.root.pk)
    paragraphs = [
        " ".join(
            s
            for s in (
                admissions_sentence(
                    scope,
                    period=_("In %(year)s") % {"year": year},
                    total=root_groups[0],
                    main=main_tp,
                    groups=root_groups,
                ),
                previous_sentence(year - 1, root_groups[0], previous.get(scope.root.pk, 0)),
            )
            if s
        ),
        units_sentence(scope, main_tp),
        *milestone_sentences(scope, progress),
        training_sentence(scope, user=user, on=on),
        _("Certificates granted in the year: %(n)s.")
        % {
            "n": tree_counts(scope, measure="certifications", start=scope.start, end=on).get(
                scope.root.pk, 0
            )
        },
    ]
    subject = _("Results of developing new party members in %(year)s") % {"year": year}
    return PartyDocument(
        doc_type=_("REPORT"),
        subject=subject,
        heading=heading(scope),
        subtitle=_("(Implementing %(plan)s; %(as_of)s)")
        % {"plan": plan_reference(scope), "as_of": as_of_line(on).lower()},
        paragraphs=[p for p in paragraphs if p],
        tables=tables,
        chart=admissions_chart(
            scope, main_tp, _("Admissions quota and new members by unit, %(year)s") % {"year": year}
        ),
        recipients=recipients(scope),
        signature=signature(scope),
        landscape=True,
        file_stem=_("Year-end report %(year)s") % {"year": year},
        as_of=on,
    )
