"""A unit's nominee list uploaded as Excel: every row checked first, then all or nothing.

The rows are read by ``candidates.excel.read_people`` (headers in their common variants,
dates, citizen IDs, formulas refused). Here each row becomes a candidate of the list's unit
— the same person again when the citizen ID (or name and date of birth) matches one of the
unit's candidates — and goes on the list. Errors never name another unit or its people.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from candidates.choices import Category
from candidates.excel import CellError, PersonRow, SheetRead
from candidates.models import Candidate
from candidates.selectors import candidate_same_person, unit_category
from candidates.services import candidate_save
from units.selectors import unit_match
from units.services import audit_record

from .models import NomineeList
from .services import _check_can_change, nomination_problem, nominee_add

# Candidate fields an upload fills in, and the file's column they come from.
ROW_FIELDS = (
    "family_name",
    "given_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "religion",
    "citizen_id",
    "phone",
    "school_class",
    "youth_union_member",
    "trade_union_member",
)


@dataclass
class ImportOutcome:
    errors: list[CellError] = field(default_factory=list)
    added: int = 0
    already: int = 0
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _file_error(message: str) -> CellError:
    return CellError(row=0, column="", message=message)


def _match_candidate(row: PersonRow, nominee_list: NomineeList) -> tuple[Candidate | None, str]:
    """The unit's candidate this row is, or None for a new person; or an error."""
    name = f"{row.family_name} {row.given_name}"
    same = list(
        candidate_same_person(citizen_id=row.citizen_id or None, name=name, born=row.date_of_birth)
    )
    by_id = [c for c in same if row.citizen_id and c.citizen_id == row.citizen_id]
    if by_id:
        if by_id[0].unit_id != nominee_list.unit_id:
            return None, _("This citizen ID belongs to a person of another unit.")
        return by_id[0], ""
    ours = [c for c in same if c.unit_id == nominee_list.unit_id and not c.citizen_id]
    if ours:
        return ours[0], ""
    for other in same:
        if (
            other.unit_id != nominee_list.unit_id
            and other.nominations.filter(
                training_class__round_id=nominee_list.training_class.round_id
            ).exists()
        ):
            return None, _(
                "A person with this name and date of birth is already nominated by another "
                "unit in this round; give their citizen ID if they are someone else."
            )
    return None, ""


def _apply(candidate: Candidate, row: PersonRow, category: str) -> bool:
    """Copy the row's values onto ``candidate``; True when something changed."""
    changed = False
    for name in ROW_FIELDS:
        value = getattr(row, name)
        if value is None or (value == "" and name not in ("family_name", "given_name")):
            continue  # a blank or absent column keeps what is known
        if getattr(candidate, name) != value:
            setattr(candidate, name, value)
            changed = True
    if not candidate.category:
        candidate.category = row.category or category
        changed = True
    elif row.category and row.category != candidate.category:
        candidate.category = row.category
        changed = True
    return changed


def _row_validation_errors(candidate: Candidate, row: PersonRow) -> list[CellError]:
    try:
        candidate.full_clean(exclude=["unit"])
    except ValidationError as exc:
        labels = {f.name: str(f.verbose_name) for f in Candidate._meta.fields}
        return [
            CellError(row=row.row, column=labels.get(name, ""), message=" ".join(messages))
            for name, messages in exc.message_dict.items()
        ]
    return []


def nominee_list_import(
    *, actor: AbstractBaseUser, nominee_list: NomineeList, sheet: SheetRead
) -> ImportOutcome:
    """Check every row of an uploaded list; when none has an error, add them all to the list
    (creating or updating the unit's candidates) in one transaction, else change nothing."""
    outcome = ImportOutcome(errors=list(sheet.errors))
    try:
        _check_can_change(actor=actor, nominee_list=nominee_list)
    except ValidationError as exc:
        outcome.errors.insert(0, _file_error(" ".join(exc.messages)))
        return outcome
    unit = nominee_list.unit
    if sheet.unit_label:
        matches = unit_match(name=sheet.unit_label)
        if matches and unit not in matches:
            outcome.errors.insert(
                0,
                _file_error(
                    _(
                        'The file is the list of "%(label)s", not of %(unit)s. Download the '
                        "template from this page."
                    )
                    % {"label": sheet.unit_label, "unit": unit.name}
                ),
            )
    if not sheet.rows and not outcome.errors:
        outcome.errors.append(_file_error(_("The file has no rows of people.")))
    if outcome.errors and not sheet.rows:
        return outcome

    category = unit_category(unit) or Category.OTHER
    plan: list[tuple[PersonRow, Candidate, bool]] = []
    seen: dict[str, int] = {}
    for row in sheet.rows:
        if any(e.row == row.row for e in sheet.errors):
            continue
        keys = [f"id:{row.citizen_id}"] if row.citizen_id else []
        keys.append(f"name:{row.family_name} {row.given_name}|{row.date_of_birth}".lower())
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            outcome.errors.append(
                CellError(
                    row=row.row,
                    column="",
                    message=_("The same person as on row %(row)s.") % {"row": first},
                )
            )
            continue
        for key in keys:
            seen[key] = row.row
        if row.unit_name:
            matches = unit_match(name=row.unit_name)
            if unit not in matches:
                outcome.errors.append(
                    CellError(
                        row=row.row,
                        column=_("Unit"),
                        message=_("This row is for another unit (%(name)s).")
                        % {"name": row.unit_name},
                    )
                )
                continue
        candidate, problem = _match_candidate(row, nominee_list)
        if problem:
            outcome.errors.append(CellError(row=row.row, column="", message=problem))
            continue
        is_new = candidate is None
        candidate = candidate or Candidate(unit=unit)
        changed = _apply(candidate, row, category)
        row_errors = _row_validation_errors(candidate, row)
        if row_errors:
            outcome.errors.extend(row_errors)
            continue
        on_list = not is_new and nominee_list.nominations.filter(candidate=candidate).exists()
        if not is_new and not on_list:
            problem = nomination_problem(nominee_list=nominee_list, candidate=candidate)
            if problem:
                outcome.errors.append(CellError(row=row.row, column="", message=problem))
                continue
        plan.append((row, candidate, changed or is_new))
    if outcome.errors:
        outcome.errors.sort(key=lambda e: (e.row, e.column))
        return outcome

    with transaction.atomic():
        for _row, candidate, changed in plan:
            created = candidate.pk is None
            if changed:
                candidate_save(actor=actor, candidate=candidate)
                outcome.created += created
                outcome.updated += not created
            if not created and nominee_list.nominations.filter(candidate=candidate).exists():
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
    return outcome
