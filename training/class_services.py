"""The only code that changes classes and their sessions (``training.services`` re-exports
it with the lists, attendance and certificates).

Every function is one transaction, takes the acting user and writes an ``AuditEvent``.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record, delete_audited
from core.concurrency import OpenedAs, check_unchanged
from core.dates import dmy

from .choices import ClassStatus
from .models import ClassSession, TrainingClass


@transaction.atomic
def class_save(
    *,
    actor: AbstractBaseUser | None,
    training_class: TrainingClass,
    session_dates: Iterable[date] | None = None,
    opened_as: OpenedAs | None = None,
) -> TrainingClass:
    """Create or update a class; with ``session_dates``, its sessions become those days
    (sessions with attendance already recorded are kept); with ``opened_as`` (the edit
    form's), refused if someone else changed it since."""
    check_unchanged(training_class, opened_as)
    creating = training_class.pk is None
    if training_class.round_id and training_class.round.plan_id != training_class.plan_id:
        raise ValidationError({"round": _("The round belongs to another plan.")})
    training_class.full_clean()
    training_class.save()
    if session_dates is not None:
        wanted = sorted(set(session_dates))
        if not wanted:
            raise ValidationError({"sessions": _("A class has at least one session.")})
        existing = {s.dated: s for s in training_class.sessions.all()}
        for day, session in existing.items():
            if day not in wanted:
                if session.attendance.exists():
                    raise ValidationError(
                        {
                            "sessions": _(
                                "Attendance was recorded on %(day)s; that session cannot be "
                                "removed."
                            )
                            % {"day": dmy(day)}
                        }
                    )
                session.delete()
        for day in wanted:
            if day not in existing:
                ClassSession.objects.create(training_class=training_class, dated=day)
    audit_record(
        actor=actor,
        action="class_create" if creating else "class_update",
        unit=training_class.organiser,
        pk=training_class.pk,
        name=training_class.name,
    )
    return training_class


@transaction.atomic
def class_delete(*, actor: AbstractBaseUser | None, training_class: TrainingClass) -> None:
    """Delete a class with its sessions and lists."""
    delete_audited(
        training_class, actor=actor, action="class_delete", unit=training_class.organiser
    )


@transaction.atomic
def class_status_set(
    *, actor: AbstractBaseUser | None, training_class: TrainingClass, status: str
) -> bool:
    """Set the class's status (planned, open, in progress, finished); returns whether it changed."""
    if status not in ClassStatus.values:
        raise ValueError(f"unknown class status {status!r}")
    if training_class.status == status:
        return False
    training_class.status = status
    training_class.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="class_status_set",
        unit=training_class.organiser,
        obj=training_class,
        status=status,
    )
    return True


@transaction.atomic
def session_save(*, actor: AbstractBaseUser | None, session: ClassSession) -> ClassSession:
    """Create or change one day of a class."""
    creating = session._state.adding
    session.full_clean()
    session.save()
    cls = session.training_class
    action = "session_create" if creating else "session_update"
    audit_record(actor=actor, action=action, unit=cls.organiser, obj=session, dated=session.dated)
    return session


@transaction.atomic
def session_delete(*, actor: AbstractBaseUser | None, session: ClassSession) -> None:
    """Delete one day of a class, with the attendance recorded on it."""
    cls = session.training_class
    delete_audited(
        session, actor=actor, action="session_delete", unit=cls.organiser, dated=session.dated
    )
