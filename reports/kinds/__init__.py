"""Every kind of report: a function of a ``Scope`` (and the user) returning the
``documents.content.PartyDocument`` that every format draws.

``KINDS`` lists them in the order of the "Báo cáo" page; the quota annex and the class
sheets keep their own layouts (``reports.annex``, ``reports.class_sheets``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from documents.content import PartyDocument

from ..scope import Scope
from .multi_year import multi_year
from .periodic import interim, milestone, progress_report
from .year_end import year_end

# What the period of each kind means in the form and the command.
PERIOD_YEAR, PERIOD_RANGE, PERIOD_DAY, PERIOD_MILESTONE, PERIOD_YEARS = (
    "year",
    "range",
    "day",
    "milestone",
    "years",
)


@dataclass(frozen=True)
class ReportKind:
    key: str
    label: Promise
    description: Promise
    build: Callable[..., PartyDocument]
    period: str


KINDS: dict[str, ReportKind] = {
    kind.key: kind
    for kind in (
        ReportKind(
            "year_end",
            _("Year-end summary"),
            _(
                "Every quota against its actual, the class rounds, new members by group, "
                "the year before, a chart and a paragraph to paste into the written report."
            ),
            year_end,
            PERIOD_YEAR,
        ),
        ReportKind(
            "interim",
            _("Interim report"),
            _(
                "A month, a quarter, six months or any dates: the quotas as of the end of the "
                "period and what changed in it."
            ),
            interim,
            PERIOD_RANGE,
        ),
        ReportKind(
            "milestone",
            _("Milestone report"),
            _("Each unit against a milestone's quota (e.g. by 19/5): met, or short by how many."),
            milestone,
            PERIOD_MILESTONE,
        ),
        ReportKind(
            "multi_year",
            _("Multi-year summary and ranking"),
            _(
                "Years side by side per unit and group, growth, and units ranked by the share "
                "of their quotas met."
            ),
            multi_year,
            PERIOD_YEARS,
        ),
        ReportKind(
            "progress",
            _("Progress as of a day"),
            _("What the dashboard shows on a day, as a file to print."),
            progress_report,
            PERIOD_DAY,
        ),
    )
}


def build_document(kind: str, scope: Scope, *, user) -> PartyDocument:
    return KINDS[kind].build(scope, user=user)


__all__ = ["KINDS", "ReportKind", "build_document"]
