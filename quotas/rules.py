"""Pure rules of quota progress and of historical totals: plain values in, plain values out;
no database."""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .choices import PlanStatus, PlanStatusSetting, Status


@dataclass(frozen=True)
class Verdict:
    status: Status
    expected: int | None  # how many should be counted by now
    over_maximum: bool


def expected_by(*, minimum: int, start: date, end: date, on: date, due: date | None = None) -> int:
    """How many of ``minimum`` should be counted by ``on`` (whole number, rounded down).

    * A step (``due`` given: a class's nomination deadline, or its last day for
      certificates): nothing before ``due`` and on it, everything after it — a school sends
      its nominees once, by the deadline, so it is not behind in August for an October class.
    * Otherwise an even pace: nothing before the period starts; everything by its last day.
    """
    if due is not None:
        return minimum if on > due else 0
    if on < start:
        return 0
    if on >= end:
        return minimum
    elapsed = (on - start).days + 1
    length = (end - start).days + 1
    return minimum * elapsed // length


def progress_status(
    *,
    actual: int,
    minimum: int | None,
    maximum: int | None,
    start: date,
    end: date,
    on: date,
    total: int | None = None,
    due: date | None = None,
    expected: int | None = None,
) -> Verdict:
    """Where a target stands on ``on``.

    * count targets: *met* once ``actual`` reaches the minimum (a target with only a maximum
      is met while it is not exceeded); before the deadline *on track* while ``actual``
      reaches what is expected by now (``expected_by``: a step at ``due``, else an even pace
      from ``start`` to ``end``; or ``expected`` given, e.g. the sum of a roll-up's units),
      else *behind*; after it, *missed*.
    * shares (``total`` given: ``actual`` of ``total``, bounds in percent): *met* while the
      share reaches the minimum; with nothing counted yet, *on track* before the deadline;
      below the minimum, *behind* before the deadline and *missed* after it.
    """
    past = on > end
    if total is not None:
        percent = None if total == 0 else 100 * actual / total
        over = maximum is not None and percent is not None and percent > maximum
        if percent is None:
            return Verdict(Status.MISSED if past and minimum else Status.ON_TRACK, None, False)
        if minimum is None or percent >= minimum:
            return Verdict(Status.MET, None, over)
        return Verdict(Status.MISSED if past else Status.BEHIND, None, over)

    over = maximum is not None and actual > maximum
    if minimum is None:
        # Only a ceiling: met while not exceeded.
        return Verdict(Status.MISSED if over else Status.MET, None, over)
    if actual >= minimum:
        return Verdict(Status.MET, minimum, over)
    if past:
        return Verdict(Status.MISSED, minimum, over)
    if expected is None:
        expected = expected_by(minimum=minimum, start=start, end=end, on=on, due=due)
    return Verdict(Status.ON_TRACK if actual >= expected else Status.BEHIND, expected, over)


def plan_status(*, setting: str, issued_on: date, year: int, today: date) -> PlanStatus:
    """Where a plan stands on ``today``.

    A draft stays a draft. An issued plan is *not yet in force* before its date, *in force*
    from its date through 31/12 of its year, *closed* after that. The Board's explicit
    "in force" or "closed" wins over the dates. ``quotas.selectors.plan_status_expression``
    is the same rule in SQL (for filtering); a test keeps the two alike.
    """
    if setting == PlanStatusSetting.DRAFT:
        return PlanStatus.DRAFT
    if setting == PlanStatusSetting.IN_FORCE:
        return PlanStatus.IN_FORCE
    if setting == PlanStatusSetting.CLOSED:
        return PlanStatus.CLOSED
    if today < issued_on:
        return PlanStatus.UPCOMING
    if today.year > year:
        return PlanStatus.CLOSED
    return PlanStatus.IN_FORCE


def shift_years(day: date, years: int) -> date:
    """The same day and month ``years`` later (or earlier); 29/02 becomes 28/02 in a year
    without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def shift_year_in_text(text: str, *, old: int, new: int) -> str:
    """Every mention of the year ``old`` in ``text`` (as a whole number) becomes ``new``:
    "Đợt 1 – tháng 4/2024" → "Đợt 1 – tháng 4/2025"; "2020 - 2025" is left alone."""
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


FIRST_YEAR = 1930  # the party's founding; no plan or total is older


def parse_past_year(raw: object, *, today: date) -> tuple[int | None, str | None]:
    """A typed or imported year of the past -> (year, error message). Empty -> (None, None).

    Accepted: 2021, " 2021 ", 2021.0. Refused: text, fractions, dates, a year before 1930,
    and the current year or later (a historical total is dated on the year's last day,
    which must be over: the app counts the current year itself).
    """
    if raw is None:
        return None, None
    text = str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if not text:
        return None, None
    if isinstance(raw, bool) or not (len(text) == 4 and text.isascii() and text.isdigit()):
        return None, _("“%(value)s” is not a year.") % {"value": text}
    year = int(text)
    if year < FIRST_YEAR:
        return None, _("%(year)s is too early: the first year accepted is %(first)s.") % {
            "year": year,
            "first": FIRST_YEAR,
        }
    if year >= today.year:
        return None, _(
            "%(year)s is not over yet: only the totals of years that have ended are entered here."
        ) % {"year": year}
    return year, None
