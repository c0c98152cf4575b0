"""One cell of the quota grid as text and numbers: reading what was typed or imported,
checking a pair of bounds, and showing them.

Pure functions: plain values in, a number or a message out; no database.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

Bounds = tuple[int | None, int | None]
Key = tuple[int, int]  # (target_id, unit_id)

EMPTY: Bounds = (None, None)
SIDES = ("min", "max")
MAX_NUMBER = 999_999  # a quota above this is a typing slip (a phone number, a year...)
MAX_SHARE = 100

_WHOLE = re.compile(r"([+-]?)\s*([0-9]+)(?:[.,]0{1,2})?")


def parse_number(raw: Any) -> tuple[int | None, str | None]:
    """One typed or imported value -> (number, error message). Empty -> (None, None).

    Accepted: 10, " 10 ", "10.0", "10,0" and an Excel number 10.0. Refused, with a message:
    letters, fractions, dates, formulas (never evaluated), negative and huge numbers.
    "1.000" is refused rather than guessed (one? one thousand?).
    """
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, _not_whole()
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float | Decimal):
        if not math.isfinite(raw) or raw != int(raw):
            return None, _not_whole()
        if abs(raw) > MAX_NUMBER:
            return None, _too_large()
        value = int(raw)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if not text:
            return None, None
        if text.startswith("="):
            return None, _("A formula is not accepted: type the number itself, e.g. 10.")
        match = _WHOLE.fullmatch(text)
        if match is None:
            return None, _not_whole()
        digits = match.group(2).lstrip("0") or "0"
        if len(digits) > len(str(MAX_NUMBER)):
            return None, _too_large()  # never int() it: 5,000 digits raise ValueError
        value = int(digits)
        if match.group(1) == "-" and value:
            value = -value
    else:  # dates, times: Excel turns "8/10" into a date
        return None, _not_whole()
    if value < 0:
        return None, _("Must not be negative.")
    if value > MAX_NUMBER:
        return None, _too_large()
    return value, None


def _too_large() -> str:
    return _("Too large: at most %(max)s.") % {"max": f"{MAX_NUMBER:,}".replace(",", ".")}


def _not_whole() -> str:
    return _("Not a whole number: type digits only, e.g. 10.")


def bounds_problems(bounds: Bounds, *, is_share: bool) -> list[tuple[tuple[str, ...], str]]:
    """What is wrong with a valid pair of numbers: [((sides...), message)]."""
    minimum, maximum = bounds
    problems: list[tuple[tuple[str, ...], str]] = []
    if is_share:
        over = tuple(
            s for s, v in zip(SIDES, bounds, strict=True) if v is not None and v > MAX_SHARE
        )
        if over:
            problems.append((over, _("A share is a percentage: at most 100.")))
    if minimum is not None and maximum is not None and minimum > maximum:
        problems.append((SIDES, _("The minimum must not be larger than the maximum.")))
    return problems


def number_text(value: int | None) -> str:
    return "" if value is None else str(value)


def bounds_text(bounds: Bounds, *, is_share: bool = False) -> str:
    """(8, 10) -> "8–10"; (2, None) -> "at least 2"; (None, None) -> "empty"."""
    suffix = "%" if is_share else ""
    lo, hi = bounds
    if lo is not None and hi is not None:
        return f"{lo}{suffix}" if lo == hi else f"{lo}–{hi}{suffix}"
    if lo is not None:
        return _("at least %(n)s") % {"n": f"{lo}{suffix}"}
    if hi is not None:
        return _("at most %(n)s") % {"n": f"{hi}{suffix}"}
    return _("empty")
