"""Pure rules about candidates: plain values in, messages out, no ORM."""

import re
from calendar import monthrange
from datetime import date

from django.utils.translation import gettext as _

from .choices import Sex

# The province codes that open a 12-digit citizen ID (Thông tư 07/2016/TT-BCA, appendix).
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034"
    " 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068"
    " 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
_DIGITS12 = re.compile(r"^\d{12}$")


def citizen_id_normalise(value: str | None) -> str:
    """Spaces, dots and dashes typed inside the number are dropped ("024 203 001 234")."""
    return re.sub(r"[\s.\-]", "", value or "")


def citizen_id_problems(value: str, *, born: date | None = None, sex: str = "") -> list[str]:
    """What is wrong with a citizen ID (CCCD), in Vietnamese; empty when it is valid.

    Its 12 digits are a province code, a digit for sex and century of birth (0/1 male/female
    born 1900–1999, 2/3 born 2000–2099, …) and the last two digits of the year of birth.
    """
    if not _DIGITS12.match(value):
        return [_("A citizen ID has exactly 12 digits.")]
    problems = []
    if value[:3] not in PROVINCE_CODES:
        problems.append(
            _("The citizen ID starts with %(code)s, which is not a province code.")
            % {"code": value[:3]}
        )
    code = int(value[3])
    century = 1900 + 100 * (code // 2)
    female = code % 2 == 1
    if sex and (sex == Sex.FEMALE) != female:
        problems.append(_("The 4th digit of the citizen ID does not match the sex."))
    if born is not None:
        if born.year // 100 * 100 != century:
            problems.append(_("The 4th digit of the citizen ID does not match the year of birth."))
        elif value[4:6] != f"{born.year % 100:02d}":
            problems.append(
                _("Digits 5–6 of the citizen ID should be %(yy)s, the year of birth.")
                % {"yy": f"{born.year % 100:02d}"}
            )
    return problems


def age_in_months(*, born: date, on: date) -> int:
    """Whole months from birth to ``on``: a person is a full 18 on their 18th birthday."""
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day:
        # Born on the 31st: the last day of a shorter month is the monthly anniversary
        # (Bộ luật Dân sự, art. 148).
        if not (on.day == monthrange(on.year, on.month)[1] and born.day > on.day):
            months -= 1
    return months


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


CERTIFICATE_VALID_MONTHS = 60


def certificate_valid_until(issued: date) -> date:
    """The last day an awareness-class certificate counts: 60 months after it was issued."""
    return add_months(issued, CERTIFICATE_VALID_MONTHS)
