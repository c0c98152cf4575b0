"""One row of a list of people, read field by field: each column the file has goes through
its own small reader, which stores what it found and records every problem with the key of
the column it is about (None for the row as a whole). No ORM.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from ..choices import Sex
from ..rules import citizen_id_normalise, citizen_id_problems
from .values import (
    Value,
    as_text,
    digits_of_number,
    name_problem,
    parse_bool,
    parse_category,
    parse_date,
    parse_sex,
    parse_year,
    turned_into_date,
)

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


@dataclass
class RowRead:
    """A row being read. ``values`` holds the cells of the columns the file has, by key;
    ``sex_headers`` the headers as written of the "Nam" / "Nữ" columns, when the file writes
    the sex that way. ``found`` collects PersonRow fields; ``problems`` (key, message)."""

    values: dict[str, Value]
    sex_headers: dict[str, str] = field(default_factory=dict)
    found: dict[str, object] = field(default_factory=dict)
    problems: list[tuple[str | None, str]] = field(default_factory=list)
    flagged: set[str] = field(default_factory=set)  # columns that already have a problem

    def error(self, key: str | None, message: str) -> None:
        if key is not None:
            self.flagged.add(key)
        self.problems.append((key, message))

    def value(self, key: str):
        return self.values[key].value if key in self.values else None

    def text(self, key: str) -> str:
        return as_text(self.value(key))


def read_fields(values: dict[str, Value], *, sex_headers: dict[str, str]) -> RowRead:
    """The PersonRow fields of one row and every problem found in it."""
    row = RowRead(values, sex_headers)
    for key, value in values.items():
        if value.problem:
            row.error(key, value.problem)
    _names(row)
    date_source = _sex_column(row) if "sex" in values else _sex_marks(row)
    if date_source:
        _date_of_birth(row, date_source)
    for key, reader in FIELD_READERS.items():
        if key in values:
            reader(row, key)
    return row


# --- names -------------------------------------------------------------------------------


def _names(row: RowRead) -> None:
    if "full_name" in row.values:
        _full_name(row)
        return
    _name(row, "family_name", _("The family name is missing."))
    _name(row, "given_name", _("The given name is missing."))


def _full_name(row: RowRead) -> None:
    full = row.text("full_name")
    if not full:
        if "full_name" not in row.flagged:
            row.error("full_name", _("The name is missing."))
    elif problem := name_problem(full):
        row.error("full_name", problem)
    else:
        family, _space, given = full.rpartition(" ")
        if family:
            row.found.update(family_name=family, given_name=given)
        else:
            row.error(
                "full_name",
                _("“%(value)s” has one word; write the family name and the given name.")
                % {"value": full},
            )


def _name(row: RowRead, key: str, missing: str) -> None:
    name = row.text(key)
    if not name:
        if key not in row.flagged:
            row.error(key, missing)
    elif problem := name_problem(name):
        row.error(key, problem)
    else:
        row.found[key] = name


# --- sex and date of birth -----------------------------------------------------------------


def _sex_column(row: RowRead) -> str:
    """The sex from its own column; answers the column of the birth date."""
    sex = row.value("sex")
    if sex is not None:
        row.found["sex"], problem = parse_sex(sex)
        if problem:
            row.error("sex", problem)
    elif "sex" not in row.flagged:
        row.error("sex", _("The sex is missing."))
    return "date_of_birth" if "date_of_birth" in row.values else ""


def _sex_marks(row: RowRead) -> str:
    """The sex from the "Nam" / "Nữ" columns; answers the column that holds the birth date
    ("" when none can be read)."""
    names = row.sex_headers
    date_source = "date_of_birth" if "date_of_birth" in row.values else None
    marked = [key for key in ("male", "female") if not row.values[key].blank]
    if len(marked) == 1:
        return _one_mark(row, marked[0], date_source)
    if marked:
        row.error(None, _("Both “%(male)s” and “%(female)s” are marked; mark only one.") % names)
        return date_source or ""
    if date_source is None:
        row.error(None, _date_under_sex(names))
        return ""
    row.error(None, _("The sex is missing: mark “%(male)s” or “%(female)s” with x.") % names)
    return date_source


def _one_mark(row: RowRead, key: str, date_source: str | None) -> str:
    row.found["sex"] = Sex.MALE.value if key == "male" else Sex.FEMALE.value
    mark = row.values[key].value
    # The classic form writes the birth date itself under "Nam" or "Nữ".
    holds_date = mark is not None and parse_bool(mark)[0] is not True
    if date_source is None:
        if holds_date or mark is None:
            return key
        row.error(key, _date_under_sex(row.sex_headers))
        return ""
    if row.value("date_of_birth") is None and holds_date:
        return key
    return date_source


def _date_under_sex(names: dict[str, str]) -> str:
    return _("The date of birth is missing: write it under “%(male)s” or “%(female)s”.") % names


def _date_of_birth(row: RowRead, source: str) -> None:
    born = row.value(source)
    if born is None:
        if source not in row.flagged:
            row.error(source, _("The date of birth is missing."))
        return
    row.found["date_of_birth"], problem = parse_date(born)
    if problem:
        row.error(source, problem)


# --- the other columns ---------------------------------------------------------------------


def _text(row: RowRead, key: str) -> None:
    row.found[key] = row.text(key)


def _school_class(row: RowRead, key: str) -> None:
    value = row.value(key)
    if isinstance(value, datetime | date):
        row.error(key, turned_into_date(value))
    else:
        row.found[key] = as_text(value)


def _parsed(parse: Callable[[object], tuple[object, str]]) -> Callable[[RowRead, str], None]:
    """A reader that stores ``parse`` of the cell unless it is blank."""

    def read(row: RowRead, key: str) -> None:
        value = row.value(key)
        if value is not None:
            row.found[key], problem = parse(value)
            if problem:
                row.error(key, problem)

    return read


def _membership(row: RowRead, key: str) -> None:
    row.found[key], problem = parse_bool(row.value(key))
    if problem:
        row.error(key, problem)


def _phone(row: RowRead, key: str) -> None:
    value = row.value(key)
    if isinstance(value, datetime | date):
        row.error(key, turned_into_date(value))
        return
    digits = digits_of_number(value)
    phone = digits if digits is not None else as_text(value)
    if digits is None and phone and _PHONE_SEPARATORS.sub("", phone).isdigit():
        phone = _PHONE_SEPARATORS.sub("", phone)
    if phone.isdigit() and len(phone) == 9:
        phone = "0" + phone  # Excel dropped the leading zero
    row.found[key] = phone


def _citizen_id(row: RowRead, key: str) -> None:
    value = row.value(key)
    if isinstance(value, datetime | date):
        row.error(key, turned_into_date(value))
        return
    if value is None:
        return
    digits = digits_of_number(value)
    if digits is not None and len(digits) == 11:
        digits = "0" + digits  # Excel dropped the leading zero of a 12-digit ID
    citizen_id = citizen_id_normalise(digits if digits is not None else as_text(value))
    row.found[key] = citizen_id
    born = row.found.get("date_of_birth")
    for problem in citizen_id_problems(citizen_id, born=born, sex=row.found.get("sex", "")):
        row.error(key, problem)


# The readers of the columns after the name, sex and date of birth, in reading order; the
# citizen ID comes last, as it is checked against the date of birth and the sex.
FIELD_READERS: dict[str, Callable[[RowRead, str], None]] = {
    "ethnicity": _text,
    "religion": _text,
    "unit_name": _text,
    "note": _text,
    "education": _text,
    "school_class": _school_class,
    "graduation_year": _parsed(parse_year),
    "category": _parsed(parse_category),
    "youth_union_member": _membership,
    "trade_union_member": _membership,
    "phone": _phone,
    "citizen_id": _citizen_id,
}
