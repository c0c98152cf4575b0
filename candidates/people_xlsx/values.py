"""One cell of a list of people, read: text cleaned, formulas and Excel errors refused, and
the parsers of the columns that hold more than text (dates, sex, yes/no marks, category,
year, digits Excel stored as a number). Every parser answers ``(value, problem)``; the
problem is the message for the person who typed the cell. No ORM.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext as _
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from core import dates
from core.dates import dmy
from core.text import fold, nfc

from ..choices import Category, Sex

MIN_YEAR = 1900
MAX_YEARS_AHEAD = 10  # a graduation year at most this far in the future

CATEGORY_VALUES: dict[str, str] = {
    "hoc sinh": Category.STUDENT,
    "sinh vien": Category.STUDENT,
    "hoc sinh sinh vien": Category.STUDENT,
    "cong nhan": Category.WORKER,
    "nguoi lao dong": Category.WORKER,
    "lao dong": Category.WORKER,
    "nhan vien": Category.WORKER,
    "quan ly": Category.MANAGER,
    "chu doanh nghiep": Category.MANAGER,
    "cong chuc": Category.CIVIL_SERVANT,
    "vien chuc": Category.CIVIL_SERVANT,
    "cong chuc vien chuc": Category.CIVIL_SERVANT,
    "khac": Category.OTHER,
    **{value: value for value in Category.values},
    "civil servant": Category.CIVIL_SERVANT,
}
CATEGORY_ACCEPTED = (
    "Học sinh, Công nhân, Người lao động, Nhân viên, Quản lý, Chủ doanh nghiệp, Công chức, "
    "Viên chức, Khác"
)

YES_FOLDED = frozenset({"x", "co", "1", "yes", "doan vien", "cong doan vien", "dv", "cdv"})
NO_FOLDED = frozenset({"khong", "0", "no"})
TICKS = frozenset("✓✔√☑")
DASHES = frozenset({"-", "–", "—"})

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
DMY_TEXT = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d+)$")
ISO_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
WORDS_DMY = re.compile(r"^ngay (\d{1,2}) thang (\d{1,2}) nam (\d+)$")
YEAR = re.compile(r"^\d{4}$")
DIGITS = re.compile(r"\d")


def clean_text(text: str) -> str:
    """NFC, invisible characters dropped, runs of whitespace (also no-break) collapsed."""
    return " ".join(nfc(text).translate(INVISIBLE).split())


@dataclass
class Value:
    """One cell, read: ``value`` is None when blank or unusable, ``problem`` says why not."""

    value: object = None
    problem: str = ""

    @property
    def blank(self) -> bool:
        return self.value is None and not self.problem


def read_cell(cell) -> Value:
    if cell is None:
        return Value()
    value = cell.value
    if isinstance(value, ArrayFormula):
        return _formula(value.text or "")
    if isinstance(value, DataTableFormula) or (
        cell.data_type == "f" and not isinstance(value, str)
    ):
        return _formula("=TABLE()")
    if value is None:
        return Value()
    if isinstance(value, str):
        return _read_text(cell, clean_text(value))
    if isinstance(value, float) and value != value:  # NaN
        return Value()
    return Value(value)


def _read_text(cell, text: str) -> Value:
    if cell.data_type == "f" or text.startswith("="):
        return _formula(text if text.startswith("=") else "=" + text)
    if cell.data_type == "e":
        return Value(
            problem=_("The cell holds the Excel error %(value)s; type the value itself.")
            % {"value": text}
        )
    return Value(text or None)


def _formula(text: str) -> Value:
    return Value(
        problem=_("The cell holds a formula (%(formula)s); type the value itself.")
        % {"formula": text}
    )


def as_text(value) -> str:
    """A value as text, for the columns that hold text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, datetime | date):
        return dmy(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- dates -------------------------------------------------------------------------------


def parse_date(value) -> tuple[date | None, str]:
    """(date, problem) for a date-of-birth cell; day first, always."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, bool | time):
        return None, _invalid_date(as_text(value))
    elif isinstance(value, int | float):
        return None, _number_as_date(as_text(value))
    else:
        day, problem = _date_of_text(str(value))
        if problem:
            return None, problem
    if day.year < MIN_YEAR:
        return None, _("The date of birth %(value)s is before 1900.") % {"value": dmy(day)}
    if day > dates.today():
        return None, _("The date of birth %(value)s is in the future.") % {"value": dmy(day)}
    return day, ""


def _number_as_date(text: str) -> str:
    if YEAR.match(text) and MIN_YEAR <= int(text) <= dates.today().year:
        return _year_only(text)
    return _invalid_date(text)


def _date_of_text(text: str) -> tuple[date | None, str]:
    """(date, problem) for a date typed as text: dd/mm/yyyy (or . or -), yyyy-mm-dd, or
    "ngày 5 tháng 3 năm 2008"."""
    if match := DMY_TEXT.match(text):
        d, m, y = match.group(1), match.group(3), match.group(4)
    elif match := ISO_TEXT.match(text):
        y, m, d = match.groups()
    elif match := WORDS_DMY.match(fold(text)):
        d, m, y = match.groups()
    elif YEAR.match(text):
        return None, _year_only(text)
    else:
        return None, _invalid_date(text)
    if len(y) == 2:
        return None, _(
            "The year of “%(value)s” has two digits; type the date as dd/mm/yyyy, "
            "with four digits for the year."
        ) % {"value": text}
    if len(y) != 4:
        return None, _invalid_date(text)
    try:
        return date(int(y), int(m), int(d)), ""
    except ValueError:
        return None, _invalid_date(text)


def _invalid_date(text: str) -> str:
    return _("The date of birth “%(value)s” is not a valid date; type it as dd/mm/yyyy.") % {
        "value": text
    }


def _year_only(text: str) -> str:
    return _("Only the year (%(value)s) is written; type the full date of birth as dd/mm/yyyy.") % {
        "value": text
    }


def turned_into_date(value) -> str:
    return _(
        "Excel has turned this cell into the date %(value)s; format the column as Text "
        "and type the value again."
    ) % {"value": dmy(value)}


# --- other columns -----------------------------------------------------------------------


def parse_sex(value) -> tuple[str, str]:
    text = as_text(value)
    key = fold(text)
    if key in ("nam", "male"):
        return Sex.MALE.value, ""
    if key in ("nu", "female"):
        return Sex.FEMALE.value, ""
    return "", _("“%(value)s” is not a sex; write Nam or Nữ.") % {"value": text}


def parse_bool(value) -> tuple[bool | None, str]:
    """(yes, problem) for a mark: x, a tick, "có", 1 … for yes; empty, "-", "không", 0 for
    no."""
    if value is None:
        return False, ""
    if isinstance(value, bool):
        return value, ""
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), ""
    text = as_text(value)
    key = fold(text)
    if text in TICKS or key in YES_FOLDED:
        return True, ""
    if text in DASHES or key in NO_FOLDED:
        return False, ""
    return None, _(
        "“%(value)s” is not understood; write x for yes and leave the cell empty for no."
    ) % {"value": text}


def parse_category(value) -> tuple[str, str]:
    text = as_text(value)
    category = CATEGORY_VALUES.get(fold(text))
    if category:
        return str(category), ""
    return "", _("“%(value)s” is not a known category; write one of: %(accepted)s.") % {
        "value": text,
        "accepted": CATEGORY_ACCEPTED,
    }


def parse_year(value) -> tuple[int | None, str]:
    """(year, problem) for a year cell such as a graduation year: four digits."""
    if isinstance(value, datetime | date):
        return None, turned_into_date(value)
    text = as_text(value)
    if YEAR.match(text):
        year = int(text)
        if MIN_YEAR <= year <= dates.today().year + MAX_YEARS_AHEAD:
            return year, ""
    return None, _("“%(value)s” is not a year; type the four digits, e.g. %(year)s.") % {
        "value": text,
        "year": dates.today().year,
    }


def digits_of_number(value) -> str | None:
    """The digits of a whole number Excel stored as a number, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def name_problem(text: str) -> str:
    if DIGITS.search(text):
        return _("“%(value)s” is not a name: it contains digits.") % {"value": text}
    return ""
