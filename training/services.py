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
from core import dates
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
from .rules import (
    ListChanges,
    ListState,
    capacity_problem,
    certificate_date_problem,
    certificate_number,
    list_change_problem,
    list_changes,
    result_attendance_problem,
    results_time_problem,
    session_attendance_problem,
)
from .selectors import class_places_taken, nominee_list_state


def _today() -> date:
    return dates.today()


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


def places_check(*, training_class: TrainingClass, adding: int) -> None:
    """Refuse (``ValidationError``) when ``adding`` more people would take more places than
    the class has (``TrainingClass.capacity``; without one there is no limit). Inside a
    transaction: the class's row is locked first (PostgreSQL), so that two lists taking the
    last places at once are counted one after the other."""
    if adding <= 0 or training_class.capacity is None:
        return
    capacity = (
        TrainingClass.objects.select_for_update()
        .values_list("capacity", flat=True)
        .get(pk=training_class.pk)
    )
    problem = capacity_problem(
        capacity=capacity, taken=class_places_taken(training_class), adding=adding
    )
    if problem:
        raise ValidationError(problem)


def nomination_problem(
    *,
    nominee_list: NomineeList,
    candidate: Candidate,
    in_round: list[Nomination] | None = None,
) -> str | None:
    """Why ``candidate`` cannot go on ``nominee_list``, or None. Names no other unit: the
    person may be on a list the user may not see. ``in_round``: the candidate's nominations
    in the class's round, when the caller has read them (an upload reads them for all its
    rows at once)."""
    if candidate.unit_id != nominee_list.unit_id:
        return _("This person belongs to another unit.")
    cls = nominee_list.training_class
    if in_round is None:
        in_round = list(
            Nomination.objects.filter(candidate=candidate, training_class__round_id=cls.round_id)
        )
    others = [
        n
        for n in in_round
        if n.nominee_list_id != nominee_list.pk and n.status != NominationStatus.RETURNED
    ]
    # Another unit's list for this class first: the more telling message.
    others.sort(key=lambda n: (n.training_class_id != cls.pk, n.pk))
    other = others[0] if others else None
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
    places_check(training_class=nominee_list.training_class, adding=1)
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
    *,
    actor: AbstractBaseUser | None,
    nominee_list: NomineeList,
    candidates: list[Candidate],
    today: date | None = None,
) -> list[Nomination]:
    """Put several candidates on the list, all or none: refused as a whole when they do not
    fit in the class (``places_check``), else with every person's problem at once."""
    _check_can_change(actor=actor, nominee_list=nominee_list, today=today)
    places_check(training_class=nominee_list.training_class, adding=len(candidates))
    added, problems = [], []
    for candidate in candidates:
        try:
            with transaction.atomic():
                added.append(
                    nominee_add(
                        actor=actor, nominee_list=nominee_list, candidate=candidate, today=today
                    )
                )
        except ValidationError as exc:
            problems.append(f"{candidate.full_name}: {' '.join(exc.messages)}")
    if problems:
        raise ValidationError(problems)
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
    # The people the Board returned take places again when they are sent again.
    places_check(
        training_class=nominee_list.training_class,
        adding=to_send.filter(status=NominationStatus.RETURNED).count(),
    )
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
    fresh = list(fresh)
    if accept:  # accepting people the Board returned puts them back in the class
        back: dict[int, int] = {}
        for n in fresh:
            if n.status == NominationStatus.RETURNED:
                back[n.training_class_id] = back.get(n.training_class_id, 0) + 1
        for n in fresh:
            if back.get(n.training_class_id):
                places_check(training_class=n.training_class, adding=back.pop(n.training_class_id))
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


@transaction.atomic
def nomination_resubmit(
    *, actor: AbstractBaseUser | None, nomination: Nomination, today: date | None = None
) -> None:
    """The unit sends one person the Board returned back for review, once their particulars
    are corrected, without resubmitting the rest of the list."""
    today = today or _today()
    nominee_list = nomination.nominee_list
    _check_can_change(actor=actor, nominee_list=nominee_list, today=today)
    if nomination.status != NominationStatus.RETURNED:
        raise ValidationError(
            _("%(name)s was not returned by the Organization Board; there is nothing to resend.")
            % {"name": nomination.candidate.full_name}
        )
    nomination.status = NominationStatus.PENDING
    nomination.nominated_on = today
    nomination.save(update_fields=["status", "nominated_on"])
    audit_record(
        actor=actor,
        action="nomination_resubmit",
        unit=nominee_list.unit,
        obj=nominee_list,
        pk=nomination.pk,
        candidate=nomination.candidate_id,
    )


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
    today: date | None = None,
) -> int:
    """Record who was at which session: ``present`` maps a session id to the ids of the
    accepted nominations present there; everyone else accepted was absent. A session still
    to come is left unrecorded, and refused if anyone is ticked present at it."""
    _check_board(actor)
    today = today or _today()
    sessions = {s.pk: s for s in training_class.sessions.all()}
    accepted = {n.pk: n for n in _accepted(training_class)}
    unknown = set(present) - set(sessions)
    if unknown:
        raise ValidationError(_("A session does not belong to this class."))
    problems = []
    for session_id in sorted(present, key=lambda pk: sessions[pk].dated):
        if set(present[session_id]) & set(accepted):
            day = sessions[session_id].dated
            if problem := session_attendance_problem(session_day=day, today=today):
                problems.append(problem)
    if problems:
        raise ValidationError(problems)
    changed = 0
    for session_id in present:
        if sessions[session_id].dated > today:
            continue  # nobody is present at it yet: nothing to record
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
    today: date | None = None,
) -> int:
    """Record each accepted nominee's result (passed, failed, absent), from the day of the
    class's last session on. A result must agree with the attendance recorded ("absent" for
    someone at no session, passed or failed for someone at one at least); every
    disagreement is reported at once. A result other than passed withdraws a certificate
    already issued."""
    _check_board(actor)
    accepted = {n.pk: n for n in _accepted(training_class)}
    for nomination_id, result in results.items():
        if nomination_id not in accepted:
            raise ValidationError(_("Results are recorded only for accepted nominees."))
        if result not in Result.values:
            raise ValidationError(_("Unknown result."))
    _results_check(training_class, accepted, results, today=today or _today())
    changed = 0
    for nomination_id, result in results.items():
        nomination = accepted[nomination_id]
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


def _results_check(
    training_class: TrainingClass,
    accepted: Mapping[int, Nomination],
    results: Mapping[int, str],
    *,
    today: date,
) -> None:
    """Refuse results recorded before the class ends, or disagreeing with the attendance
    (as recorded in this transaction), naming everyone concerned."""
    if any(result and accepted[pk].result != result for pk, result in results.items()):
        problem = results_time_problem(today=today, last_day=training_class.last_day)
        if problem:
            raise ValidationError(problem)
    counts: dict[int, list[int]] = {}
    for nomination_id, present in Attendance.objects.filter(
        nomination_id__in=list(results)
    ).values_list("nomination_id", "present"):
        tally = counts.setdefault(nomination_id, [0, 0])
        tally[0] += present
        tally[1] += 1
    problems = []
    for nomination in accepted.values():  # the roster's order
        if nomination.pk not in results:
            continue
        attended, recorded = counts.get(nomination.pk, (0, 0))
        problem = result_attendance_problem(
            name=nomination.candidate.full_name,
            result=results[nomination.pk],
            attended=attended,
            recorded=recorded,
        )
        if problem:
            problems.append(problem)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def class_record(
    *,
    actor: AbstractBaseUser | None,
    training_class: TrainingClass,
    present: Mapping[int, Iterable[int]],
    results: Mapping[int, str],
    today: date | None = None,
) -> None:
    """What the Board records during and after a class, all or nothing: attendance, results,
    and the class is under way from then on (a planned or open class moves to in progress)."""
    attendance_set(actor=actor, training_class=training_class, present=present, today=today)
    results_set(actor=actor, training_class=training_class, results=results, today=today)
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
    *,
    actor: AbstractBaseUser | None,
    training_class: TrainingClass,
    dated: date,
    today: date | None = None,
) -> int:
    """Give every passed nominee without a certificate one (form CN-NTVĐ), numbered on from
    the class's highest number in the order of the results list, dated ``dated``. Each
    candidate becomes "certified" on that date; the certificate is valid 60 months."""
    _check_board(actor)
    if not training_class.certificate_prefix:
        raise ValidationError(
            _("Set the class's certificate number prefix first (e.g. NTVĐ-2024/1-).")
        )
    problem = certificate_date_problem(
        dated=dated, today=today or _today(), last_day=training_class.last_day
    )
    if problem:
        raise ValidationError(problem)
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
