"""The reporting periods offices use (seed 004: monthly, quarterly, six-monthly, yearly)."""

import calendar
from datetime import date

from django.utils.translation import gettext as _

ROMAN_QUARTERS = ("I", "II", "III", "IV")


def preset_choices(year: int) -> list[tuple[str, str]]:
    """The periods of ``year`` offered in the form: each month, quarter, half and the year,
    and "other dates"."""
    choices = [("custom", _("Other dates (below)"))]
    choices += [("h1", _("First six months of %(year)s") % {"year": year})]
    choices += [("y", _("The whole year %(year)s") % {"year": year})]
    choices += [
        (f"q{q}", _("Quarter %(q)s/%(year)s") % {"q": ROMAN_QUARTERS[q - 1], "year": year})
        for q in range(1, 5)
    ]
    choices += [(f"m{m}", _("Month %(m)s/%(year)s") % {"m": m, "year": year}) for m in range(1, 13)]
    return choices


def preset_period(code: str, year: int) -> tuple[date, date]:
    """ "q2" → (1/4, 30/6) of ``year``; "m2" → February; "h1" → January–June; "y" → the year."""
    if code == "y":
        return date(year, 1, 1), date(year, 12, 31)
    if code == "h1":
        return date(year, 1, 1), date(year, 6, 30)
    kind, number = code[:1], int(code[1:])
    if kind == "q" and 1 <= number <= 4:
        first = 3 * (number - 1) + 1
        last = first + 2
        return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
    if kind == "m" and 1 <= number <= 12:
        return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    raise ValueError(f"unknown period {code!r}")
