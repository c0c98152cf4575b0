"""Dates as Vietnamese offices write them: dd/mm/yyyy, day first."""

from datetime import date, datetime

from django.utils import timezone

DMY = "%d/%m/%Y"


def today() -> date:
    """Today in the project's time zone (Asia/Ho_Chi_Minh), not the server's."""
    return timezone.localdate()


def dmy(day: date | datetime | None) -> str:
    """``date(2024, 3, 5)`` -> "05/03/2024"; ``None`` -> ""."""
    return f"{day:{DMY}}" if day else ""
