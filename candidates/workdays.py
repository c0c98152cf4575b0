"""Working days in Vietnam's public sector: the calendar that admission deadlines count in.

Party rules count several deadlines in working days (an admission decision within 60 working
days of the cell's resolution, the ceremony within 30 working days of the decision, ...). A
working day is Monday to Friday, minus the public holidays of Bộ luật Lao động 2019 art. 112,
minus the compensatory days given when a holiday falls on a weekend and the weekdays the
government swaps off each year ("hoán đổi ngày làm việc"), plus the Saturdays worked in
exchange. Those change every year, so they are data: ``fixtures/holidays_vn.json``.

Pure: plain dates in, plain dates out; no ORM. Years the data does not cover are counted
Monday to Friday only; ``WorkCalendar.covers`` tells callers when to warn about that.
"""

from __future__ import annotations

import functools
import json
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


def _weekdays_upto(ordinal: int) -> int:
    """Monday to Friday days from day 1 (Monday 1/1/1) up to and including ``ordinal``."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days.

    ``days_off``: days that are not worked although they may be weekdays (holidays, Tết break,
    compensatory and swapped days); weekend days in it change nothing.
    ``working_weekends``: Saturdays or Sundays that are worked because of a swap.
    ``years``: the years the data covers; when empty, the years of the listed dates.
    """

    days_off: frozenset[date]
    working_weekends: frozenset[date]
    years: frozenset[int] = field(default=frozenset())

    def __post_init__(self) -> None:
        if not self.years:
            listed = {day.year for day in self.days_off | self.working_weekends}
            object.__setattr__(self, "years", frozenset(listed))

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is worked: a swapped weekend day, or a weekday that is not off."""
        if day in self.working_weekends:
            return True
        return day.weekday() < _SATURDAY and day not in self.days_off

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``.

        ``start`` itself never counts, whether or not it is a working day: a resolution
        dated on Monday plus 1 working day is Tuesday (if Tuesday is worked). ``n == 0``
        returns ``start`` unchanged. A negative ``n`` raises ``ValueError``.
        """
        if n < 0:
            raise ValueError(f"n must be 0 or more, not {n}")
        day = start
        while n:
            day += _ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """The working days after ``start`` up to and including ``end``.

        0 when ``end == start``. When ``end`` is before ``start`` the count is negative:
        ``working_days_between(a, b) == -working_days_between(b, a)``, so "working days left
        until the deadline" turns negative once the deadline has passed. For ``n >= 0``,
        ``working_days_between(start, add_working_days(start, n)) == n``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        # Counted, not walked (a home page asks it of thousands of people): the weekdays in
        # (start, end], minus the weekdays off, plus the weekend days worked, in that range.
        lo, hi = start.toordinal(), end.toordinal()
        off = bisect_right(self._weekdays_off, hi) - bisect_right(self._weekdays_off, lo)
        worked = bisect_right(self._weekends_worked, hi) - bisect_right(self._weekends_worked, lo)
        return _weekdays_upto(hi) - _weekdays_upto(lo) - off + worked

    @functools.cached_property
    def _weekdays_off(self) -> list[int]:
        return sorted(d.toordinal() for d in self.days_off if d.weekday() < _SATURDAY)

    @functools.cached_property
    def _weekends_worked(self) -> list[int]:
        return sorted(d.toordinal() for d in self.working_weekends)

    def covers(self, day: date) -> bool:
        """Whether the holiday data covers the year of ``day``.

        False means the year is counted Monday to Friday only; callers should say so, e.g.
        "no holiday data for 2028; counted Monday–Friday only".
        """
        return day.year in self.years


def calendar_load(path: Path | None = None) -> WorkCalendar:
    """Read a holiday file (by default ``BASE_DIR / "fixtures" / "holidays_vn.json"``).

    The file is a JSON object with ``days_off`` and ``working_weekends``, lists of
    ``{"date": "YYYY-MM-DD", "name": ...}``, and optionally ``years``, the years it covers
    (otherwise the years of its dates). The default file is read once and cached.
    Raises ``ValueError`` when a working weekend day is not a Saturday or Sunday or when a
    date is both off and worked.
    """
    if path is None:
        return _default_calendar()
    return _calendar_read(path)


@functools.cache
def _default_calendar() -> WorkCalendar:
    from django.conf import settings

    return _calendar_read(Path(settings.BASE_DIR) / "fixtures" / "holidays_vn.json")


def _calendar_read(path: Path) -> WorkCalendar:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    days_off = frozenset(date.fromisoformat(item["date"]) for item in data["days_off"])
    working = frozenset(
        date.fromisoformat(item["date"]) for item in data.get("working_weekends", [])
    )
    weekdays = sorted(day for day in working if day.weekday() < _SATURDAY)
    if weekdays:
        raise ValueError(f"{path}: working weekend days that are weekdays: {weekdays}")
    both = sorted(days_off & working)
    if both:
        raise ValueError(f"{path}: dates both off and worked: {both}")
    years = frozenset(int(year) for year in data.get("years", []))
    return WorkCalendar(days_off=days_off, working_weekends=working, years=years)
