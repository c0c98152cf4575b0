"""A person's data on request: ``personal_data export --citizen-id …`` prints (or writes)
everything the app keeps about them as JSON; ``personal_data erase --citizen-id …``
anonymises them (``candidates.personal``). Both are recorded in the audit trail."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from candidates.models import Candidate
from candidates.personal import person_erase, person_export, person_find
from candidates.rules import citizen_id_normalise


class Command(BaseCommand):
    help = "Export a person's data as JSON, or erase (anonymise) the person, by citizen ID."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("--citizen-id", required=True, help="the person's 12 digits")
        parser.add_argument("--user", help="who asks (a user name), for the audit trail")
        parser.add_argument("--output", help="export: write the JSON to this file")
        parser.add_argument("--reason", default="", help="erase: the request, for the audit")

    def handle(self, *args, action, citizen_id, user=None, output=None, reason="", **options):
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {user!r}.") from None
        try:
            candidate = person_find(citizen_id=citizen_id_normalise(citizen_id))
        except Candidate.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        if action == "export":
            text = json.dumps(
                person_export(actor=actor, candidate=candidate),
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
                indent=2,
            )
            if output:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text + "\n")
            else:
                self.stdout.write(text)
            return
        try:
            counts = person_erase(actor=actor, candidate=candidate, reason=reason)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        done = ", ".join(f"{k}: {v}" for k, v in counts.items())
        self.stdout.write(f"Candidate #{candidate.pk} anonymised ({done}).")
