"""Dates as Vietnamese offices write them: dd/mm/yyyy, day first."""

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

DMY = "%d/%m/%Y"


def today() -> date:
    """Today in the project's time zone (Asia/Ho_Chi_Minh), not the server's: the one
    "today" of every rule, deadline, to-do item and default day in the app.

    A test that plays a past year through the pages (``tests/e2e/test_year.py``) sets
    ``settings.PTDV_TODAY`` to the day it plays (no environment variable sets it); the
    moment of a record (audit trail, submissions, sessions) is always the real one."""
    played = getattr(settings, "PTDV_TODAY", None)
    return played or timezone.localdate()


def dmy(day: date | datetime | None) -> str:
    """``date(2024, 3, 5)`` -> "05/03/2024"; ``None`` -> ""."""
    return f"{day:{DMY}}" if day else ""
