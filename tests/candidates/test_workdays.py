"""Working-day arithmetic (candidates.workdays) and the holiday data it reads. No database."""

import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from candidates.workdays import WorkCalendar, calendar_load

HOLIDAYS = Path(settings.BASE_DIR) / "fixtures" / "holidays_vn.json"
YEARS = range(2020, 2027)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return calendar_load()


# --- adding working days -----------------------------------------------------------------


# Cell resolution on Mon 5/2/2024, admission decision due within 60 working days.
# Counted by hand, the start day never counting:
#   Feb: Tue 6, Wed 7 ............................................... 2
#        Thu 8 – Wed 14 off (Tết Giáp Thìn: 29 tháng Chạp – mùng 5)
#        Thu 15, Fri 16 ............................................. 4
#        19–23, 26–Mar 1 (5 + 5) ..................................... 14
#   Mar: 4–8, 11–15, 18–22, 25–29 (4 × 5) ............................ 34
#   Apr: 1–5, 8–12 (5 + 5) ........................................... 44
#        15, 16, 17, 19 (Thu 18 Giỗ Tổ Hùng Vương off) ................ 48
#        22–26 ....................................................... 53
#        Mon 29 off (swapped), Tue 30/4 and Wed 1/5 off
#   May: Thu 2, Fri 3 ................................................ 55
#        Sat 4 (worked, in exchange for Mon 29/4) .................... 56
#        Mon 6, Tue 7, Wed 8, Thu 9 ................................... 60
#   => Thu 9/5/2024.
# Ceremony within 30 working days of a decision on Thu 9/5/2024:
#   May 10 (1), 13–17 (6), 20–24 (11), 27–31 (16), Jun 3–7 (21), 10–14 (26), 17–20 (30)
#   => Thu 20/6/2024 (no holiday in between).
# 30 working days from Tue 15/4/2025, across 30/4–1/5/2025:
#   Apr 16–18 (3), 21–25 (8), Sat 26 worked for Fri 2/5 (9), Mon 28, Tue 29 (11),
#   Wed 30/4 – Sun 4/5 off, May 5–9 (16), 12–16 (21), 19–23 (26), 26–29 (30)
#   => Thu 29/5/2025.
# Full-membership review within 30 working days after 12 months of probation, admitted
# 20/1/2025, probation over on 20/1/2026:
#   Jan 21–23 (3), 26–30 (8), Feb 2–6 (13), 9–13 (18), Sat 14 – Sun 22 off (Tết Bính Ngọ),
#   Feb 23–27 (23), Mar 2–6 (28), Mon 9, Tue 10 (30)  => Tue 10/3/2026.
@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # deadlines across Tết
        (date(2024, 2, 5), 60, date(2024, 5, 9)),
        (date(2024, 2, 7), 1, date(2024, 2, 15)),  # Wed before the break → Thu after it
        (date(2025, 1, 24), 1, date(2025, 2, 3)),  # Tết Ất Tỵ: Sat 25/1 – Sun 2/2/2025
        (date(2026, 2, 13), 1, date(2026, 2, 23)),  # Tết Bính Ngọ: Sat 14/2 – Sun 22/2/2026
        (date(2023, 1, 19), 1, date(2023, 1, 27)),  # Tết Quý Mão: Fri 20/1 – Thu 26/1/2023
        (date(2020, 1, 22), 1, date(2020, 1, 30)),  # Tết Canh Tý: Thu 23/1 – Wed 29/1/2020
        (date(2026, 1, 20), 30, date(2026, 3, 10)),  # full-membership review, above
        # the ceremony after the decision
        (date(2024, 5, 9), 30, date(2024, 6, 20)),
        # across 30/4–1/5
        (date(2025, 4, 15), 30, date(2025, 5, 29)),
        (date(2025, 4, 29), 1, date(2025, 5, 5)),  # Wed 30/4 – Sun 4/5/2025 off
        (date(2024, 4, 26), 1, date(2024, 5, 2)),  # Sat 27/4 – Wed 1/5/2024 off
        (date(2023, 4, 28), 1, date(2023, 5, 4)),  # Sat 29/4 – Wed 3/5/2023 off (Giỗ Tổ too)
        (date(2022, 4, 29), 1, date(2022, 5, 4)),  # Sat 30/4 – Tue 3/5/2022 off
        (date(2026, 4, 24), 1, date(2026, 4, 28)),  # Giỗ Tổ Sun 26/4/2026, made up Mon 27/4
        (date(2026, 4, 29), 1, date(2026, 5, 4)),  # Thu 30/4, Fri 1/5/2026 off
        # across Quốc khánh
        (date(2024, 8, 30), 1, date(2024, 9, 4)),  # Sat 31/8 – Tue 3/9/2024 off
        (date(2025, 8, 25), 5, date(2025, 9, 3)),  # Sat 30/8 – Tue 2/9/2025 off
        (date(2023, 8, 31), 1, date(2023, 9, 5)),  # Fri 1/9 – Mon 4/9/2023 off
        (date(2021, 9, 1), 1, date(2021, 9, 6)),  # Thu 2/9, Fri 3/9/2021 off
        (date(2020, 9, 1), 1, date(2020, 9, 3)),  # 2020: Wed 2/9 only (BLLĐ 2012)
        (date(2026, 8, 28), 1, date(2026, 9, 3)),  # Sat 29/8 – Wed 2/9/2026 off
        # Tết Dương lịch
        (date(2025, 12, 31), 1, date(2026, 1, 5)),  # Thu 1/1 – Sun 4/1/2026 off
        (date(2022, 12, 30), 1, date(2023, 1, 3)),  # Mon 2/1/2023 made up for Sun 1/1
        (date(2024, 12, 31), 1, date(2025, 1, 2)),  # 2025: Wed 1/1 only
        # starting on a holiday: the start day never counts
        (date(2024, 2, 8), 1, date(2024, 2, 15)),
        (date(2024, 5, 1), 1, date(2024, 5, 2)),
        (date(2025, 9, 2), 1, date(2025, 9, 3)),
        # starting on a Friday or a weekend
        (date(2024, 6, 7), 1, date(2024, 6, 10)),
        (date(2024, 6, 7), 5, date(2024, 6, 14)),
        (date(2024, 6, 8), 1, date(2024, 6, 10)),
        # n = 0 returns the start, whatever it is
        (date(2024, 6, 10), 0, date(2024, 6, 10)),
        (date(2024, 2, 10), 0, date(2024, 2, 10)),  # mùng 1 Tết, a Saturday
        (date(2024, 4, 29), 0, date(2024, 4, 29)),  # a swapped Monday
        # a swapped Saturday is a working day
        (date(2024, 5, 3), 1, date(2024, 5, 4)),
        (date(2024, 5, 1), 3, date(2024, 5, 4)),  # Thu 2, Fri 3, Sat 4/5/2024
        (date(2025, 4, 25), 1, date(2025, 4, 26)),
        (date(2025, 12, 31), 6, date(2026, 1, 10)),  # 5–9/1, then Sat 10/1/2026
        (date(2026, 8, 21), 1, date(2026, 8, 22)),
        (date(2026, 8, 21), 2, date(2026, 8, 24)),
        # years without data: Monday–Friday only
        (date(2027, 12, 31), 1, date(2028, 1, 3)),
        (date(2028, 4, 28), 2, date(2028, 5, 2)),  # 1/5/2028 is a Monday, counted
        (date(2019, 12, 31), 1, date(2020, 1, 2)),  # 1/1/2020 is in the data
    ],
)
def test_add_working_days(cal, start, n, expected):
    assert cal.add_working_days(start, n) == expected


def test_add_working_days_refuses_negative(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2024, 6, 10), -1)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 5, 4), True),  # Sat, worked for Mon 29/4/2024
        (date(2024, 4, 29), False),  # Mon, swapped off
        (date(2025, 4, 26), True),  # Sat, worked for Fri 2/5/2025
        (date(2025, 5, 2), False),
        (date(2026, 1, 10), True),  # Sat, worked for Fri 2/1/2026
        (date(2026, 1, 2), False),
        (date(2026, 8, 22), True),  # Sat, worked for Mon 31/8/2026
        (date(2026, 8, 31), False),
        (date(2024, 5, 11), False),  # an ordinary Saturday
        (date(2024, 5, 12), False),  # an ordinary Sunday
        (date(2024, 5, 13), True),  # an ordinary Monday
        (date(2024, 2, 14), False),  # mùng 5 Tết, made up for the weekend
        (date(2022, 5, 3), False),  # made up for 1/5/2022, a Sunday
        (date(2028, 1, 3), True),  # no data: a Monday is worked
    ],
)
def test_is_working_day(cal, day, working):
    assert cal.is_working_day(day) is working


# --- counting working days ---------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        date(2024, 2, 5),  # Monday before Tết
        date(2024, 2, 8),  # first day of Tết
        date(2024, 4, 27),  # Saturday starting the 30/4 break
        date(2024, 5, 3),  # Friday before a worked Saturday
        date(2025, 1, 1),  # a holiday
        date(2025, 8, 29),  # Friday before Quốc khánh
        date(2025, 12, 31),  # across the new year
        date(2026, 1, 10),  # a worked Saturday
        date(2026, 2, 15),  # a Sunday inside Tết
        date(2026, 12, 1),  # runs into 2027, which has no data
    ],
)
def test_between_undoes_add(cal, start):
    for n in range(81):
        end = cal.add_working_days(start, n)
        assert cal.working_days_between(start, end) == n, (start, n, end)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2024, 6, 10), date(2024, 6, 10), 0),
        (date(2024, 2, 7), date(2024, 2, 14), 0),  # Wed before Tết to its last day
        (date(2024, 2, 7), date(2024, 2, 15), 1),
        (date(2024, 4, 26), date(2024, 5, 4), 3),  # Thu 2, Fri 3, Sat 4/5
        (date(2024, 2, 5), date(2024, 5, 9), 60),
        (date(2024, 5, 9), date(2024, 2, 5), -60),  # deadline passed: negative
        (date(2024, 6, 14), date(2024, 6, 10), -4),
    ],
)
def test_working_days_between(cal, start, end, count):
    assert cal.working_days_between(start, end) == count


def test_between_is_antisymmetric(cal):
    days = [date(2024, 2, 5), date(2024, 5, 4), date(2025, 9, 2), date(2026, 2, 22)]
    for a in days:
        for b in days:
            assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)


# --- coverage ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "covered"),
    [
        (date(2019, 12, 31), False),
        (date(2020, 1, 1), True),
        (date(2024, 7, 15), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
        (date(2028, 6, 1), False),
    ],
)
def test_covers(cal, day, covered):
    assert cal.covers(day) is covered


# --- loading -----------------------------------------------------------------------------


def test_default_calendar_is_cached(cal):
    assert calendar_load() is cal
    assert calendar_load(HOLIDAYS) == cal


def write(path: Path, days_off: list[str], working: list[str], **extra) -> Path:
    data = {
        "source": "test",
        "days_off": [{"date": d, "name": "off"} for d in days_off],
        "working_weekends": [{"date": d, "name": "worked"} for d in working],
        **extra,
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_load_other_file(tmp_path):
    other = calendar_load(write(tmp_path / "h.json", ["2030-01-01"], ["2030-01-05"]))
    assert not other.is_working_day(date(2030, 1, 1))
    assert other.is_working_day(date(2030, 1, 5))
    assert other.covers(date(2030, 7, 1))  # years taken from the dates
    assert not other.covers(date(2031, 7, 1))
    listed = calendar_load(write(tmp_path / "y.json", [], [], years=[2031]))
    assert listed.covers(date(2031, 7, 1))


@pytest.mark.parametrize(
    ("days_off", "working"),
    [
        ([], ["2024-05-06"]),  # a Monday cannot be a working weekend day
        (["2024-05-04"], ["2024-05-04"]),  # off and worked at once
    ],
)
def test_load_refuses_inconsistent_data(tmp_path, days_off, working):
    with pytest.raises(ValueError):
        calendar_load(write(tmp_path / "bad.json", days_off, working))


# --- the data file -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(HOLIDAYS.read_text(encoding="utf-8"))


def dates(items: list[dict]) -> list[date]:
    return [date.fromisoformat(item["date"]) for item in items]


def test_data_is_well_formed(data):
    assert data["source"].strip()
    assert data["years"] == list(YEARS)
    assert set(data["sources"]) == {str(year) for year in YEARS}
    for key in ("days_off", "working_weekends"):
        for item in data[key]:
            assert set(item) == {"date", "name"}, item
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["date"]), item
            assert item["name"].strip(), item
        found = dates(data[key])
        assert found == sorted(found), key
        duplicates = [day for day, count in Counter(found).items() if count > 1]
        assert not duplicates, (key, duplicates)
    assert not set(dates(data["days_off"])) & set(dates(data["working_weekends"]))


def test_working_weekends_are_weekends(data):
    for day in dates(data["working_weekends"]):
        assert day.weekday() >= 5, day


def test_every_swap_has_both_sides(data):
    """Each worked Saturday is matched by a weekday off named as a swap, in the same year."""
    swapped = Counter(
        date.fromisoformat(item["date"]).year
        for item in data["days_off"]
        if item["name"].startswith("Hoán đổi")
    )
    worked = Counter(day.year for day in dates(data["working_weekends"]))
    assert swapped == worked


@pytest.mark.parametrize("year", YEARS)
def test_every_year_has_the_statutory_days(data, year):
    off = {date.fromisoformat(item["date"]): item["name"] for item in data["days_off"]}
    for month, day in ((1, 1), (4, 30), (5, 1), (9, 2)):
        assert date(year, month, day) in off, date(year, month, day)
    tet_weekdays = [
        day
        for day, name in off.items()
        if day.year == year and name.startswith("Tết Nguyên đán") and day.weekday() < 5
    ]
    assert len(tet_weekdays) >= 4, (year, tet_weekdays)
    assert any(day.year == year and name.startswith("Giỗ Tổ") for day, name in off.items())
    if year >= 2021:  # BLLĐ 2019: Quốc khánh is 2/9 plus the day before or after
        assert date(year, 9, 1) in off or date(year, 9, 3) in off, year


@pytest.mark.parametrize(
    ("year", "total"),
    [
        # "22 days off in 2025" (en.sggp.org.vn, post119346): 1 + 9 + 3 + 5 + 4
        (2025, 22),
        # "25 ngày nghỉ lễ, Tết (tính cả ngày nghỉ hằng tuần liền kề)" in 2026: 4 + 9 + 3 + 4 + 5
        (2026, 25),
    ],
)
def test_year_totals_match_announcements(data, year, total):
    assert sum(day.year == year for day in dates(data["days_off"])) == total


def test_anchor_breaks(cal):
    """The breaks given in the brief, checked day by day."""
    breaks = [
        (date(2024, 2, 8), date(2024, 2, 14)),
        (date(2025, 1, 25), date(2025, 2, 2)),
        (date(2024, 4, 27), date(2024, 5, 1)),
        (date(2024, 8, 31), date(2024, 9, 3)),
        (date(2026, 2, 14), date(2026, 2, 22)),
    ]
    for first, last in breaks:
        assert cal.is_working_day(first - timedelta(days=1)), first
        assert cal.is_working_day(last + timedelta(days=1)), last
        day = first
        while day <= last:
            assert not cal.is_working_day(day), day
            day += timedelta(days=1)
        assert cal.working_days_between(first, last) == 0


def test_between_counts_what_a_walk_day_by_day_counts(cal):
    """The count is arithmetic (weekdays minus weekdays off plus weekends worked); it gives
    what walking day by day gives, across Tết, swapped weekends and years without data."""
    import random

    def walked(start, end):
        sign, (a, b) = (1, (start, end)) if start <= end else (-1, (end, start))
        days = (a + timedelta(days=i) for i in range(1, (b - a).days + 1))
        return sign * sum(1 for d in days if cal.is_working_day(d))

    rng = random.Random(7)
    for _ in range(400):
        start = date(2018, 1, 1) + timedelta(days=rng.randrange(4000))
        end = start + timedelta(days=rng.randrange(-400, 400))
        assert cal.working_days_between(start, end) == walked(start, end), (start, end)
