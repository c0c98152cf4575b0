from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the uploaded files into "
        "one .tar.gz; the server may keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (default: backups/ptdv-YYYYMMDD-HHMMSS.tar.gz).",
        )

    def handle(self, *args, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = options["output"] or Path(settings.BASE_DIR) / "backups" / f"ptdv-{stamp}.tar.gz"
        with translation.override(settings.LANGUAGE_CODE):
            try:
                summary = backup_create(path)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                _("Backup %(path)s: %(rows)s rows in %(tables)s tables, %(files)s files.")
                % {
                    "path": summary.path,
                    "rows": sum(summary.rows.values()),
                    "tables": len(summary.rows),
                    "files": summary.files,
                }
            )
