"""A person's data on request (Law 91/2025/QH15 on personal data, Decree 356/2025): all of
it as JSON (``person_export``), or the person anonymised (``person_erase``). Run by the
Board from the command line: ``manage.py personal_data export|erase --citizen-id …``.

The candidate's own rows are handled here. Apps above that keep rows about a candidate
(the classes' nominations) register them in their ``AppConfig.ready`` with
``person_rows_register``, as the quota counters do, so this app never imports them.
What is kept, for how long and why: ``docs/personal-data.md``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.changes import erasing, update_audited
from core.models import AuditChange, AuditEvent

from .choices import Stage
from .models import Candidate, MentorComment

# The actions ``candidates.services`` records with ``pk`` = the candidate's id.
CANDIDATE_ACTIONS = frozenset(
    {
        "candidate_create",
        "candidate_update",
        "candidate_delete",
        "candidate_transfer",
        "stage_event_record",
        "stage_event_delete",
        "stage_events_remove",
        "certificate_record",
        "certificate_withdraw",
        "introducer_save",
        "introducer_delete",
        "document_set",
        "mentor_save",
        "mentor_end",
        "mentor_comment_add",
        "mentor_comment_delete",
        "deadline_extend",
    }
)
ERASED_NAME = "Đã xóa"  # the family name an erased record keeps ("erased"), then "#id"
# Stages that mean the person was admitted: the file is then part of the party member's
# record, which the party's own rules keep; the app does not erase it.
ADMITTED = frozenset(
    {
        Stage.ADMISSION_DECISION,
        Stage.CEREMONY,
        Stage.PROBATIONARY,
        Stage.FULL_MEMBER,
        Stage.NOT_RECOGNISED,
    }
)


@dataclass(frozen=True)
class PersonRows:
    """Another app's rows about a candidate: ``export`` them as ``{name: [rows]}``, the
    ``audit`` rows about them as a filter, ``erase`` them (anonymise or delete; returns
    ``{name: count}``); ``changes``: the trail's change rows of them, as a filter on
    ``AuditChange`` (the events of bulk writes, such as an upload, name nobody)."""

    export: Callable[[Candidate], dict[str, list]]
    audit: Callable[[Candidate], Q]
    erase: Callable[[Candidate], dict[str, int]]
    changes: Callable[[Candidate], Q] | None = None


_SOURCES: dict[str, PersonRows] = {}


def person_rows_register(name: str, rows: PersonRows) -> None:
    _SOURCES[name] = rows


def rows(qs: QuerySet) -> list[dict[str, Any]]:
    """Rows as plain data: ``{"model", "pk", "fields"}`` (Django's python serializer)."""
    return serializers.serialize("python", qs)


def person_find(*, citizen_id: str) -> Candidate:
    candidate = Candidate.objects.select_related("unit").filter(citizen_id=citizen_id).first()
    if candidate is None:
        raise Candidate.DoesNotExist(_("No candidate has this citizen ID."))
    return candidate


def person_audit_rows(candidate: Candidate, *, changed: bool = True) -> QuerySet[AuditEvent]:
    """The audit rows about the person: on the candidate itself, the candidates app's own
    actions, and those the other apps register; with ``changed``, also the events whose
    changes touched the person's rows without naming them (an Excel import's one event
    for every person it created or updated)."""
    kind = ContentType.objects.get_for_model(Candidate)
    q = (
        Q(object_type=kind, object_id=str(candidate.pk))
        | Q(action__in=CANDIDATE_ACTIONS, details__pk=candidate.pk)
        | Q(details__candidate=candidate.pk)
    )
    touched = Q(object_type=kind, object_id=str(candidate.pk))
    for source in _SOURCES.values():
        q |= source.audit(candidate)
        if source.changes is not None:
            touched |= source.changes(candidate)
    if changed:
        q |= Q(pk__in=AuditChange.objects.filter(touched).values("event_id"))
    return AuditEvent.objects.filter(q).order_by("created_at", "pk")


def person_export(*, actor: AbstractBaseUser | None, candidate: Candidate) -> dict[str, Any]:
    """Everything the app keeps about the person, as plain data (for ``json.dumps`` with
    ``DjangoJSONEncoder``); the export itself is recorded."""
    mentors = candidate.mentors.all()
    data: dict[str, Any] = {
        "exported_at": timezone.now(),
        "candidate": rows(Candidate.objects.filter(pk=candidate.pk))[0],
        "unit": candidate.unit.name,
        "stage_events": rows(candidate.events.all()),
        "introducers": rows(candidate.introducers.all()),
        "documents": rows(candidate.documents.all()),
        "mentors": rows(mentors),
        "mentor_comments": rows(MentorComment.objects.filter(mentor__candidate=candidate)),
        "deadline_extensions": rows(candidate.extensions.all()),
    }
    for source in _SOURCES.values():
        data.update(source.export(candidate))
    data["audit"] = [
        {
            "at": e.created_at,
            "by": e.actor_name,
            "action": e.action,
            "details": e.details,
        }
        for e in person_audit_rows(candidate)
    ]
    audit_record(actor=actor, action="personal_data_export", unit=candidate.unit, obj=candidate)
    return data


@transaction.atomic
def person_erase(
    *, actor: AbstractBaseUser | None, candidate: Candidate, reason: str = ""
) -> dict[str, int]:
    """Anonymise the person: no name, citizen ID, phone or free text is left, the date of
    birth becomes 1 January of its year; introducers, mentors and their comments are
    deleted; the other apps' rows go through their ``erase``; the audit rows about the
    person lose the name. What the reports count (unit, sex, category, ethnicity, religion,
    unions, the dated steps) stays, so past figures do not change. Refused for a person who
    was admitted: the file then belongs to the party member's record (``ValidationError``).
    """
    admitted = (
        candidate.stage in ADMITTED
        or candidate.events.filter(stage=Stage.ADMISSION_DECISION).exists()
    )
    if admitted:
        raise ValidationError(
            _(
                "This person was admitted to the party: their file belongs to the party "
                "member's record, which the party's rules keep. The app does not erase it."
            )
        )
    with erasing():
        counts = {
            "introducers": candidate.introducers.all().delete()[0],
            "mentors": candidate.mentors.all().delete()[0],
            "stage_event_notes": update_audited(candidate.events.exclude(note=""), note=""),
            "extension_reasons": update_audited(candidate.extensions.exclude(reason=""), reason=""),
        }
        for source in _SOURCES.values():
            counts.update(source.erase(candidate))
        label = f"{ERASED_NAME} #{candidate.pk}"
        # The events that name the person; an import's event, which names nobody, keeps its
        # words, and its change rows of the person lose their values (``erasing``).
        audit = person_audit_rows(candidate, changed=False)
        counts["audit_rows"] = audit.count()
        for event in audit:
            details = {k: ("" if k == "name" else v) for k, v in event.details.items()}
            event.object_repr = label
            event.details = details
            event.save(update_fields=["object_repr", "details"])
        born = candidate.date_of_birth
        candidate.family_name = ERASED_NAME
        candidate.given_name = f"#{candidate.pk}"
        candidate.date_of_birth = date(born.year, 1, 1)
        candidate.citizen_id = None
        candidate.phone = ""
        candidate.school_class = ""
        candidate.education = ""
        candidate.graduation_year = None
        candidate.planned_resolution_on = None
        candidate.certificate_number = ""
        candidate.save()
    audit_record(
        actor=actor,
        action="personal_data_erase",
        unit=candidate.unit,
        obj=candidate,
        reason=reason,
        **counts,
    )
    return counts
