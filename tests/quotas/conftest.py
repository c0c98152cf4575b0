from datetime import date

import pytest

from quotas.models import HistoricalTotal, Plan


@pytest.fixture
def plan145(demo):
    return Plan.objects.get(number="145/KH-HU")


@pytest.fixture
def record(db):
    """Records counted by the progress selector (as historical totals: the pipeline apps
    plug their own counters in later)."""

    def add(unit, n: int, day: date, measure: str = "admissions", group: str = ""):
        total, created = HistoricalTotal.objects.get_or_create(
            unit=unit, measure=measure, group=group, dated=day, defaults={"count": n}
        )
        if not created:
            total.count += n
            total.save(update_fields=["count"])
        return total

    return add
