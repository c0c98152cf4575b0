"""Lists of people uploaded as Excel, turned into candidates: every row checked first, then
all rows written or none.

The rows are read by ``candidates.people_xlsx.read_people`` (headers in their common variants,
dates, citizen IDs, formulas refused). Here each row is given its unit, matched to the
candidate it is — by citizen ID anywhere, else by name and date of birth within the unit —
and its values are copied on and validated. ``candidate_import`` is a cell's (or the Board's)
import of its candidates; ``training.imports`` builds a class's nominee list on the same
checks. Errors never name another unit or its people: an office may name only what it wrote.

The largest file the guarded opener takes (``documents.spreadsheets.MAX_ROWS``, 3,000 rows)
is checked and written within a few seconds: the people a file may be are looked up in one
query per few hundred rows (``selectors.candidate_same_people``), and the rows are written
in bulk (``plan_write``), every change still noted by the audit trail and claimed by the
import's one event per unit (docs/benchmarks.md, "Imports").
"""

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_record
from core.changes import bulk_create_audited, bulk_update_audited
from units.models import Unit
from units.selectors import unit_list, unit_match, user_can_change

from .choices import Category
from .models import Candidate
from .people_xlsx import CellError, PersonRow, SheetRead
from .selectors import (
    candidate_same_people,
    candidate_same_person,
    candidate_unit_choices,
    unit_category,
)
from .services import (
    DUPLICATE_CITIZEN_ID,
    DUPLICATE_NAME_AND_BIRTH,
    citizen_id_unusable,
    duplicate_attempt_record,
)

# Candidate fields an upload fills in: the PersonRow fields of the same name (the category
# has its own rule, see ``apply_row``).
ROW_FIELDS = tuple(
    f.name
    for f in dataclasses.fields(PersonRow)
    if f.name in {field.name for field in Candidate._meta.fields} and f.name != "category"
)
NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
WRITE_BATCH = 500  # rows per INSERT or UPDATE (Django makes them fewer on SQLite)
STATUS_LABELS = {
    NEW: gettext_lazy("New"),
    UPDATED: gettext_lazy("Updated"),
    UNCHANGED: gettext_lazy("Unchanged"),
}


class RowProblem(Exception):
    """Why one row cannot be taken; ``key`` is the PersonRow field of the column at fault."""

    def __init__(self, message: str, key: str = ""):
        super().__init__(message)
        self.message = message
        self.key = key


class CitizenIdElsewhere(RowProblem):
    """The row's citizen ID is on file at a unit the importer cannot see: they are told only
    that it cannot be used (``services.citizen_id_unusable``); the Board is alerted."""

    def __init__(self, holder: Candidate):
        super().__init__(citizen_id_unusable(), "citizen_id")
        self.holder = holder


@dataclass
class RowPlan:
    """One row that passed every check, and what writing it will do."""

    row: PersonRow
    unit: Unit
    candidate: Candidate  # with the row's values on it; not saved yet when new
    is_new: bool
    changes: list[str]  # the Candidate fields the row changes
    # Records of units the importer cannot see with the same name and date of birth: never
    # shown, only reported to the Board when the row is written.
    elsewhere: list[Candidate] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.is_new:
            return NEW
        return UPDATED if self.changes else UNCHANGED

    @property
    def changed(self) -> bool:
        return self.is_new or bool(self.changes)


@dataclass
class ImportOutcome:
    errors: list[CellError] = field(default_factory=list)
    plan: list[RowPlan] = field(default_factory=list)
    written: bool = False
    # (unit, holder, typed name) of each row refused by ``CitizenIdElsewhere``.
    elsewhere: list[tuple[Unit, Candidate, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def _count(self, status: str) -> int:
        return sum(item.status == status for item in self.plan)

    @property
    def created(self) -> int:
        return self._count(NEW)

    @property
    def updated(self) -> int:
        return self._count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)


def import_counts(outcome: ImportOutcome) -> str:
    """ "3 new people, 2 updated, 1 unchanged" """
    return _("%(created)s new people, %(updated)s updated, %(unchanged)s unchanged") % {
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
    }


def file_error(message: str) -> CellError:
    return CellError(row=0, column="", message=message)


# --- which unit ------------------------------------------------------------------------


class _System:
    """The command line without --user: it may import into every unit with candidates."""

    is_authenticated = True
    is_superuser = True
    pk = None


def import_units(*, user: AbstractBaseUser | None) -> list[Unit]:
    """The units with candidates whose candidates ``user`` may import, in tree order; every
    such unit when ``user`` is None (the command line, acting as the system)."""
    user = user if user is not None else _System()
    return [
        unit
        for unit in candidate_unit_choices(user=user).select_related("admission_unit")
        if user_can_change(user=user, unit=unit)
    ]


def unit_label_error(sheet: SheetRead, unit: Unit) -> CellError | None:
    """A file error when the title line "Đơn vị: …" names a unit other than ``unit``."""
    if not sheet.unit_label:
        return None
    matches = unit_match(name=sheet.unit_label)
    if not matches or unit in matches:
        return None
    return file_error(
        _(
            'The file is the list of "%(label)s", not of %(unit)s. Download the '
            "template from this page."
        )
        % {"label": sheet.unit_label, "unit": unit.name}
    )


def _unit_matcher() -> Callable[[str], list[Unit]]:
    """``unit_match`` that asks the database once per name written in the file, not once
    per row."""
    known: dict[str, list[Unit]] = {}

    def match(name: str) -> list[Unit]:
        if name not in known:
            known[name] = unit_match(name=name)
        return known[name]

    return match


def _unknown_unit(name: str) -> RowProblem:
    return RowProblem(
        _("No unit is called “%(name)s”; write the unit's name as in the template.")
        % {"name": name},
        "unit_name",
    )


def fixed_unit(unit: Unit) -> Callable[[PersonRow], Unit]:
    """Rows of ``unit``: a row whose "Đơn vị" names another unit is refused."""
    unit_match = _unit_matcher()

    def unit_of(row: PersonRow) -> Unit:
        if row.unit_name:
            matches = unit_match(row.unit_name)
            if not matches:
                raise _unknown_unit(row.unit_name)
            if unit not in matches:
                raise RowProblem(
                    _("This row is for another unit (%(name)s).") % {"name": row.unit_name},
                    "unit_name",
                )
        return unit

    return unit_of


def _named_units(sheet: SheetRead, allowed: list[Unit]) -> Callable[[PersonRow], Unit]:
    """Rows of the unit their "Đơn vị" column names, else of the title line's unit; only
    units in ``allowed``."""
    unit_match = _unit_matcher()

    def one(name: str, key: str) -> Unit:
        matches = unit_match(name)
        if not matches:
            raise _unknown_unit(name)
        if len(matches) > 1:
            raise RowProblem(
                _("“%(name)s” fits several units; write the unit's full name.") % {"name": name},
                key,
            )
        if matches[0] not in allowed:
            raise RowProblem(
                _(
                    "The candidates of “%(name)s” cannot be imported: it is not a unit with "
                    "candidates that you may change."
                )
                % {"name": name},
                key,
            )
        return matches[0]

    def unit_of(row: PersonRow) -> Unit:
        if row.unit_name:
            return one(row.unit_name, "unit_name")
        if sheet.unit_label:
            try:
                return one(sheet.unit_label, "")
            except RowProblem as problem:
                raise RowProblem(
                    _("The title line “Đơn vị: %(name)s”: %(problem)s")
                    % {"name": sheet.unit_label, "problem": problem.message}
                ) from None
        raise RowProblem(
            _("The row's unit is not known: fill in the “Đơn vị” column, or choose the unit."),
            "unit_name",
        )

    return unit_of


# --- which person ----------------------------------------------------------------------


Sees = Callable[[Candidate], bool]


def importer_sees(actor: AbstractBaseUser | None) -> Sees | None:
    """Whether the importer may see a record: whether it is of a unit they see, as
    ``candidate_list`` has it (the units read once, on the first question); None for the
    system (the command line without --user), which sees everything."""
    if actor is None:
        return None
    visible: set[int] | None = None

    def sees(candidate: Candidate) -> bool:
        nonlocal visible
        if visible is None:
            visible = set(unit_list(user=actor).values_list("pk", flat=True))
        return candidate.unit_id in visible

    return sees


def _person(row: PersonRow) -> tuple[str | None, str, date | None]:
    return row.citizen_id or None, f"{row.family_name} {row.given_name}", row.date_of_birth


def match_candidate(
    row: PersonRow,
    unit: Unit,
    *,
    sees: Sees | None = None,
    same: list[Candidate] | None = None,
) -> tuple[Candidate | None, list[Candidate]]:
    """The candidate of ``unit`` this row is (None for a new person), and everyone anywhere
    who may be the same person (``same``, when the caller looked them up already). A
    citizen ID of another unit's person is refused; of a person the importer cannot see
    (``sees``), without a word about them."""
    if same is None:
        citizen_id, name, born = _person(row)
        same = list(candidate_same_person(citizen_id=citizen_id, name=name, born=born))
    by_id = [c for c in same if row.citizen_id and c.citizen_id == row.citizen_id]
    if by_id:
        if by_id[0].unit_id != unit.pk:
            if sees is not None and not sees(by_id[0]):
                raise CitizenIdElsewhere(by_id[0])
            raise RowProblem(
                _(
                    "This citizen ID belongs to a person of another unit; contact the "
                    "Organization Board to transfer them to your unit."
                ),
                "citizen_id",
            )
        return by_id[0], same
    # The same name and date of birth, and no citizen ID that says otherwise.
    ours = [c for c in same if c.unit_id == unit.pk and not (c.citizen_id and row.citizen_id)]
    return (ours[0] if ours else None), same


def apply_row(candidate: Candidate, row: PersonRow, category: str) -> list[str]:
    """Copy the row's values onto ``candidate``; the names of the fields that changed."""
    changes = []
    for name in ROW_FIELDS:
        value = getattr(row, name)
        if value is None or (value == "" and name not in ("family_name", "given_name")):
            continue  # a blank or absent column keeps what is known
        if getattr(candidate, name) != value:
            setattr(candidate, name, value)
            changes.append(name)
    wanted = row.category or (candidate.category or category)
    if wanted != candidate.category:
        candidate.category = wanted
        changes.append("category")
    return changes


def column_header(sheet: SheetRead, name: str) -> str:
    if name in sheet.headers:
        return sheet.headers[name]
    labels = {f.name: str(f.verbose_name) for f in Candidate._meta.fields}
    return labels.get(name, "")


def _validation_errors(sheet: SheetRead, row: PersonRow, exc: ValidationError) -> list[CellError]:
    if not hasattr(exc, "error_dict"):
        return [CellError(row=row.row, column="", message=" ".join(exc.messages))]
    return [
        CellError(row=row.row, column=column_header(sheet, name), message=" ".join(messages))
        for name, messages in exc.message_dict.items()
    ]


class _SeenRows:
    """The people already met in the file: the same citizen ID, the same name and date of
    birth without a citizen ID that tells them apart, or the same candidate."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.names: dict[tuple, int] = {}
        self.names_without_id: dict[tuple, int] = {}
        self.candidates: dict[int, int] = {}

    def first(self, row: PersonRow, unit: Unit) -> int | None:
        name = (unit.pk, f"{row.family_name} {row.given_name}".lower(), row.date_of_birth)
        if row.citizen_id:
            found = self.ids.get(row.citizen_id) or self.names_without_id.get(name)
            self.ids.setdefault(row.citizen_id, row.row)
        else:
            found = self.names.get(name)
            self.names_without_id.setdefault(name, row.row)
        self.names.setdefault(name, row.row)
        return found

    def candidate(self, row: PersonRow, candidate: Candidate | None) -> int | None:
        if candidate is None:
            return None
        first = self.candidates.setdefault(candidate.pk, row.row)
        return None if first == row.row else first


def rows_check(
    outcome: ImportOutcome,
    sheet: SheetRead,
    *,
    unit_of: Callable[[PersonRow], Unit],
    check: Callable[[RowPlan, list[Candidate]], None] | None = None,
    prepare: Callable[[list[Candidate]], None] | None = None,
    sees: Sees | None = None,
) -> ImportOutcome:
    """Check every row of ``sheet`` that was read without error: its unit (``unit_of``), the
    same person twice in the file, the candidate it is (``match_candidate``), its values on that
    candidate, then ``check`` (each may raise ``RowProblem``). Adds the errors and the plan of
    the good rows to ``outcome``; writes nothing.

    The people the rows may be are looked up first, a few hundred rows a query, and handed
    to ``prepare`` (for ``check`` to read what it needs of them at once)."""
    if not sheet.rows and not outcome.errors:
        outcome.errors.append(file_error(_("The file has no rows of people.")))
    unread = {e.row for e in sheet.errors}
    rows = [row for row in sheet.rows if row.row not in unread]
    found = candidate_same_people([_person(row) for row in rows])
    if prepare is not None:
        prepare(list({c.pk: c for same in found for c in same}.values()))
    seen = _SeenRows()
    for row, same in zip(rows, found, strict=True):
        try:
            unit = unit_of(row)
            first = seen.first(row, unit)
            candidate, same = match_candidate(row, unit, sees=sees, same=same)
            first = first or seen.candidate(row, candidate)
            if first is not None:
                raise RowProblem(_("The same person as on row %(row)s.") % {"row": first})
            is_new = candidate is None
            candidate = candidate or Candidate(unit=unit)
            changes = apply_row(candidate, row, unit_category(unit) or Category.OTHER)
            try:
                # The citizen ID's uniqueness is what ``match_candidate`` decided (a row whose
                # ID is on file is that person, or is refused; twice in the file is refused
                # above), and the constraint on its digits is the field's own validator:
                # asking the database again for each row is what made big files slow.
                candidate.full_clean(
                    exclude=["unit"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                outcome.errors.extend(_validation_errors(sheet, row, exc))
                continue
            item = RowPlan(row=row, unit=unit, candidate=candidate, is_new=is_new, changes=changes)
            if sees is not None and is_new:
                item.elsewhere = [c for c in same if c.unit_id != unit.pk and not sees(c)]
            if check is not None:
                check(item, same)
        except RowProblem as problem:
            if isinstance(problem, CitizenIdElsewhere):
                name = f"{row.family_name} {row.given_name}".strip()
                outcome.elsewhere.append((unit, problem.holder, name))
            column = column_header(sheet, problem.key) if problem.key else ""
            outcome.errors.append(CellError(row=row.row, column=column, message=problem.message))
            continue
        outcome.plan.append(item)
    outcome.errors.sort(key=lambda e: e.row)  # stable: the file's column order within a row
    return outcome


# --- the candidate import --------------------------------------------------------------


def candidate_import(
    *,
    actor: AbstractBaseUser | None,
    sheet: SheetRead,
    unit: Unit | None = None,
    write: bool = False,
) -> ImportOutcome:
    """Check every row of an uploaded list of candidates; with ``write`` and no error, create
    or update them all in one transaction, else change nothing.

    The rows are of ``unit`` (a row naming another is refused), or without it of the unit
    their "Đơn vị" column or the title line names. ``actor`` None is the system (the command
    line), which may import into every unit with candidates."""
    outcome = ImportOutcome(errors=list(sheet.errors))
    allowed = import_units(user=actor)
    if unit is not None:
        if unit not in allowed:
            outcome.errors.insert(0, file_error(_("You may not change this unit's candidates.")))
            return outcome
        if problem := unit_label_error(sheet, unit):
            outcome.errors.insert(0, problem)
        unit_of = fixed_unit(unit)
    else:
        unit_of = _named_units(sheet, allowed)
    rows_check(outcome, sheet, unit_of=unit_of, sees=importer_sees(actor))
    if write and outcome.ok:
        _write(outcome, actor)
    duplicates_alert(actor=actor, outcome=outcome)
    return outcome


def duplicates_alert(*, actor: AbstractBaseUser | None, outcome: ImportOutcome) -> None:
    """Alert the Board of the rows that met records the importer cannot see: every citizen
    ID refused as on file elsewhere, and, once written, every new person with the name and
    date of birth of such a record (``services.duplicate_attempt_record``)."""
    for unit, holder, name in outcome.elsewhere:
        duplicate_attempt_record(
            actor=actor, unit=unit, other=holder, kind=DUPLICATE_CITIZEN_ID, name=name
        )
    if not outcome.written:
        return
    for item in outcome.plan:
        for other in item.elsewhere:
            duplicate_attempt_record(
                actor=actor,
                unit=item.unit,
                other=other,
                kind=DUPLICATE_NAME_AND_BIRTH,
                name=item.candidate.full_name,
            )


def plan_write(plan: list[RowPlan]) -> None:
    """Create the new candidates of ``plan`` and save the others' changes, in bulk: an
    INSERT per ``WRITE_BATCH`` new people, an UPDATE per batch of people with the same
    fields changed. ``core.changes`` notes every row's old and new values, for the caller's
    next audit event to claim. The rows were checked by ``rows_check``."""
    new = [item.candidate for item in plan if item.is_new]
    for candidate in new:
        candidate.tidy()
    bulk_create_audited(Candidate, new, batch_size=WRITE_BATCH)
    now = timezone.now()
    by_fields: dict[tuple[str, ...], list[Candidate]] = {}
    for item in plan:
        if item.is_new or not item.changes:
            continue
        item.candidate.tidy()
        item.candidate.updated_at = now
        names = {*item.changes, "updated_at"}
        if names & {"family_name", "given_name"}:
            names |= {"name_key", "sort_key"}
        by_fields.setdefault(tuple(sorted(names)), []).append(item.candidate)
    for names, candidates in by_fields.items():
        bulk_update_audited(candidates, names, batch_size=WRITE_BATCH)


def _write(outcome: ImportOutcome, actor: AbstractBaseUser | None) -> None:
    """Write the plan, one unit after the other, each with its ``candidate_import`` event;
    all or nothing."""
    try:
        with transaction.atomic():
            for unit in _units_of(outcome.plan):
                mine = [item for item in outcome.plan if item.unit == unit]
                plan_write(mine)
                audit_record(
                    actor=actor,
                    action="candidate_import",
                    unit=unit,
                    created=sum(item.status == NEW for item in mine),
                    updated=sum(item.status == UPDATED for item in mine),
                    unchanged=sum(item.status == UNCHANGED for item in mine),
                )
    except IntegrityError:  # someone saved a citizen ID of the file since the check
        outcome.errors.append(file_error(changed_meanwhile()))
        return
    outcome.written = True


def changed_meanwhile() -> str:
    return _(
        "Someone changed these people's records while the file was being imported; nothing "
        "was saved. Upload the file again."
    )


def _units_of(plan: Iterable[RowPlan]) -> list[Unit]:
    units: list[Unit] = []
    for item in plan:
        if item.unit not in units:
            units.append(item.unit)
    return units
