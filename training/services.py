"""The only code that changes classes, nominee lists, attendance and certificates.

Every function is one transaction, takes the acting user and writes an ``AuditEvent``.
Problems a user can fix raise ``ValidationError`` with a Vietnamese message.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.choices import Stage
from candidates.models import Candidate
from candidates.selectors import candidate_same_person
from candidates.services import (
    candidate_save,
    certificate_record,
    certificate_withdraw,
    name_and_birth_alert,
    stage_event_record,
    stage_events_remove,
)
from core.audit import audit_record
from core.changes import update_audited
from core.dates import dmy
from units.models import Unit
from units.selectors import user_can_change, user_is_board

from .choices import ClassStatus, ListStatus, NominationStatus, Result
from .class_services import class_delete as class_delete
from .class_services import class_save as class_save
from .class_services import class_status_set as class_status_set
from .class_services import session_delete as session_delete
from .class_services import session_save as session_save
from .models import Attendance, Nomination, NomineeList, TrainingClass
from .rules import ListChanges, ListState, certificate_number, list_change_problem, list_changes
from .selectors import nominee_list_state


def _today() -> date:
    return timezone.localdate()


# --- nominee lists -----------------------------------------------------------------------


def _check_can_change(*, actor, nominee_list: NomineeList, today: date | None = None) -> None:
    if not user_can_change(user=actor, unit=nominee_list.unit):
        raise ValidationError(_("You may not change this unit's list."))
    cls = nominee_list.training_class
    problem = list_change_problem(
        today=today or _today(),
        deadline=cls.nomination_deadline,
        class_status=cls.status,
        is_board=user_is_board(user=actor),
    )
    if problem:
        raise ValidationError(problem)


def _lock(nominee_list: NomineeList) -> None:
    """Lock the list's row until the end of the transaction (and read it again), so that the
    changes of one list (two people adding the same person, a submit and an add) happen one
    after the other; on SQLite the transaction began IMMEDIATE, which already makes writers
    take turns."""
    nominee_list.refresh_from_db(from_queryset=NomineeList.objects.select_for_update())


def _names(pks: list[int], shown: int = 5) -> str:
    """ "Lê Văn Nam, Trần Thị Hoa" — the first few, then how many more: "… (+12)"."""
    people = Candidate.objects.filter(pk__in=pks).order_by("sort_key", "pk")[:shown]
    text = ", ".join(c.full_name for c in people) or _("someone no longer on file")
    return f"{text} (+{len(pks) - shown})" if len(pks) > shown else text


def _changes_text(changes: ListChanges) -> str:
    parts = []
    if changes.added:
        parts.append(_("added %(names)s") % {"names": _names(changes.added)})
    if changes.removed:
        parts.append(_("took %(names)s off the list") % {"names": _names(changes.removed)})
    for status, pks in changes.restated.items():
        parts.append(
            _("%(names)s now “%(status)s”")
            % {"names": _names(pks), "status": NominationStatus(status).label}
        )
    if changes.status:
        parts.append(
            _("the list is now “%(status)s”") % {"status": ListStatus(changes.status).label}
        )
    return "; ".join(parts)


def _check_as_opened(nominee_list: NomineeList, opened_as: ListState | None) -> None:
    """Refuse an action on the whole list (submit it, accept or return everyone) when the
    list is no longer as the page that asked for it showed it: someone else added or took
    off people, the Board reviewed them, the list was submitted or returned. Call it with the
    list locked."""
    if opened_as is None:
        return
    changes = list_changes(opened_as, nominee_list_state(nominee_list))
    if changes:
        raise ValidationError(
            _(
                "Someone else changed this list after you opened it: %(changes)s. Check the "
                "list as it is now, then press the button again."
            )
            % {"changes": _changes_text(changes)},
            code="stale",
        )


@transaction.atomic
def nominee_list_open(
    *, actor: AbstractBaseUser | None, training_class: TrainingClass, unit: Unit
) -> NomineeList:
    """The unit's list for the class, created empty the first time."""
    nominee_list, created = NomineeList.objects.get_or_create(
        training_class=training_class, unit=unit
    )
    if created:
        audit_record(actor=actor, action="nominee_list_create", unit=unit, pk=nominee_list.pk)
    return nominee_list


def nomination_problem(*, nominee_list: NomineeList, candidate: Candidate) -> str | None:
    """Why ``candidate`` cannot go on ``nominee_list``, or None. Names no other unit: the
    person may be on a list the user may not see."""
    if candidate.unit_id != nominee_list.unit_id:
        return _("This person belongs to another unit.")
    cls = nominee_list.training_class
    other = (
        Nomination.objects.filter(candidate=candidate, training_class__round_id=cls.round_id)
        .exclude(nominee_list=nominee_list)
        .exclude(status=NominationStatus.RETURNED)
        .first()
    )
    if other is not None:
        if other.training_class_id == cls.pk:
            return _("This person is already on another unit's list for this class.")
        return _("This person is already nominated to another class of this round.")
    if candidate.certificate_date and candidate.stage not in (Stage.IDENTIFIED, Stage.NOMINATED):
        return _("This person already holds an awareness-class certificate (%(number)s).") % {
            "number": candidate.certificate_number or dmy(candidate.certificate_date)
        }
    return None


@transaction.atomic
def nominee_add(
    *,
    actor: AbstractBaseUser | None,
    nominee_list: NomineeList,
    candidate: Candidate,
    note: str = "",
    today: date | None = None,
) -> Nomination:
    """Put a candidate of the list's unit on the list (not yet submitted)."""
    _lock(nominee_list)
    _check_can_change(actor=actor, nominee_list=nominee_list, today=today)
    existing = nominee_list.nominations.filter(candidate=candidate).first()
    if existing is not None:
        raise ValidationError(_("This person is already on the list."))
    problem = nomination_problem(nominee_list=nominee_list, candidate=candidate)
    if problem:
        raise ValidationError(problem)
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                nominee_list=nominee_list,
                training_class=nominee_list.training_class,
                candidate=candidate,
                note=note,
            )
    except IntegrityError:  # put on another list of the class at the same instant
        raise ValidationError(_("This person is already on a list for this class.")) from None
    audit_record(
        actor=actor,
        action="nominee_add",
        unit=nominee_list.unit,
        pk=nomination.pk,
        candidate=candidate.pk,
    )
    return nomination


@transaction.atomic
def nominees_add(
    *, actor: AbstractBaseUser | None, nominee_list: NomineeList, candidates: Iterable[Candidate]
) -> int:
    """Put candidates on file on the list, all of them or none: the ``ValidationError`` has a
    line for each person refused. Returns how many were added."""
    errors, added = [], 0
    for candidate in candidates:
        try:
            with transaction.atomic():
                nominee_add(actor=actor, nominee_list=nominee_list, candidate=candidate)
        except ValidationError as exc:
            errors.append(f"{candidate.full_name}: {' '.join(exc.messages)}")
        else:
            added += 1
    if errors:
        raise ValidationError(errors)
    return added


@transaction.atomic
def nominee_add_new(
    *,
    actor: AbstractBaseUser | None,
    nominee_list: NomineeList,
    candidate: Candidate,
    today: date | None = None,
) -> Nomination:
    """Save a person typed in the browser as a new candidate of the list's unit and put them
    on the list; refused when the unit already has a person of that name and date of birth
    (two people typing the same person at once: the second is told the first added them)."""
    _lock(nominee_list)
    same = (
        candidate_same_person(
            citizen_id=None, name=candidate.full_name, born=candidate.date_of_birth
        )
        .filter(unit=nominee_list.unit_id)
        .first()
    )
    if same is not None and nominee_list.nominations.filter(candidate=same).exists():
        raise ValidationError(
            _("%(name)s, born %(born)s, is already on the list.")
            % {"name": same.full_name, "born": dmy(same.date_of_birth)}
        )
    if same is not None:
        raise ValidationError(
            _(
                "%(name)s, born %(born)s, is already on file at your unit: tick them under "
                "“Choose from the unit's candidates”."
            )
            % {"name": same.full_name, "born": dmy(same.date_of_birth)}
        )
    try:
        with transaction.atomic():
            candidate_save(actor=actor, candidate=candidate)
    except IntegrityError:  # the same citizen ID saved elsewhere at the same instant
        raise ValidationError(
            {"citizen_id": _("Someone else saved a person with this citizen ID just now.")}
        ) from None
    nomination = nominee_add(
        actor=actor, nominee_list=nominee_list, candidate=candidate, today=today
    )
    name_and_birth_alert(actor=actor, candidate=candidate)
    return nomination


@transaction.atomic
def nominee_remove(
    *, actor: AbstractBaseUser | None, nomination: Nomination, today: date | None = None
) -> None:
    """Take a person off the list. Accepted nominees are removed by the Board only."""
    nominee_list = nomination.nominee_list
    _lock(nominee_list)
    _check_can_change(actor=actor, nominee_list=nominee_list, today=today)
    nomination = Nomination.objects.filter(pk=nomination.pk).select_related("candidate").first()
    if nomination is None:
        raise ValidationError(_("This person is no longer on the list: someone took them off."))
    if nomination.status == NominationStatus.ACCEPTED and not user_is_board(user=actor):
        raise ValidationError(
            _("The Organization Board has accepted this person; ask them to remove them.")
        )
    if nomination.status == NominationStatus.ACCEPTED:
        _nominated_event_delete(actor=actor, nomination=nomination)
    pk = nomination.pk
    nomination.delete()
    audit_record(
        actor=actor,
        action="nominee_remove",
        unit=nominee_list.unit,
        obj=nominee_list,
        pk=pk,
        candidate=nomination.candidate_id,
    )


@transaction.atomic
def nominee_list_submit(
    *,
    actor: AbstractBaseUser | None,
    nominee_list: NomineeList,
    opened_as: ListState | None = None,
    today: date | None = None,
) -> int:
    """Send the list to the Board: every person not yet submitted, and every person returned
    and kept on the list, awaits review again. Returns how many were sent. With
    ``opened_as`` (the list as the user's page showed it), refused if it changed since."""
    today = today or _today()
    _lock(nominee_list)
    _check_can_change(actor=actor, nominee_list=nominee_list, today=today)
    _check_as_opened(nominee_list, opened_as)
    to_send = nominee_list.nominations.filter(
        status__in=[NominationStatus.DRAFT, NominationStatus.RETURNED]
    )
    if not nominee_list.nominations.exists():
        raise ValidationError(_("The list is empty: add at least one person before submitting."))
    sent = update_audited(to_send, status=NominationStatus.PENDING, nominated_on=today)
    nominee_list.status = ListStatus.SUBMITTED
    nominee_list.submitted_at = timezone.now()
    nominee_list.submitted_by = actor if getattr(actor, "pk", None) else None
    nominee_list.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit_record(
        actor=actor,
        action="nominee_list_submit",
        unit=nominee_list.unit,
        pk=nominee_list.pk,
        sent=sent,
    )
    return sent


def _check_board(actor) -> None:
    if not user_is_board(user=actor):
        raise ValidationError(_("Only the Organization Board reviews nominee lists."))


def _nominated_event_delete(*, actor, nomination: Nomination) -> None:
    stage_events_remove(
        actor=actor,
        candidate=nomination.candidate,
        stage=Stage.NOMINATED,
        note=_nominated_note(nomination),
    )


def _nominated_note(nomination: Nomination) -> str:
    return nomination.training_class.name


@transaction.atomic
def nominations_review(
    *,
    actor: AbstractBaseUser | None,
    nominations: Iterable[Nomination],
    accept: bool,
    reason: str = "",
) -> int:
    """The Board accepts, or returns with a reason the unit sees, one or more nominees.

    Accepting records the "nominated" stage in each candidate's history."""
    _check_board(actor)
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError(_("Write the reason for returning, for the unit to read."))
    now = timezone.now()
    done = 0
    fresh = (
        Nomination.objects.filter(pk__in=[n.pk for n in nominations])
        .select_related("candidate", "nominee_list__unit", "training_class")
        .select_for_update(of=("self",))  # two Board staff reviewing the same people
        .order_by("pk")
    )
    for nomination in fresh:
        if nomination.status == NominationStatus.DRAFT:
            continue  # not submitted: not the Board's to review
        if nomination.result:
            raise ValidationError(
                _("%(name)s already has a result; it can no longer be reviewed.")
                % {"name": nomination.candidate.full_name}
            )
        was_accepted = nomination.status == NominationStatus.ACCEPTED
        nomination.status = NominationStatus.ACCEPTED if accept else NominationStatus.RETURNED
        nomination.reason = "" if accept else reason
        nomination.reviewed_at = now
        nomination.reviewed_by = actor if getattr(actor, "pk", None) else None
        nomination.save(update_fields=["status", "reason", "reviewed_at", "reviewed_by"])
        if accept and not was_accepted:
            stage_event_record(
                actor=actor,
                candidate=nomination.candidate,
                stage=Stage.NOMINATED,
                dated=nomination.nominated_on or now.date(),
                note=_nominated_note(nomination),
            )
        elif was_accepted and not accept:
            _nominated_event_delete(actor=actor, nomination=nomination)
        audit_record(
            actor=actor,
            action="nomination_accept" if accept else "nomination_return",
            unit=nomination.nominee_list.unit,
            pk=nomination.pk,
            reason=reason,
        )
        done += 1
    return done


@transaction.atomic
def nominee_list_accept(
    *, actor: AbstractBaseUser | None, nominee_list: NomineeList, opened_as: ListState | None = None
) -> int:
    """The Board accepts everyone awaiting review on a list; how many. With ``opened_as``
    (the list as the Board's page showed it), refused if it changed since."""
    _check_board(actor)
    _lock(nominee_list)
    _check_as_opened(nominee_list, opened_as)
    pending = list(nominee_list.nominations.filter(status=NominationStatus.PENDING))
    return nominations_review(actor=actor, nominations=pending, accept=True)


@transaction.atomic
def nominee_list_return(
    *,
    actor: AbstractBaseUser | None,
    nominee_list: NomineeList,
    reason: str,
    opened_as: ListState | None = None,
) -> int:
    """The Board returns a whole list: everyone awaiting review is returned with the reason
    and the unit may correct and resubmit it. With ``opened_as`` (the list as the Board's
    page showed it), refused if it changed since."""
    _check_board(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Write the reason for returning, for the unit to read."))
    _lock(nominee_list)
    _check_as_opened(nominee_list, opened_as)
    pending = list(nominee_list.nominations.filter(status=NominationStatus.PENDING))
    returned = nominations_review(actor=actor, nominations=pending, accept=False, reason=reason)
    nominee_list.status = ListStatus.RETURNED
    nominee_list.returned_reason = reason
    nominee_list.save(update_fields=["status", "returned_reason", "updated_at"])
    audit_record(
        actor=actor, action="nominee_list_return", unit=nominee_list.unit, pk=nominee_list.pk
    )
    return returned


# --- during and after the class ----------------------------------------------------------


def _accepted(training_class: TrainingClass):
    return (
        Nomination.objects.filter(training_class=training_class, status=NominationStatus.ACCEPTED)
        .select_related("candidate", "nominee_list__unit")
        .order_by("candidate__sort_key", "candidate__date_of_birth", "pk")
    )


@transaction.atomic
def attendance_set(
    *,
    actor: AbstractBaseUser | None,
    training_class: TrainingClass,
    present: Mapping[int, Iterable[int]],
) -> int:
    """Record who was at which session: ``present`` maps a session id to the ids of the
    accepted nominations present there; everyone else accepted was absent."""
    _check_board(actor)
    sessions = {s.pk: s for s in training_class.sessions.all()}
    accepted = {n.pk: n for n in _accepted(training_class)}
    unknown = set(present) - set(sessions)
    if unknown:
        raise ValidationError(_("A session does not belong to this class."))
    changed = 0
    for session_id in present:
        here = set(present[session_id]) & set(accepted)
        for nomination_id in accepted:
            Attendance.objects.update_or_create(
                nomination_id=nomination_id,
                session_id=session_id,
                defaults={"present": nomination_id in here},
            )
            changed += 1
    audit_record(
        actor=actor,
        action="attendance_set",
        unit=training_class.organiser,
        pk=training_class.pk,
        sessions=sorted(present),
    )
    return changed


@transaction.atomic
def results_set(
    *,
    actor: AbstractBaseUser | None,
    training_class: TrainingClass,
    results: Mapping[int, str],
) -> int:
    """Record each accepted nominee's result (passed, failed, absent). A result other than
    passed withdraws a certificate already issued."""
    _check_board(actor)
    accepted = {n.pk: n for n in _accepted(training_class)}
    changed = 0
    for nomination_id, result in results.items():
        nomination = accepted.get(nomination_id)
        if nomination is None:
            raise ValidationError(_("Results are recorded only for accepted nominees."))
        if result not in Result.values:
            raise ValidationError(_("Unknown result."))
        if nomination.result == result:
            continue
        if nomination.certificate_number and result != Result.PASSED:
            _certificate_withdraw(actor=actor, nomination=nomination)
        nomination.result = result
        nomination.save(update_fields=["result", "certificate_number", "certificate_date"])
        changed += 1
    audit_record(
        actor=actor,
        action="results_set",
        unit=training_class.organiser,
        pk=training_class.pk,
        changed=changed,
    )
    return changed


@transaction.atomic
def class_record(
    *,
    actor: AbstractBaseUser | None,
    training_class: TrainingClass,
    present: Mapping[int, Iterable[int]],
    results: Mapping[int, str],
) -> None:
    """What the Board records during and after a class, all or nothing: attendance, results,
    and the class is under way from then on (a planned or open class moves to in progress)."""
    attendance_set(actor=actor, training_class=training_class, present=present)
    results_set(actor=actor, training_class=training_class, results=results)
    if training_class.status in (ClassStatus.PLANNED, ClassStatus.OPEN):
        class_status_set(actor=actor, training_class=training_class, status=ClassStatus.IN_PROGRESS)


def _certificate_withdraw(*, actor, nomination: Nomination) -> None:
    certificate_withdraw(
        actor=actor, candidate=nomination.candidate, number=nomination.certificate_number
    )
    nomination.certificate_number = ""
    nomination.certificate_date = None


@transaction.atomic
def certificates_issue(
    *, actor: AbstractBaseUser | None, training_class: TrainingClass, dated: date
) -> int:
    """Give every passed nominee without a certificate one (form CN-NTVĐ), numbered on from
    the class's highest number in the order of the results list, dated ``dated``. Each
    candidate becomes "certified" on that date; the certificate is valid 60 months."""
    _check_board(actor)
    if not training_class.certificate_prefix:
        raise ValidationError(
            _("Set the class's certificate number prefix first (e.g. NTVĐ-2024/1-).")
        )
    last_day = training_class.last_day
    if last_day and dated < last_day:
        raise ValidationError(
            _("Certificates are dated on or after the last session (%(day)s).")
            % {"day": dmy(last_day)}
        )
    passed = [n for n in _accepted(training_class) if n.result == Result.PASSED]
    taken = [n.certificate_number for n in passed if n.certificate_number]
    prefix = training_class.certificate_prefix
    sequence = max(
        (int(num[len(prefix) :]) for num in taken if num[len(prefix) :].isdigit()), default=0
    )
    issued = 0
    for nomination in passed:
        if nomination.certificate_number:
            continue
        sequence += 1
        nomination.certificate_number = certificate_number(prefix, sequence)
        nomination.certificate_date = dated
        nomination.save(update_fields=["certificate_number", "certificate_date"])
        certificate_record(
            actor=actor,
            candidate=nomination.candidate,
            number=nomination.certificate_number,
            dated=dated,
            note=training_class.name,
        )
        issued += 1
    if issued and training_class.status != ClassStatus.FINISHED:
        training_class.status = ClassStatus.FINISHED
        training_class.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="certificates_issue",
        unit=training_class.organiser,
        pk=training_class.pk,
        issued=issued,
    )
    return issued
