from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: the database and the uploaded files are "
        "replaced by the backup's. Stop the server and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask: everything now in the database is replaced.",
        )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if not options["yes"]:
                answer = input(
                    _("Everything now in the database is replaced by %(path)s. Type yes: ")
                    % {"path": options["path"]}
                )
                if answer.strip().lower() not in ("yes", "có", "co"):
                    raise CommandError(_("Nothing was restored."))
            try:
                summary = backup_restore(options["path"])
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                _("Restored %(path)s: %(rows)s rows in %(tables)s tables, %(files)s files.")
                % {
                    "path": summary.path,
                    "rows": sum(summary.rows.values()),
                    "tables": len(summary.rows),
                    "files": summary.files,
                }
            )
