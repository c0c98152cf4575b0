"""The only code that changes candidates and their stage events.

Every function is one transaction, takes the acting user and writes an ``AuditEvent``.
"""

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from units.services import audit_record

from .models import Candidate, StageEvent


@transaction.atomic
def candidate_save(*, actor: AbstractBaseUser | None, candidate: Candidate) -> Candidate:
    """Create or update a candidate (validated, so the citizen ID is checked)."""
    creating = candidate.pk is None
    candidate.full_clean()
    candidate.save()
    audit_record(
        actor=actor,
        action="candidate_create" if creating else "candidate_update",
        unit=candidate.unit,
        pk=candidate.pk,
        name=candidate.full_name,
    )
    return candidate


def candidate_stage_refresh(candidate: Candidate) -> None:
    """Set ``candidate.stage`` (and the certificate it holds) from the events."""
    last = candidate.events.order_by("-dated", "-pk").first()
    candidate.stage = last.stage if last else Candidate._meta.get_field("stage").default
    candidate.save(update_fields=["stage", "updated_at"])


@transaction.atomic
def stage_event_record(
    *,
    actor: AbstractBaseUser | None,
    candidate: Candidate,
    stage: str,
    dated: date,
    document_number: str = "",
    note: str = "",
    **details: Any,
) -> StageEvent:
    """Record that ``candidate`` reached ``stage`` on ``dated``; the current stage follows."""
    event = StageEvent.objects.create(
        candidate=candidate,
        stage=stage,
        dated=dated,
        document_number=document_number,
        unit=candidate.unit,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    candidate_stage_refresh(candidate)
    audit_record(
        actor=actor,
        action="stage_event_record",
        unit=candidate.unit,
        pk=candidate.pk,
        stage=stage,
        dated=dated.isoformat(),
        **details,
    )
    return event


@transaction.atomic
def stage_event_delete(*, actor: AbstractBaseUser | None, event: StageEvent) -> None:
    """Remove an event recorded by mistake (e.g. a certificate withdrawn); the stage follows."""
    candidate = event.candidate
    audit_record(
        actor=actor,
        action="stage_event_delete",
        unit=candidate.unit,
        pk=candidate.pk,
        stage=event.stage,
        dated=event.dated.isoformat(),
    )
    event.delete()
    candidate_stage_refresh(candidate)
