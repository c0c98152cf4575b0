"""The audit trail as people read it: an action's name, and each change as
"field: old → new" in the words of the model's own labels.

``describe`` turns a page of events into entries for the history and audit pages, with
the related rows named in one query per model, dates written day first, choices by their
label, a citizen ID masked and a password never shown.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .changes import HIDDEN
from .models import AuditChange, AuditEvent, ChangeOperation
from .text import mask_digits

MASKED_FIELDS = {"citizen_id"}  # shown as on the pages: ********3359
SHOWN_CHANGES = 20  # an event's changes of other objects shown on an object's history

ACTION_LABELS = {
    "account_create": gettext_lazy("Account created"),
    "account_update": gettext_lazy("Account changed"),
    "account_delete": gettext_lazy("Account deleted"),
    "account_password_set": gettext_lazy("Password set by the Board"),
    "attendance_set": gettext_lazy("Attendance recorded"),
    "candidate_create": gettext_lazy("Candidate added"),
    "candidate_delete": gettext_lazy("Candidate deleted"),
    "candidate_import": gettext_lazy("Candidates imported from Excel"),
    "candidate_transfer": gettext_lazy("Candidate transferred"),
    "candidate_update": gettext_lazy("Candidate changed"),
    "certificate_record": gettext_lazy("Certificate recorded"),
    "certificate_withdraw": gettext_lazy("Certificate withdrawn"),
    "certificates_issue": gettext_lazy("Certificates issued"),
    "change": gettext_lazy("Change"),
    "citizen_id_show": gettext_lazy("Citizen ID shown"),
    "class_create": gettext_lazy("Class created"),
    "class_delete": gettext_lazy("Class deleted"),
    "class_status_set": gettext_lazy("Class status changed"),
    "class_update": gettext_lazy("Class changed"),
    "deadline_extend": gettext_lazy("Decision deadline extended"),
    "document_set": gettext_lazy("Paper ticked or unticked"),
    "duplicate_attempt": gettext_lazy("Citizen ID used in another unit"),
    "group_create": gettext_lazy("Group created"),
    "group_update": gettext_lazy("Group changed"),
    "group_delete": gettext_lazy("Group deleted"),
    "historical_total_create": gettext_lazy("Past year's total saved"),
    "historical_total_delete": gettext_lazy("Past year's total deleted"),
    "historical_total_update": gettext_lazy("Past year's total changed"),
    "historical_totals_import": gettext_lazy("Past years' totals imported"),
    "introducer_delete": gettext_lazy("Introducer removed"),
    "introducer_save": gettext_lazy("Introducer saved"),
    "login": gettext_lazy("Logged in"),
    "login_failed": gettext_lazy("Failed login"),
    "login_unlock": gettext_lazy("Login unlocked"),
    "logout": gettext_lazy("Logged out"),
    "mentor_comment_add": gettext_lazy("Mentor's comment added"),
    "mentor_comment_delete": gettext_lazy("Mentor's comment removed"),
    "mentor_end": gettext_lazy("Mentor's help ended"),
    "mentor_save": gettext_lazy("Mentor saved"),
    "nomination_accept": gettext_lazy("Nomination accepted"),
    "nomination_resubmit": gettext_lazy("Returned nominee sent again"),
    "nomination_return": gettext_lazy("Nomination returned"),
    "nominee_add": gettext_lazy("Person added to a nominee list"),
    "nominee_list_create": gettext_lazy("Nominee list opened"),
    "nominee_list_import": gettext_lazy("Nominee list uploaded"),
    "nominee_list_return": gettext_lazy("Nominee list returned"),
    "nominee_list_submit": gettext_lazy("Nominee list submitted"),
    "nominee_remove": gettext_lazy("Person removed from a nominee list"),
    "papers_rule_set": gettext_lazy("Admission papers setting changed"),
    "password_change": gettext_lazy("Password changed"),
    "personal_data_download": gettext_lazy("File with personal data downloaded"),
    "personal_data_erase": gettext_lazy("Personal data erased"),
    "personal_data_export": gettext_lazy("Personal data exported"),
    "plan_copy": gettext_lazy("Plan copied to the next year"),
    "plan_create": gettext_lazy("Plan created"),
    "plan_delete": gettext_lazy("Plan deleted"),
    "plan_update": gettext_lazy("Plan changed"),
    "reminder_digest_send": gettext_lazy("Reminder e-mail sent"),
    "reminder_setting_delete": gettext_lazy("E-mail reminder setting reset"),
    "reminder_setting_save": gettext_lazy("E-mail reminder setting changed"),
    "report.issue": gettext_lazy("Report issued"),
    "report.queue": gettext_lazy("Report requested"),
    "results_import": gettext_lazy("Class results imported from Excel"),
    "results_set": gettext_lazy("Class results recorded"),
    "role_assign": gettext_lazy("Role given"),
    "role_assignment_update": gettext_lazy("Role changed"),
    "role_revoke": gettext_lazy("Role taken away"),
    "round_create": gettext_lazy("Class round created"),
    "round_delete": gettext_lazy("Class round deleted"),
    "round_update": gettext_lazy("Class round changed"),
    "session_create": gettext_lazy("Class session added"),
    "seed_scale": gettext_lazy("Test data at scale generated"),
    "session_delete": gettext_lazy("Class session deleted"),
    "session_update": gettext_lazy("Class session changed"),
    "stage_event_delete": gettext_lazy("Step removed"),
    "stage_event_record": gettext_lazy("Step recorded"),
    "stage_events_remove": gettext_lazy("Steps removed"),
    "target_create": gettext_lazy("Target created"),
    "target_delete": gettext_lazy("Target deleted"),
    "target_update": gettext_lazy("Target changed"),
    "target_value_create": gettext_lazy("Quota set"),
    "target_value_delete": gettext_lazy("Quota deleted"),
    "target_value_update": gettext_lazy("Quota changed"),
    "target_values_set": gettext_lazy("Quotas saved"),
    "unit_create": gettext_lazy("Unit created"),
    "unit_delete": gettext_lazy("Unit deleted"),
    "unit_kind_create": gettext_lazy("Unit kind created"),
    "unit_kind_delete": gettext_lazy("Unit kind deleted"),
    "unit_kind_update": gettext_lazy("Unit kind changed"),
    "unit_move": gettext_lazy("Unit moved"),
    "unit_set_aliases": gettext_lazy("Unit's other names changed"),
    "unit_update": gettext_lazy("Unit changed"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action.replace("_", " ")))


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class ChangeEntry:
    change: AuditChange
    kind: str  # the model's name, "Candidate"
    operation: str  # "created", "changed", "deleted"
    fields: list[FieldChange]


@dataclass
class EventEntry:
    event: AuditEvent
    label: str
    changes: list[ChangeEntry] = field(default_factory=list)
    more: int = 0  # changes of other objects not shown


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _related(model: type[models.Model] | None, name: str) -> type[models.Model] | None:
    found = _field(model, name)
    return found.related_model if found is not None and found.is_relation else None


class _Names:
    """The words of related rows, fetched once per model for a whole page."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model: type[models.Model], value: Any) -> None:
        for pk in value if isinstance(value, list) else [value]:
            if pk not in (None, ""):
                self.wanted[model].add(pk)

    def fetch(self) -> None:
        for model, pks in self.wanted.items():
            for obj in model._base_manager.filter(pk__in=pks):
                self.found[(model, str(obj.pk))] = str(obj)

    def name(self, model: type[models.Model], pk: Any) -> str:
        return self.found.get((model, str(pk)), _("#%(pk)s (deleted)") % {"pk": pk})


def _text(model, name: str, value: Any, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if value == HIDDEN:
        return _("(hidden)")
    if name in MASKED_FIELDS:
        return mask_digits(str(value))
    related = _related(model, name)
    if related is not None:
        values = value if isinstance(value, list) else [value]
        return ", ".join(names.name(related, pk) for pk in values) or "—"
    found = _field(model, name)
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and found is not None:
        if isinstance(found, models.DateTimeField):
            moment = timezone.localtime(datetime.fromisoformat(value))
            return moment.strftime("%d/%m/%Y %H:%M")
        if isinstance(found, models.DateField):
            return date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)


def _label(model, name: str) -> str:
    found = _field(model, name)
    if found is None:
        return name
    label = getattr(found, "verbose_name", None) or getattr(found, "related_name", None)
    return str(label or name)


def _entry(change: AuditChange, names: _Names) -> ChangeEntry:
    model = change.object_type.model_class()
    return ChangeEntry(
        change=change,
        kind=str(model._meta.verbose_name) if model is not None else change.object_type.model,
        operation=str(ChangeOperation(change.operation).label),
        fields=[
            FieldChange(
                _label(model, name), _text(model, name, old, names), _text(model, name, new, names)
            )
            for name, (old, new) in change.fields.items()
        ],
    )


def describe(
    events: Iterable[AuditEvent], *, focus: tuple[ContentType, str] | None = None
) -> list[EventEntry]:
    """Entries for ``events`` (their ``changes`` prefetched). With ``focus`` (an object's
    type and id), the object's own changes come first and at most ``SHOWN_CHANGES`` of the
    others are shown."""
    events = list(events)
    names = _Names()
    picked: dict[int, list[AuditChange]] = {}
    more: dict[int, int] = {}
    for event in events:
        changes = list(event.changes.all())
        if focus is not None:
            own = [c for c in changes if (c.object_type_id, c.object_id) == (focus[0].pk, focus[1])]
            others = [c for c in changes if c not in own]
            changes = own + others[:SHOWN_CHANGES]
            more[event.pk] = max(0, len(others) - SHOWN_CHANGES)
        picked[event.pk] = changes
        for change in changes:
            model = change.object_type.model_class()
            for name, pair in change.fields.items():
                related = _related(model, name)
                if related is not None:
                    for value in pair:
                        names.want(related, value)
    names.fetch()
    return [
        EventEntry(
            event=event,
            label=action_label(event.action),
            changes=[_entry(change, names) for change in picked[event.pk]],
            more=more.get(event.pk, 0),
        )
        for event in events
    ]


def object_name(object_type: ContentType, object_id: str) -> str:
    """The object's words now, or the last words the trail kept of it."""
    model = object_type.model_class()
    if model is not None:
        obj = model._base_manager.filter(pk=object_id).first()
        if obj is not None:
            return str(obj)
    kept = (
        AuditChange.objects.filter(object_type=object_type, object_id=object_id)
        .exclude(object_repr="")
        .values_list("object_repr", flat=True)
        .last()
    ) or (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        .exclude(object_repr="")
        .values_list("object_repr", flat=True)
        .first()
    )
    return kept or f"#{object_id}"
