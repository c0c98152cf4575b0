"""A person's rows in the classes, for ``candidates.personal`` (export and erasure on
request): their nominations and attendance. Registered in ``TrainingConfig.ready``."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from candidates.personal import PersonRows, rows
from core.changes import update_audited

from .models import Attendance, Nomination

# The actions ``training.services`` records with ``pk`` = a nomination's id.
NOMINATION_ACTIONS = frozenset(
    {"nominee_add", "nominee_remove", "nomination_accept", "nomination_return"}
)


def _export(candidate) -> dict[str, list]:
    nominations = Nomination.objects.filter(candidate=candidate)
    return {
        "nominations": rows(nominations),
        "attendance": rows(Attendance.objects.filter(nomination__in=nominations)),
    }


def _audit(candidate) -> Q:
    pks = list(Nomination.objects.filter(candidate=candidate).values_list("pk", flat=True))
    return Q(action__in=NOMINATION_ACTIONS, details__pk__in=pks) if pks else Q(pk__in=[])


def _changes(candidate) -> Q:
    pks = Nomination.objects.filter(candidate=candidate).values_list("pk", flat=True)
    kind = ContentType.objects.get_for_model(Nomination)
    return Q(object_type=kind, object_id__in=[str(pk) for pk in pks])


def _erase(candidate) -> dict[str, int]:
    """The nominations stay (the classes' counts and certificates of past years), without
    the reason for returning, the note or the certificate's number."""
    changed = update_audited(
        Nomination.objects.filter(candidate=candidate).exclude(
            reason="", note="", certificate_number=""
        ),
        reason="",
        note="",
        certificate_number="",
    )
    return {"nominations": changed}


NOMINATION_ROWS = PersonRows(export=_export, audit=_audit, erase=_erase, changes=_changes)
