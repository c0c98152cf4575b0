"""Build a report file from the command line, for every kind the "Báo cáo" page offers.

    python manage.py build_report year_end --plan 145/KH-HU --year 2024 --format pdf \
        --output tong-ket-2024.pdf
    python manage.py build_report interim --plan 145/KH-HU --year 2024 \
        --from 01/04/2024 --to 30/06/2024 --format docx --output so-ket-quy-2.docx
    python manage.py build_report annex --plan 145/KH-HU --format xlsx --output phu-luc.xlsx

The report is built as a superuser would see it (every unit of the plan), or for one unit
and the units under it with ``--unit CODE``. Dates are written dd/mm/yyyy.
"""

from datetime import date, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.dates import DMY
from quotas.models import Plan, Target
from quotas.selectors import plan_find
from reports.annex import annex_table
from reports.kinds import KINDS, PERIOD_DAY, PERIOD_MILESTONE, build_document
from reports.renderers import ANNEX_RENDERERS
from reports.scope import report_scope
from reports.services import FORMATS, report_build
from units.models import Unit

ANNEX = "annex"


def find_plan(number: str | None, issuer: str | None, year: int | None = None) -> Plan:
    """The plan numbered ``number`` (separators and case ignored), of ``year`` and of
    ``issuer`` (a unit code) when several plans share the number."""
    if not number:
        raise CommandError(_("Give the plan number with --plan, e.g. --plan 145/KH-HU."))
    plans = plan_find(number=number)
    if year is not None:
        plans = [p for p in plans if p.year == year]
        if not plans:
            raise CommandError(
                _('There is no plan numbered "%(number)s" for %(year)s.')
                % {"number": number, "year": year}
            )
    if issuer:
        plans = [p for p in plans if p.issuer.code.casefold() == issuer.casefold()]
        if not plans:
            raise CommandError(
                _('There is no plan numbered "%(number)s" issued by the unit %(issuer)s.')
                % {"number": number, "issuer": issuer}
            )
    if not plans:
        raise CommandError(_('There is no plan numbered "%(number)s".') % {"number": number})
    if len(plans) > 1:
        issuers = ", ".join(f"{p.issuer.code} ({p.issuer.name})" for p in plans)
        raise CommandError(
            _(
                'Several plans are numbered "%(number)s", issued by: %(issuers)s. '
                "Choose one with --issuer CODE."
            )
            % {"number": number, "issuers": issuers}
        )
    return plans[0]


def parse_day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value.strip(), DMY).date()
    except ValueError:
        raise CommandError(
            _('%(option)s: "%(value)s" is not a date; write it as dd/mm/yyyy, e.g. 30/06/2024.')
            % {"option": option, "value": value}
        ) from None


def find_unit(code: str | None) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code__iexact=code.strip()).first()
    if unit is None:
        raise CommandError(_('There is no unit with the code "%(code)s".') % {"code": code})
    return unit


def output_format(output: str) -> str:
    suffix = Path(output).suffix.lower().lstrip(".")
    return suffix if suffix in ("html", *FORMATS) else "pdf"


def system_user():
    """The report as the Board sees it: every unit (a superuser, not saved)."""
    return get_user_model()(username="build_report", is_superuser=True, is_staff=True)


def build_annex(plan: Plan, fmt: str) -> bytes:
    if fmt not in ANNEX_RENDERERS:
        raise CommandError(_("The quota annex comes as pdf or xlsx."))
    try:
        table = annex_table(plan=plan)
    except Target.DoesNotExist:
        raise CommandError(
            _("Plan %(number)s has no annex: none of its targets is marked as the plan's annex.")
            % {"number": plan.number}
        ) from None
    return ANNEX_RENDERERS[fmt](table)


def period(kind, plan: Plan, options) -> tuple[date | None, date | None]:
    start = parse_day(options["from"], "--from")
    end = parse_day(options["to"], "--to")
    if kind.period == PERIOD_DAY:
        return None, end
    if kind.period == PERIOD_MILESTONE:
        return None, end
    if kind.key == "interim" and (start is None or end is None):
        raise CommandError(
            _("An interim report needs its period: --from DD/MM/YYYY --to DD/MM/YYYY.")
        )
    if kind.key == "multi_year" and start is None:
        start = date(plan.year - 4, 1, 1)  # five years ending with the plan's
    return start, end


class Command(BaseCommand):
    help = (
        "Build a report file, e.g.: build_report year_end --plan 145/KH-HU --year 2024 "
        "--format pdf --output F"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*KINDS, ANNEX], help="the kind of report")
        parser.add_argument("--plan", help='the plan number, e.g. "145/KH-HU"')
        parser.add_argument("--year", type=int, help="the plan's year, e.g. 2024")
        parser.add_argument("--issuer", help="code of the issuing unit, if the number is shared")
        parser.add_argument("--unit", help="only this unit and the units under it (its code)")
        parser.add_argument("--from", dest="from", help="first day, dd/mm/yyyy")
        parser.add_argument("--to", dest="to", help="last day, dd/mm/yyyy")
        parser.add_argument(
            "--format",
            choices=["html", *FORMATS],
            help="pdf, xlsx, docx or html (by default the --output file's extension, else pdf)",
        )
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args, **options):
        plan = find_plan(options["plan"], options["issuer"], options["year"])
        fmt = options["format"] or output_format(options["output"])
        if options["kind"] == ANNEX:
            data = build_annex(plan, fmt)
        else:
            data = self.build(KINDS[options["kind"]], plan, fmt, options)
        path = Path(options["output"])
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(
                _("Could not write %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from exc
        self.stdout.write(
            _("Written: %(path)s (%(size)s bytes).") % {"path": path, "size": len(data)}
        )

    def build(self, kind, plan: Plan, fmt: str, options) -> bytes:
        unit = find_unit(options["unit"])
        start, end = period(kind, plan, options)
        user = system_user()
        try:
            scope = report_scope(
                user=user,
                plan_pk=plan.pk,
                unit_pk=unit.pk if unit else None,
                start=start,
                end=end,
            )
        except Http404:
            raise CommandError(
                _("The unit %(code)s is not in the area of plan %(number)s.")
                % {"code": options["unit"], "number": plan.number}
            ) from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            if fmt == "html":
                document = build_document(kind.key, scope, user=user)
                return render_to_string("reports/standalone.html", {"doc": document}).encode(
                    "utf-8"
                )
            return report_build(kind=kind.key, scope=scope, user=user, fmt=fmt).content
        except ValueError as exc:
            raise CommandError(str(exc)) from None
