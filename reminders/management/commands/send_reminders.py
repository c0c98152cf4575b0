"""Send each user their daily digest of to-do items (run once a day, by cron)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_scope
from core.dates import today

from ...services import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail every active user with an address, who has not turned reminders off, the "
        "to-do items that are new or due soon; nothing to those who have none. A second run "
        "on the same day sends nothing again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the day to count from, YYYY-MM-DD (default: today in Vietnam)"
        )
        parser.add_argument("--user", action="append", help="only this user name (repeatable)")

    def handle(self, *args, **options):
        from django.contrib.auth import get_user_model

        try:
            day = date.fromisoformat(options["date"]) if options["date"] else today()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        users = None
        if options["user"]:
            users = list(
                get_user_model().objects.filter(username__in=options["user"], is_active=True)
            )
        with audit_scope():
            sent = reminders_send(today=day, users=users)
        for username, count in sent.items():
            self.stdout.write(f"{username}: {count}")
        self.stdout.write(f"{len(sent)} e-mail(s) sent.")
