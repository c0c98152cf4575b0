"""``python manage.py import_candidates FILE [--unit CODE] [--dry-run] [--user USERNAME]``

The Board's way to import a list of candidates without the browser: the same checks as the
import page, every problem printed (one a line, "Dòng 5, cột “Ngày sinh”: …") and exit
status 1 when there is any, nothing saved then nor with --dry-run.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates.imports import (
    STATUS_LABELS,
    UPDATED,
    candidate_import,
    column_header,
    import_counts,
)
from candidates.people_xlsx import read_people
from units.selectors import unit_match


class Command(BaseCommand):
    help = (
        "Import candidates from an Excel list (.xlsx, .xls or .ods, as the import page's "
        "template). Every row is checked first; when any has a problem, the problems are "
        "printed, nothing is saved and the command exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The spreadsheet file (.xlsx, .xls or .ods).")
        parser.add_argument(
            "--unit",
            metavar="CODE",
            help="The unit of every row, by its code (e.g. THPT-HH1). Without it, each row's "
            "“Đơn vị” column or the line “Đơn vị: …” above the header row says the unit.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and say what would be done; save nothing."
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Whose rights apply and whom the audit log names; without it, the system.",
        )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self._import(
                path=Path(options["file"]),
                code=options["unit"],
                dry_run=options["dry_run"],
                username=options["user"],
                verbosity=options["verbosity"],
            )

    def _import(self, *, path: Path, code, dry_run: bool, username, verbosity: int) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror}
            ) from None
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None:
                raise CommandError(_("No user is called %(name)s.") % {"name": username})
        unit = None
        if code:
            units = unit_match(name=code)
            if len(units) != 1:
                raise CommandError(
                    _("No unit has the code %(code)s.") % {"code": code}
                    if not units
                    else _("%(code)s fits several units; give the unit's code.") % {"code": code}
                )
            unit = units[0]

        sheet = read_people(data)
        if unit is None and not sheet.errors and not sheet.unit_label:
            if "unit_name" not in sheet.columns:
                raise CommandError(
                    _(
                        "The file does not say whose candidates these are: give --unit CODE, "
                        "or a line “Đơn vị: …” above the header row, or a column “Đơn vị”."
                    )
                )
        outcome = candidate_import(actor=actor, sheet=sheet, unit=unit, write=not dry_run)
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(str(error))
            n = len(outcome.errors)
            raise CommandError(
                ngettext(
                    "%(file)s: %(n)s problem; nothing was saved.",
                    "%(file)s: %(n)s problems; nothing was saved.",
                    n,
                )
                % {"file": path.name, "n": n}
            )

        if dry_run or verbosity >= 2:
            for item in outcome.plan:
                what = str(STATUS_LABELS[item.status])
                if item.status == UPDATED:
                    changed = (column_header(sheet, name) for name in item.changes)
                    what += " (" + ", ".join(changed) + ")"
                self.stdout.write(
                    _("Row %(row)s: %(name)s, born %(born)s, %(unit)s: %(what)s")
                    % {
                        "row": item.row.row,
                        "name": item.candidate.full_name,
                        "born": f"{item.candidate.date_of_birth:%d/%m/%Y}",
                        "unit": item.unit.code,
                        "what": what,
                    }
                )
        units = ", ".join(dict.fromkeys(item.unit.name for item in outcome.plan))
        if dry_run:
            message = _("Dry run, nothing was saved. %(units)s would get: %(counts)s.")
        else:
            message = _("Imported into %(units)s: %(counts)s.")
        self.stdout.write(
            self.style.SUCCESS(message % {"units": units, "counts": import_counts(outcome)})
        )
