from datetime import date

import pytest

from candidates.choices import Stage
from candidates.services import stage_event_record
from quotas.measures import CountQuery, count_by_unit
from quotas.models import Plan, Target
from quotas.progress import target_progress


@pytest.fixture
def admit(demo):
    from candidates.models import Candidate

    counter = iter(range(1, 1000))

    def do(unit, day, **fields):
        n = next(counter)
        person = {
            "family_name": "Nguyễn Văn",
            "given_name": f"An{n}",
            "date_of_birth": date(2005, 1, 1),
            "sex": "male",
            "category": "student",
            **fields,
        }
        candidate = Candidate.objects.create(unit=unit, **person)
        stage_event_record(
            actor=None, candidate=candidate, stage=Stage.ADMISSION_DECISION, dated=day,
            document_number=f"{n}-QĐ/HU",
        )  # fmt: skip
        return candidate

    return do


def test_admissions_count_decisions_dated_in_the_period(demo, admit):
    hh1 = demo["THPT-HH1"]
    admit(hh1, date(2024, 5, 10))
    admit(hh1, date(2024, 5, 20))  # after 19/5
    admit(hh1, date(2024, 5, 10), category="worker")
    query = CountQuery(measure="admissions", start=date(2024, 1, 1), end=date(2024, 5, 19))
    assert count_by_unit(query) == {hh1.pk: 2}
    students = CountQuery(
        measure="admissions", start=date(2024, 1, 1), end=date(2024, 5, 19), group="students"
    )
    assert count_by_unit(students) == {hh1.pk: 1}
    assert (
        count_by_unit(
            CountQuery(measure="nominations", start=date(2024, 1, 1), end=date(2024, 12, 31))
        )
        == {}
    )


def test_the_19_may_milestone_shows_admissions(demo, admit):
    plan = Plan.objects.get(number="145/KH-HU")
    target = Target.objects.get(plan=plan, name__startswith="Kết nạp nhân dịp 19/5")
    for _ in range(8):
        admit(demo["THPT-HH2"], date(2024, 5, 15))
    progress = target_progress(target=target, on=date(2024, 5, 20))
    own = {p.unit.code: p for p in progress.own.values()}
    assert own["THPT-HH2"].actual == 8 and own["THPT-HH2"].status == "met"
    assert own["THPT-HH1"].actual == 0 and own["THPT-HH1"].status == "missed"


def test_introductions_count_union_resolutions_dated_in_the_period(demo, admit):
    from candidates.choices import DocumentKind
    from candidates.models import CandidateDocument

    hh1 = demo["THPT-HH1"]
    for day in (date(2024, 3, 1), date(2024, 3, 2), date(2025, 1, 5)):
        c = admit(hh1, date(2024, 5, 10))
        CandidateDocument.objects.create(candidate=c, kind=DocumentKind.UNION_RESOLUTION, dated=day)
    query = CountQuery(measure="introductions", start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert count_by_unit(query) == {hh1.pk: 2}


def test_non_state_enterprise_workers_by_the_unit_at_the_time(demo, admit):
    """002: "at least 2% of new members are workers of non-state enterprises"."""
    admit(demo["DN-HAPHONG"], date(2024, 6, 1), category="worker")  # non-state
    admit(demo["DN-CAPNUOC"], date(2024, 6, 1), category="worker")  # state-owned
    admit(demo["THPT-HH1"], date(2024, 6, 1))
    year = {"measure": "admissions", "start": date(2024, 1, 1), "end": date(2024, 12, 31)}
    assert count_by_unit(CountQuery(**year, group="non_state_workers")) == {
        demo["DN-HAPHONG"].pk: 1
    }
    assert sum(count_by_unit(CountQuery(**year)).values()) == 3
