"""A unit's nominee list uploaded as Excel: every row checked first, then all or nothing.

The rows are checked by ``candidates.imports`` (read by ``candidates.people_xlsx.read_people``,
matched to the unit's candidates by citizen ID, or name and date of birth); here each row
must also be free to go on the list, and the good rows are added to it. Errors never name
another unit or its people.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from candidates.imports import (
    ImportOutcome,
    RowPlan,
    RowProblem,
    duplicates_alert,
    file_error,
    fixed_unit,
    importer_sees,
    rows_check,
    unit_label_error,
)
from candidates.models import Candidate
from candidates.people_xlsx import SheetRead
from candidates.services import candidate_save
from core.audit import audit_record

from .models import NomineeList
from .services import _check_can_change, _lock, nomination_problem, nominee_add


@dataclass
class NomineeImportOutcome(ImportOutcome):
    added: int = 0
    already: int = 0


def _nomination_check(nominee_list: NomineeList):
    """A row's person must be free to go on ``nominee_list``. A record of a unit the
    importer cannot see (``item.elsewhere``) is never mentioned: the Board is alerted when
    the row is written (``candidates.imports.duplicates_alert``) and sees both."""

    def check(item: RowPlan, same: list[Candidate]) -> None:
        if item.is_new:
            round_id = nominee_list.training_class.round_id
            hidden = {c.pk for c in item.elsewhere}
            for other in same:
                if (
                    other.unit_id != nominee_list.unit_id
                    and other.pk not in hidden
                    and other.nominations.filter(training_class__round_id=round_id).exists()
                ):
                    raise RowProblem(
                        _(
                            "A person with this name and date of birth is already nominated "
                            "by another unit in this round; give their citizen ID if they "
                            "are someone else."
                        )
                    )
        elif not nominee_list.nominations.filter(candidate=item.candidate).exists():
            problem = nomination_problem(nominee_list=nominee_list, candidate=item.candidate)
            if problem:
                raise RowProblem(problem)

    return check


@transaction.atomic
def nominee_list_import(
    *, actor: AbstractBaseUser, nominee_list: NomineeList, sheet: SheetRead
) -> NomineeImportOutcome:
    """Check every row of an uploaded list; when none has an error, add them all to the list
    (creating or updating the unit's candidates) in one transaction, else change nothing.
    The list is locked first: the rows are checked against the list and the unit's people as
    they are when the file is written, not as another upload or add found them."""
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
    rows_check(
        outcome,
        sheet,
        unit_of=fixed_unit(unit),
        check=_nomination_check(nominee_list),
        sees=importer_sees(actor),
    )
    if not outcome.ok:
        duplicates_alert(actor=actor, outcome=outcome)
        return outcome

    with transaction.atomic():
        for item in outcome.plan:
            candidate = item.candidate
            if item.changed:
                candidate_save(actor=actor, candidate=candidate)
            if not item.is_new and nominee_list.nominations.filter(candidate=candidate).exists():
                outcome.already += 1
                continue
            nominee_add(actor=actor, nominee_list=nominee_list, candidate=candidate)
            outcome.added += 1
        audit_record(
            actor=actor,
            action="nominee_list_import",
            unit=unit,
            pk=nominee_list.pk,
            added=outcome.added,
            created=outcome.created,
            updated=outcome.updated,
        )
    outcome.written = True
    duplicates_alert(actor=actor, outcome=outcome)
    return outcome
