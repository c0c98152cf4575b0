"""The only code that changes candidates and their stage events.

Every function is one transaction, takes the acting user and writes an ``AuditEvent``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import dates
from core.audit import audit_record, delete_audited
from core.concurrency import OpenedAs, check_unchanged
from core.dates import dmy
from units.models import Unit
from units.selectors import user_can_change, user_decides_for

from .choices import FINAL, DocumentKind, Stage
from .models import (
    Candidate,
    CandidateDocument,
    DeadlineExtension,
    Introducer,
    Mentor,
    MentorComment,
    PapersRule,
    StageEvent,
)
from .pipeline import (
    StepFacts,
    committee_over,
    due_basis_fingerprint,
    full_member_from,
    step_problems,
)
from .rules import Blocked, ruleset_on
from .selectors import candidates_due_on


class StepRefused(Exception):
    """A step the rules do not allow; ``problems`` says which rule and why."""

    def __init__(self, problems: list[Blocked]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _today() -> date:
    return dates.today()


def _audit(actor, action: str, candidate: Candidate, **details: Any) -> None:
    audit_record(
        actor=actor, action=action, unit=candidate.unit, obj=candidate, pk=candidate.pk, **details
    )


def _holds_committee(actor, committee: Unit | None) -> bool:
    """Whether the actor holds an editing role at ``committee`` (or above it)."""
    from units.choices import EDITING_ROLES
    from units.selectors import role_assignment_list

    return committee is not None and any(
        ra.role in EDITING_ROLES and committee.path.startswith(ra.unit.path)
        for ra in role_assignment_list(user=actor)
    )


def _check_can_change(actor, candidate: Candidate) -> None:
    if not user_can_change(user=actor, unit=candidate.unit):
        raise PermissionDenied(_("You may not change this unit's candidates."))


@transaction.atomic
def candidate_save(
    *, actor: AbstractBaseUser | None, candidate: Candidate, opened_as: OpenedAs | None = None
) -> Candidate:
    """Create or update a candidate (validated, so the citizen ID is checked); with
    ``opened_as`` (the edit form's), refused if someone else changed it since."""
    check_unchanged(candidate, opened_as)
    creating = candidate.pk is None
    candidate.full_clean()
    candidate.save()
    audit_record(
        actor=actor,
        action="candidate_create" if creating else "candidate_update",
        unit=candidate.unit,
        obj=candidate,
        pk=candidate.pk,
        name=candidate.full_name,
    )
    return candidate


@transaction.atomic
def candidate_delete(*, actor: AbstractBaseUser | None, candidate: Candidate) -> None:
    """Delete a candidate entered by mistake, with their history (class lists protect them)."""
    name = candidate.full_name
    delete_audited(
        candidate, actor=actor, action="candidate_delete", unit=candidate.unit, name=name
    )


def candidate_stage_refresh(candidate: Candidate) -> None:
    """Set ``candidate.stage`` from the events: the stage of the latest one. A transfer is a
    move, not a step (the person goes on at the new unit), and after the ceremony the
    candidate is a probationary member."""
    last = candidate.events.exclude(stage=Stage.TRANSFERRED_OUT).order_by("-dated", "-pk").first()
    stage = last.stage if last else Candidate._meta.get_field("stage").default
    candidate.stage = Stage.PROBATIONARY if stage == Stage.CEREMONY else stage
    candidate.due_on = candidates_due_on([candidate]).get(candidate.pk)
    candidate.save(update_fields=["stage", "due_on", "updated_at"])


# --- due dates, counted once (``Candidate.due_on``) ----------------------------------------

DUE_BATCH = 2000  # candidates per pass when the due dates are counted again


def candidates_due_recount(*, batch: int = DUE_BATCH) -> int:
    """Count every stored due date again (the holiday calendar or the rules data changed);
    returns how many changed. Writes only the field, in batches: no audit event, as no one
    changed a candidate."""
    changed = 0
    last_pk = 0
    while True:
        chunk = list(
            Candidate.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "stage", "due_on")[:batch]
        )
        if not chunk:
            return changed
        last_pk = chunk[-1].pk
        dues = candidates_due_on(chunk)
        stale = [c for c in chunk if c.due_on != dues.get(c.pk)]
        for c in stale:
            c.due_on = dues.get(c.pk)
        Candidate.objects.bulk_update(stale, ["due_on"], batch_size=500)
        changed += len(stale)


def due_dates_check(**kwargs) -> int | None:
    """After ``migrate``: when the holiday calendar or the rules data are not those the due
    dates were counted with, count them again (``candidates_due_recount``) and remember
    the new basis. Returns how many changed, or None when nothing needed doing."""
    from .models import DueBasis

    fingerprint = due_basis_fingerprint()
    basis = DueBasis.objects.order_by("pk").first()
    if basis is not None and basis.fingerprint == fingerprint:
        return None
    with transaction.atomic():
        changed = candidates_due_recount()
        # Written without signals: the basis is bookkeeping, not a change anyone made.
        DueBasis.objects.all().delete()
        DueBasis.objects.bulk_create([DueBasis(fingerprint=fingerprint)])
    return changed


@transaction.atomic
def stage_event_record(
    *,
    actor: AbstractBaseUser | None,
    candidate: Candidate,
    stage: str,
    dated: date,
    document_number: str = "",
    note: str = "",
    votes_for: int | None = None,
    full_members: int | None = None,
    to_unit=None,
    rules: str = "",
    effective_on: date | None = None,
    **details: Any,
) -> StageEvent:
    """Record that ``candidate`` reached ``stage`` on ``dated``; the current stage follows.
    No checks: ``step_record`` checks the rules first."""
    event = StageEvent.objects.create(
        candidate=candidate,
        stage=stage,
        dated=dated,
        document_number=document_number.strip(),
        unit=candidate.unit,
        note=note.strip(),
        votes_for=votes_for,
        full_members=full_members,
        to_unit=to_unit,
        rules=rules,
        effective_on=effective_on,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    candidate_stage_refresh(candidate)
    audit_record(
        actor=actor,
        action="stage_event_record",
        unit=candidate.unit,
        obj=candidate,
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
    event.delete()
    candidate_stage_refresh(candidate)
    audit_record(
        actor=actor,
        action="stage_event_delete",
        unit=candidate.unit,
        obj=candidate,
        stage=event.stage,
        dated=event.dated.isoformat(),
    )


def _events_remove(candidate: Candidate, stage: str, **match: str) -> int:
    removed, _by_model = candidate.events.filter(stage=stage, **match).delete()
    candidate_stage_refresh(candidate)
    return removed


@transaction.atomic
def stage_events_remove(
    *, actor: AbstractBaseUser | None, candidate: Candidate, stage: str, note: str
) -> int:
    """Remove the ``stage`` events with this note that a class recorded and has taken back
    (a nominee no longer accepted); the stage follows. Returns how many went."""
    removed = _events_remove(candidate, stage, note=note)
    _audit(actor, "stage_events_remove", candidate, stage=stage, removed=removed)
    return removed


def _certificate_set(candidate: Candidate, number: str, dated: date | None) -> None:
    candidate.certificate_number, candidate.certificate_date = number, dated
    candidate.save(update_fields=["certificate_number", "certificate_date", "updated_at"])


@transaction.atomic
def certificate_record(
    *, actor: AbstractBaseUser | None, candidate: Candidate, number: str, dated: date, note: str
) -> StageEvent:
    """A class's certificate goes on the candidate, who becomes "certified" on its date.
    No checks: the class's services made them."""
    _certificate_set(candidate, number, dated)
    _audit(actor, "certificate_record", candidate, number=number, dated=dated)
    return stage_event_record(
        actor=actor,
        candidate=candidate,
        stage=Stage.CERTIFIED,
        dated=dated,
        document_number=number,
        note=note,
    )


@transaction.atomic
def certificate_withdraw(*, actor: AbstractBaseUser | None, candidate: Candidate, number: str):
    """Take back the certificate ``number``: its "certified" events go, and the candidate's
    certificate when it is this one; the stage follows."""
    if candidate.certificate_number == number:
        _certificate_set(candidate, "", None)
    _events_remove(candidate, Stage.CERTIFIED, document_number=number)
    _audit(actor, "certificate_withdraw", candidate, number=number)


@transaction.atomic
def step_record(
    *,
    actor: AbstractBaseUser,
    candidate: Candidate,
    stage: str,
    dated: date,
    document_number: str = "",
    note: str = "",
    votes_for: int | None = None,
    full_members: int | None = None,
    today: date | None = None,
) -> StageEvent:
    """Record the next step of ``candidate`` after checking it against the rules in force on
    ``dated``; raises ``StepRefused`` with every reason when they do not allow it."""
    _check_can_change(actor, candidate)
    facts = StepFacts(
        stage=stage,
        dated=dated,
        today=today or _today(),
        decides=user_decides_for(user=actor, unit=candidate.unit),
        committee=stage == Stage.COMMITTEE_RESOLUTION
        and _holds_committee(actor, committee_over(candidate.unit)),
        votes_for=votes_for,
        full_members=full_members,
        document_number=document_number,
    )
    problems = step_problems(candidate, facts)
    if problems:
        raise StepRefused(problems)
    if stage == Stage.BACKGROUND_VERIFIED:
        # The verification is a paper of the file: ticked off with the step's date, unless
        # the file already has one.
        CandidateDocument.objects.get_or_create(
            candidate=candidate,
            kind=DocumentKind.VERIFICATION,
            defaults={"dated": dated, "number": document_number.strip()},
        )
    return stage_event_record(
        actor=actor,
        candidate=candidate,
        stage=stage,
        dated=dated,
        document_number=document_number,
        note=note,
        votes_for=votes_for if stage == Stage.CELL_RESOLUTION else None,
        full_members=full_members if stage == Stage.CELL_RESOLUTION else None,
        rules=ruleset_on(dated).code,
        effective_on=full_member_from(candidate) if stage == Stage.FULL_MEMBER else None,
    )


@dataclass
class ManySteps:
    """What a step recorded for several candidates at once did."""

    recorded: list[StageEvent] = field(default_factory=list)
    refused: list[tuple[Candidate, list[Blocked]]] = field(default_factory=list)


def steps_record_many(
    *,
    actor: AbstractBaseUser,
    candidates: Iterable[Candidate],
    stage: str,
    dated: date,
    document_number: str = "",
    note: str = "",
    votes: dict[int, int] | None = None,
    full_members: int | None = None,
    today: date | None = None,
) -> ManySteps:
    """The same step (one cell resolution, one admission decision) for several candidates:
    each is checked on its own; those the rules allow are recorded, the others come back
    with their reasons and are left as they were. ``votes`` maps candidate pk to the votes
    in favour (cell resolutions vote on each person)."""
    outcome = ManySteps()
    for candidate in candidates:
        try:
            with transaction.atomic():
                event = step_record(
                    actor=actor,
                    candidate=candidate,
                    stage=stage,
                    dated=dated,
                    document_number=document_number,
                    note=note,
                    votes_for=(votes or {}).get(candidate.pk),
                    full_members=full_members,
                    today=today,
                )
        except StepRefused as refused:
            outcome.refused.append((candidate, refused.problems))
        else:
            outcome.recorded.append(event)
    return outcome


@transaction.atomic
def candidate_certify(
    *,
    actor: AbstractBaseUser,
    candidate: Candidate,
    number: str,
    dated: date,
    today: date | None = None,
) -> StageEvent:
    """A certificate from a class before the app (or another district's): its number and
    date go on the candidate and the step "certified" is recorded on that date."""
    _check_can_change(actor, candidate)
    _certificate_set(candidate, number.strip(), dated)
    return step_record(
        actor=actor,
        candidate=candidate,
        stage=Stage.CERTIFIED,
        dated=dated,
        document_number=number,
        today=today,
    )


@transaction.atomic
def candidate_transfer(
    *,
    actor: AbstractBaseUser,
    candidate: Candidate,
    to_unit: Unit,
    dated: date,
    document_number: str = "",
    note: str = "",
    today: date | None = None,
) -> StageEvent:
    """Move a candidate to another unit (a student who graduates, a worker who changes
    company). The whole history goes with them; the old unit keeps a "transferred out"
    event naming the new one, and the stage goes on where it was."""
    _check_can_change(actor, candidate)
    if candidate.stage in FINAL:
        raise ValidationError(_("The candidate's road has ended; there is nothing to move."))
    if to_unit.pk == candidate.unit_id:
        raise ValidationError(_("The candidate is already at this unit."))
    if to_unit.kind.is_committee or not (to_unit.kind.audience or to_unit.has_party_organisation):
        raise ValidationError(_("%(unit)s does not develop candidates.") % {"unit": to_unit})
    if dated > (today or _today()):
        raise ValidationError(_("The date is in the future."))
    from_unit = candidate.unit
    event = stage_event_record(
        actor=actor,
        candidate=candidate,
        stage=Stage.TRANSFERRED_OUT,
        dated=dated,
        document_number=document_number,
        note=note,
        to_unit=to_unit,
    )
    candidate.unit = to_unit
    candidate.save(update_fields=["unit", "updated_at"])
    audit_record(
        actor=actor,
        action="candidate_transfer",
        unit=from_unit,
        pk=candidate.pk,
        to_unit=to_unit.code,
    )
    return event


@transaction.atomic
def introducer_save(*, actor: AbstractBaseUser, introducer: Introducer) -> Introducer:
    _check_can_change(actor, introducer.candidate)
    introducer.full_clean()
    introducer.save()
    _audit(actor, "introducer_save", introducer.candidate, name=introducer.name)
    return introducer


@transaction.atomic
def introducer_delete(*, actor: AbstractBaseUser, introducer: Introducer) -> None:
    _check_can_change(actor, introducer.candidate)
    introducer.delete()
    _audit(actor, "introducer_delete", introducer.candidate, name=introducer.name)


@transaction.atomic
def document_set(
    *,
    actor: AbstractBaseUser,
    candidate: Candidate,
    kind: str,
    dated: date | None,
    number: str = "",
) -> CandidateDocument | None:
    """Tick off (or, without a date, un-tick) one paper of the file."""
    _check_can_change(actor, candidate)
    if dated is None:
        candidate.documents.filter(kind=kind).delete()
        document = None
    else:
        document, _created = CandidateDocument.objects.update_or_create(
            candidate=candidate, kind=kind, defaults={"dated": dated, "number": number.strip()}
        )
    _audit(actor, "document_set", candidate, kind=kind, dated=dated.isoformat() if dated else None)
    return document


def _check_not_future(dated: date, today: date | None) -> None:
    if dated > (today or _today()):
        raise ValidationError(_("The date %(day)s is in the future.") % {"day": dmy(dated)})


@transaction.atomic
def mentor_save(*, actor: AbstractBaseUser, mentor: Mentor, today: date | None = None) -> Mentor:
    """Assign (or correct) a full member who helps the candidate or the probationary
    member. A replacement for a mentor who moved is a new mentor; the old one is ended
    (``mentor_end``) and keeps their record."""
    _check_can_change(actor, mentor.candidate)
    _check_not_future(mentor.assigned_on, today)
    if mentor.ended_on is not None:
        _check_not_future(mentor.ended_on, today)
    if mentor.pk is not None:
        first = mentor.comments.order_by("dated").values_list("dated", flat=True).first()
        if first is not None and first < mentor.assigned_on:
            raise ValidationError(
                _("The mentor has a comment of %(day)s, before that assignment date.")
                % {"day": dmy(first)}
            )
    mentor.full_clean()
    mentor.save()
    _audit(
        actor,
        "mentor_save",
        mentor.candidate,
        name=mentor.name,
        phase=mentor.phase,
        assigned_on=mentor.assigned_on.isoformat(),
    )
    return mentor


@transaction.atomic
def mentor_end(
    *, actor: AbstractBaseUser, mentor: Mentor, ended_on: date, today: date | None = None
) -> Mentor:
    """The mentor stops helping (moved, replaced, or the help is over) on ``ended_on``; the
    record and its comments stay."""
    _check_can_change(actor, mentor.candidate)
    _check_not_future(ended_on, today)
    if ended_on < mentor.assigned_on:
        raise ValidationError(
            _("The mentor was assigned on %(day)s; they cannot end before that.")
            % {"day": dmy(mentor.assigned_on)}
        )
    mentor.ended_on = ended_on
    mentor.save(update_fields=["ended_on"])
    _audit(actor, "mentor_end", mentor.candidate, name=mentor.name, ended_on=ended_on.isoformat())
    return mentor


@transaction.atomic
def mentor_comment_add(
    *,
    actor: AbstractBaseUser,
    mentor: Mentor,
    dated: date,
    text: str,
    today: date | None = None,
) -> MentorComment:
    """Keep the mentor's comment of ``dated`` on the record (dated between the assignment
    and, for a mentor who has ended, the end)."""
    _check_can_change(actor, mentor.candidate)
    _check_not_future(dated, today)
    if dated < mentor.assigned_on:
        raise ValidationError(
            _("The comment of %(day)s is before the mentor was assigned, on %(assigned)s.")
            % {"day": dmy(dated), "assigned": dmy(mentor.assigned_on)}
        )
    if mentor.ended_on is not None and dated > mentor.ended_on:
        raise ValidationError(
            _("The comment of %(day)s is after the mentor stopped, on %(ended)s.")
            % {"day": dmy(dated), "ended": dmy(mentor.ended_on)}
        )
    comment = MentorComment(mentor=mentor, dated=dated, text=text.strip())
    comment.full_clean()
    comment.save()
    _audit(actor, "mentor_comment_add", mentor.candidate, name=mentor.name, dated=dated.isoformat())
    return comment


@transaction.atomic
def mentor_comment_delete(*, actor: AbstractBaseUser, comment: MentorComment) -> None:
    """Remove a comment entered by mistake."""
    candidate = comment.mentor.candidate
    _check_can_change(actor, candidate)
    comment.delete()
    _audit(
        actor,
        "mentor_comment_delete",
        candidate,
        name=comment.mentor.name,
        dated=comment.dated.isoformat(),
    )


def undo_problem(candidate: Candidate, last: StageEvent | None, *, decides: bool) -> str:
    """Why the latest step cannot be removed here ("" when it can)."""
    if last is None:
        return _("There is no step to remove.")
    by_class = (
        last.stage == Stage.CERTIFIED
        and last.document_number
        and candidate.nominations.filter(certificate_number=last.document_number).exists()
    )
    if last.stage == Stage.NOMINATED or by_class:
        return _("Class steps are changed on the class pages.")
    if last.stage == Stage.TRANSFERRED_OUT:
        return _("A transfer is undone by transferring the candidate back.")
    if last.stage == Stage.ADMISSION_DECISION and not decides:
        return _("Only the staff of the committee that decided it remove an admission decision.")
    return ""


@transaction.atomic
def step_undo(*, actor: AbstractBaseUser, candidate: Candidate) -> StageEvent:
    """Remove the latest step recorded by mistake. Class steps (nominated, certified by a
    class) are changed on the class pages; an admission decision only by the staff of the
    committee that decides it."""
    _check_can_change(actor, candidate)
    last = candidate.events.order_by("-dated", "-pk").first()
    problem = undo_problem(
        candidate, last, decides=user_decides_for(user=actor, unit=candidate.unit)
    )
    if problem:
        raise ValidationError(problem)
    stage_event_delete(actor=actor, event=last)
    if last.stage == Stage.CERTIFIED and candidate.certificate_number == last.document_number:
        _certificate_set(candidate, "", None)
    return last


def board_units(*, user) -> list[Unit]:
    """The units at which the user holds a Board role (their settings are the Board's)."""
    from units.choices import Role
    from units.selectors import role_assignment_list

    return [ra.unit for ra in role_assignment_list(user=user) if ra.role == Role.BOARD]


@transaction.atomic
def papers_rule_set(*, actor: AbstractBaseUser, unit: Unit, paper_files_only: bool) -> PapersRule:
    """The Board of ``unit`` says whether missing papers refuse a cell resolution under it
    or only warn (an office that keeps paper files only)."""
    if not (
        getattr(actor, "is_superuser", False)
        or any(unit.path.startswith(held.path) for held in board_units(user=actor))
    ):
        raise PermissionDenied(_("Only the Board of this unit changes its settings."))
    rule, _created = PapersRule.objects.update_or_create(
        unit=unit, defaults={"paper_files_only": paper_files_only}
    )
    audit_record(
        actor=actor, action="papers_rule_set", unit=unit, paper_files_only=paper_files_only
    )
    return rule


@transaction.atomic
def deadline_extend(
    *,
    actor: AbstractBaseUser,
    candidate: Candidate,
    working_days: int,
    reason: str,
    dated: date,
    document_number: str = "",
    today: date | None = None,
) -> DeadlineExtension:
    """The deciding committee extends the deadline of the admission decision of a candidate
    whose cell has resolved, by at most the working days the rules of the resolution's day
    allow (all extensions of that resolution together); the due date moves with it."""
    from .pipeline import last_resolution_date

    if not user_decides_for(user=actor, unit=candidate.unit):
        raise PermissionDenied(_("Only the committee that decides the admission extends it."))
    since = last_resolution_date(candidate)
    if candidate.stage not in (Stage.CELL_RESOLUTION, Stage.COMMITTEE_RESOLUTION) or not since:
        raise ValidationError(
            _("Only the deadline of an admission decision the cell has asked for is extended.")
        )
    rules = ruleset_on(since)
    allowed = rules.decision_extension_working_days
    used = sum(candidate.extensions.filter(since=since).values_list("working_days", flat=True))
    errors = []
    if not reason.strip():
        errors.append(_("Give the reason: an extension is for a special case."))
    if working_days < 1:
        errors.append(_("An extension is at least one working day."))
    elif used + working_days > allowed:
        errors.append(
            _(
                "%(clause)s allows at most %(allowed)s working days of extension; "
                "%(used)s are already given."
            )
            % {
                "clause": rules.clause("decision_extension_working_days"),
                "allowed": allowed,
                "used": used,
            }  # fmt: skip
        )
    if dated > (today or _today()):
        errors.append(_("The date %(day)s is in the future.") % {"day": dmy(dated)})
    elif dated < since:
        errors.append(
            _("The date %(day)s is before the cell resolution of %(since)s.")
            % {"day": dmy(dated), "since": dmy(since)}
        )
    if errors:
        raise ValidationError(errors)
    extension = DeadlineExtension.objects.create(
        candidate=candidate,
        since=since,
        working_days=working_days,
        reason=reason.strip(),
        document_number=document_number.strip(),
        dated=dated,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    candidate.due_on = candidates_due_on([candidate]).get(candidate.pk)
    candidate.save(update_fields=["due_on", "updated_at"])
    _audit(actor, "deadline_extend", candidate, working_days=working_days, since=since.isoformat())
    return extension


# --- personal data: who saw a citizen ID, who tried one of another unit ------------------


def citizen_id_reveal(*, actor: AbstractBaseUser, candidate: Candidate) -> str:
    """The candidate's full citizen ID for a user who keeps the unit's files (the standing
    office never may: ``PermissionDenied``); every reveal is recorded."""
    from units.selectors import user_sees_personal_data

    if not user_sees_personal_data(user=actor, unit=candidate.unit):
        raise PermissionDenied(_("You may not see this person's citizen ID."))
    audit_record(actor=actor, action="citizen_id_show", unit=candidate.unit, obj=candidate)
    return candidate.citizen_id or ""


def personal_data_download_record(
    *, actor: AbstractBaseUser, file: str, people: int, unit: Unit | None = None, **details: Any
) -> None:
    """Record a download of a file with people's personal data (``file`` names the list: the
    candidate list, the unit's import template, a class's nominee template, …)."""
    audit_record(
        actor=actor,
        action="personal_data_download",
        unit=unit,
        file=file,
        people=people,
        **details,
    )


def citizen_id_unusable() -> str:
    """What a user is told of a citizen ID on file at a unit they cannot see: nothing about
    that unit or person (``docs/security.md`` 8)."""
    return _("This citizen ID cannot be used here; contact the Organization Board.")


DUPLICATE_CITIZEN_ID = "citizen_id"
DUPLICATE_NAME_AND_BIRTH = "name_and_birth"


def duplicate_attempt_record(
    *,
    actor: AbstractBaseUser | None,
    unit: Unit,
    other: Candidate,
    kind: str,
    name: str = "",
) -> None:
    """Alert the Board: someone of ``unit`` typed or uploaded a person who may be ``other``,
    a record of a unit they cannot see (``kind``: the same citizen ID, refused; or the same
    name and date of birth, let through). The Board's "possible duplicates" page lists these
    rows with both records; the user was told nothing about ``other``."""
    audit_record(
        actor=actor,
        action="duplicate_attempt",
        unit=unit,
        obj=other,
        kind=kind,
        other_unit=other.unit_id,
        name=name,
    )


def citizen_id_check(*, actor: AbstractBaseUser, candidate: Candidate) -> str | None:
    """Why ``candidate`` (about to be saved) may not have its citizen ID, or None. Of a
    record the actor cannot see nothing is said but that the number cannot be used, and
    the Board is alerted (``duplicate_attempt``); a record the actor sees is named."""
    from .selectors import candidate_list, citizen_id_holder

    holder = citizen_id_holder(citizen_id=candidate.citizen_id, exclude_pk=candidate.pk)
    if holder is None:
        return None
    if not candidate_list(user=actor).filter(pk=holder.pk).exists():
        duplicate_attempt_record(
            actor=actor,
            unit=candidate.unit,
            other=holder,
            kind=DUPLICATE_CITIZEN_ID,
            name=candidate.full_name,
        )
        return citizen_id_unusable()
    if holder.unit_id == candidate.unit_id:
        return _("This citizen ID is already on file at your unit: %(name)s.") % {
            "name": holder.full_name
        }
    return _(
        "This citizen ID is already on file for %(name)s at %(unit)s. If they moved here, "
        "transfer them from their page."
    ) % {"name": holder.full_name, "unit": holder.unit.name}


def name_and_birth_alert(*, actor: AbstractBaseUser, candidate: Candidate) -> int:
    """Alert the Board, silently, of the records of units the actor cannot see with the
    saved candidate's name and date of birth; how many."""
    from .selectors import name_birth_elsewhere

    others = name_birth_elsewhere(
        user=actor, name=candidate.full_name, born=candidate.date_of_birth, exclude_pk=candidate.pk
    )
    for other in others:
        duplicate_attempt_record(
            actor=actor,
            unit=candidate.unit,
            other=other,
            kind=DUPLICATE_NAME_AND_BIRTH,
            name=candidate.full_name,
        )
    return len(others)
