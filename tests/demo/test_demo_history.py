"""The demo's totals of 2019–2023: loaded through the import, plausible, idempotent."""

from datetime import date

import pytest
from django.core.management import call_command

from core.models import AuditEvent
from quotas.choices import Measure, PersonGroup
from quotas.measures import CountQuery, count_by_unit
from quotas.models import HistoricalTotal, TargetValue

pytestmark = pytest.mark.django_db

YEARS = range(2019, 2024)
SCHOOLS = ["THPT-HH1", "THPT-HH2", "THPT-HH3", "THPT-HH4", "THPT-HH5", "THPT-HH6", "GDNN-GDTX"]
ENTERPRISES = ["DN-HAPHONG", "DN-HATHANH", "DN-KDSPORTS", "DN-CAPNUOC", "DN-UYENSON", "DN-MATTROI"]


def totals(code: str, group: str = "") -> dict[int, HistoricalTotal]:
    return {
        t.dated.year: t
        for t in HistoricalTotal.objects.filter(
            unit__code=code, measure=Measure.ADMISSIONS, group=group
        )
    }


def snapshot():
    return {
        "totals": list(HistoricalTotal.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
    }


def test_every_unit_of_the_annex_has_five_years(plan145):
    annex = set(
        TargetValue.objects.filter(target__plan=plan145, target__in_annex=True).values_list(
            "unit__code", flat=True
        )
    )
    assert annex == set(SCHOOLS + ENTERPRISES)
    for code in annex:
        everyone = totals(code)
        assert sorted(everyone) == list(YEARS), code
        for year, total in everyone.items():
            assert total.dated == date(year, 12, 31)
            assert total.quota is not None and total.quota >= 1
            assert total.source == f"Báo cáo tổng kết năm {year} (số liệu mẫu)"
            assert total.recorded_by is None  # loaded by the system
    assert set(HistoricalTotal.objects.values_list("dated__year", flat=True)) == set(YEARS)


def test_the_numbers_fit_the_kind_of_unit(demo):
    for code in SCHOOLS:
        students, women = totals(code, "students"), totals(code, "women")
        youth = totals(code, "youth_union")
        for year, total in totals(code).items():
            assert 2 <= total.count <= 12, (code, year)
            assert students[year].count == total.count  # a school admits students
            assert women[year].count <= total.count
            assert youth[year].count == total.count  # every student admitted is in the Union
        assert not totals(code, "workers")
    for code in ENTERPRISES:
        workers, women = totals(code, "workers"), totals(code, "women")
        for year, total in totals(code).items():
            assert 0 <= total.count <= 4, (code, year)
            assert workers[year].count == total.count  # an enterprise admits workers
            assert women[year].count <= total.count
        assert not totals(code, "students")
    non_state = totals("DN-HAPHONG", PersonGroup.NON_STATE_WORKERS)
    assert sorted(non_state) == list(YEARS)
    assert not totals("DN-CAPNUOC", PersonGroup.NON_STATE_WORKERS)  # a state-owned company
    # Plausible, not perfect: some units missed their quota some years, some exceeded it.
    results = [t.count >= t.quota for t in HistoricalTotal.objects.filter(group="")]
    assert any(results) and not all(results)


def test_the_progress_engine_counts_the_past_years(demo):
    year_2023 = CountQuery(
        measure=Measure.ADMISSIONS, start=date(2023, 1, 1), end=date(2023, 12, 31)
    )
    counted = count_by_unit(year_2023)
    assert counted[demo["THPT-HH1"].pk] == totals("THPT-HH1")[2023].count
    year_2024 = CountQuery(
        measure=Measure.ADMISSIONS, start=date(2024, 1, 1), end=date(2024, 12, 31)
    )
    assert count_by_unit(year_2024) == {}  # 2024 is the app's own (no candidates here)


def test_load_demo_twice_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", "--only", "district", "--no-classes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


def test_a_number_changed_by_hand_is_put_back(demo):
    total = totals("THPT-HH2")[2021]
    HistoricalTotal.objects.filter(pk=total.pk).update(count=99, quota=None)
    call_command("load_demo", "--only", "district", "--no-classes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    again = totals("THPT-HH2")[2021]
    assert (again.pk, again.count, again.quota) == (total.pk, total.count, total.quota)
