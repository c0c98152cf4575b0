"""Uploads written to the database: a unit's nominee list (below) and a class's results sheet
(``class_results_import``, the rows read by ``training.results_xlsx``). Every row is checked
first, then all or nothing.

A unit's nominee list uploaded as Excel:

The rows are checked by ``candidates.imports`` (read by ``candidates.people_xlsx.read_people``,
matched to the unit's candidates by citizen ID, or name and date of birth); here each row
must also be free to go on the list, the people to add must fit in the class (its
capacity), and the good rows are added to it. Errors never name another unit or its people.

The nominations of the round of every person the file may be are read at once, and the
people and their nominations are written in bulk (one audit event for the upload, which
claims every row's changes), so the largest file the opener takes is added in seconds.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from candidates.imports import (
    WRITE_BATCH,
    ImportOutcome,
    RowPlan,
    RowProblem,
    changed_meanwhile,
    duplicates_alert,
    file_error,
    fixed_unit,
    importer_sees,
    plan_write,
    rows_check,
    unit_label_error,
)
from candidates.models import Candidate
from candidates.people_xlsx import SheetRead
from core.audit import audit_record
from core.changes import bulk_create_audited

from .choices import NominationStatus
from .models import Attendance, Nomination, NomineeList, TrainingClass
from .results_xlsx import ResultsRead
from .services import (
    _check_can_change,
    _lock,
    class_record,
    nomination_problem,
    places_check,
)

READ_BATCH = 500  # candidates per query


@dataclass
class NomineeImportOutcome(ImportOutcome):
    added: int = 0
    already: int = 0


class _NominationCheck:
    """A row's person must be free to go on ``nominee_list``. A record of a unit the
    importer cannot see (``item.elsewhere``) is never mentioned: the Board is alerted when
    the row is written (``candidates.imports.duplicates_alert``) and sees both."""

    def __init__(self, nominee_list: NomineeList):
        self.nominee_list = nominee_list
        self.in_round: dict[int, list[Nomination]] = {}  # candidate id → nominations

    def prepare(self, candidates: list[Candidate]) -> None:
        """Read the nominations in the class's round of everyone the rows may be."""
        round_id = self.nominee_list.training_class.round_id
        pks = [c.pk for c in candidates]
        for start in range(0, len(pks), READ_BATCH):
            for n in Nomination.objects.filter(
                candidate_id__in=pks[start : start + READ_BATCH], training_class__round_id=round_id
            ).order_by("pk"):
                self.in_round.setdefault(n.candidate_id, []).append(n)

    def on_list(self, candidate: Candidate) -> bool:
        return any(
            n.nominee_list_id == self.nominee_list.pk for n in self.in_round.get(candidate.pk, ())
        )

    def __call__(self, item: RowPlan, same: list[Candidate]) -> None:
        nominee_list = self.nominee_list
        if item.is_new:
            hidden = {c.pk for c in item.elsewhere}
            for other in same:
                if (
                    other.unit_id != nominee_list.unit_id
                    and other.pk not in hidden
                    and self.in_round.get(other.pk)
                ):
                    raise RowProblem(
                        _(
                            "A person with this name and date of birth is already nominated "
                            "by another unit in this round; give their citizen ID if they "
                            "are someone else."
                        )
                    )
        elif not self.on_list(item.candidate):
            problem = nomination_problem(
                nominee_list=nominee_list,
                candidate=item.candidate,
                in_round=self.in_round.get(item.candidate.pk, []),
            )
            if problem:
                raise RowProblem(problem)


@transaction.atomic
def nominee_list_import(
    *, actor: AbstractBaseUser, nominee_list: NomineeList, sheet: SheetRead
) -> NomineeImportOutcome:
    """Check every row of an uploaded list; when none has an error and the people to add fit
    in the class, add them all to the list (creating or updating the unit's candidates) in
    one transaction, else change nothing. The list is locked first: the rows are checked
    against the list and the unit's people as they are when the file is written, not as
    another upload or add found them."""
    _lock(nominee_list)
    outcome = NomineeImportOutcome(errors=list(sheet.errors))
    try:
        _check_can_change(actor=actor, nominee_list=nominee_list)
    except ValidationError as exc:
        outcome.errors.insert(0, file_error(" ".join(exc.messages)))
        return outcome
    unit = nominee_list.unit
    if problem := unit_label_error(sheet, unit):
        outcome.errors.insert(0, problem)
    check = _NominationCheck(nominee_list)
    rows_check(
        outcome,
        sheet,
        unit_of=fixed_unit(unit),
        check=check,
        prepare=check.prepare,
        sees=importer_sees(actor),
    )
    if outcome.ok:
        _write(outcome, actor=actor, nominee_list=nominee_list, check=check)
    duplicates_alert(actor=actor, outcome=outcome)
    return outcome


def _write(
    outcome: NomineeImportOutcome,
    *,
    actor: AbstractBaseUser,
    nominee_list: NomineeList,
    check: _NominationCheck,
) -> None:
    adding = [item for item in outcome.plan if item.is_new or not check.on_list(item.candidate)]
    try:
        with transaction.atomic():
            places_check(training_class=nominee_list.training_class, adding=len(adding))
            plan_write(outcome.plan)
            bulk_create_audited(
                Nomination,
                [
                    Nomination(
                        nominee_list=nominee_list,
                        training_class=nominee_list.training_class,
                        candidate=item.candidate,
                    )
                    for item in adding
                ],
                batch_size=WRITE_BATCH,
            )
            outcome.added = len(adding)
            outcome.already = len(outcome.plan) - len(adding)
            audit_record(
                actor=actor,
                action="nominee_list_import",
                unit=nominee_list.unit,
                pk=nominee_list.pk,
                added=outcome.added,
                created=outcome.created,
                updated=outcome.updated,
            )
    except ValidationError as exc:  # too many for the class's places
        outcome.errors.append(file_error(" ".join(exc.messages)))
        outcome.added = outcome.already = 0
        return
    except IntegrityError:  # someone put one of these people on a list since the check
        outcome.errors.append(file_error(changed_meanwhile()))
        outcome.added = outcome.already = 0
        return
    outcome.written = True


# --- a class's attendance and results (``training.results_xlsx``) ----------------------------


def class_results_import(
    *,
    actor: AbstractBaseUser,
    training_class: TrainingClass,
    read: ResultsRead,
    today: date | None = None,
) -> None:
    """Write what a checked results sheet says, all or nothing (``class_record``: the same
    checks as the page). People left out of the file, and sessions without a column, keep
    what was recorded for them."""
    accepted = {n.pk for n in training_class.nominations.filter(status=NominationStatus.ACCEPTED)}
    in_file = set(read.results)
    kept = {
        session_id: set(
            Attendance.objects.filter(
                session_id=session_id, present=True, nomination_id__in=accepted - in_file
            ).values_list("nomination_id", flat=True)
        )
        for session_id in read.present
    }
    present = {sid: sorted(ids | kept[sid]) for sid, ids in read.present.items()}
    with transaction.atomic():
        class_record(
            actor=actor,
            training_class=training_class,
            present=present,
            results=read.results,
            today=today,
        )
        audit_record(
            actor=actor,
            action="results_import",
            unit=training_class.organiser,
            obj=training_class,
            rows=read.rows,
        )
