"""Build a report file from the command line.

    python manage.py build_report annex --plan 145/KH-HU --format xlsx --output phu-luc.xlsx
    python manage.py build_report annex --plan 145/KH-HU --issuer HU-HIEPHOA --format pdf \
        --output phu-luc.pdf

The first argument is the kind of report; each kind is one entry of ``REPORTS`` (a function
that returns the file's bytes), so later reports add an entry and, if they need them, their
own options.
"""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quotas.models import Plan, Target
from quotas.selectors import plan_find
from reports.annex import annex_table
from reports.renderers import ANNEX_RENDERERS, FORMATS


def find_plan(number: str | None, issuer: str | None) -> Plan:
    """The plan numbered ``number`` (separators and case ignored), of ``issuer`` (a unit code)
    when several units used the same number."""
    if not number:
        raise CommandError(_("Give the plan number with --plan, e.g. --plan 145/KH-HU."))
    plans = plan_find(number=number)
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


def build_annex(options: dict) -> bytes:
    plan = find_plan(options["plan"], options["issuer"])
    try:
        table = annex_table(plan=plan)
    except Target.DoesNotExist:
        raise CommandError(
            _("Plan %(number)s has no annex: none of its targets is marked as the plan's annex.")
            % {"number": plan.number}
        ) from None
    return ANNEX_RENDERERS[options["format"]](table)


# Kind of report -> function of the command's options returning the file's bytes.
REPORTS: dict[str, Callable[[dict], bytes]] = {
    "annex": build_annex,
}


class Command(BaseCommand):
    help = "Build a report file, e.g.: build_report annex --plan 145/KH-HU --format pdf --output F"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(REPORTS), help="the kind of report")
        parser.add_argument("--plan", help='the plan number, e.g. "145/KH-HU"')
        parser.add_argument("--issuer", help="code of the issuing unit, if the number is shared")
        parser.add_argument("--format", choices=FORMATS, default="xlsx")
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args, **options):
        data = REPORTS[options["kind"]](options)
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
