"""The "religion" person group: who counts, in a selector and in a quota's count."""

from datetime import date

import pytest

from candidates.choices import Stage
from candidates.models import Candidate
from candidates.selectors import person_group_q
from candidates.services import stage_event_record
from quotas.choices import Measure, PersonGroup
from quotas.measures import CountQuery, count_by_unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

RELIGIONS = {
    "": False,
    "Không": False,
    "không": False,
    "KHÔNG": False,
    "KHông": False,
    "Phật giáo": True,
    "Công giáo": True,
    "Tin lành": True,
    "Không rõ": True,  # only "Không" itself means none
}


def _person(unit, n: int, religion: str) -> Candidate:
    return Candidate.objects.create(
        unit=unit,
        family_name="Trần Thị",
        given_name=f"Lan {n}",
        date_of_birth=date(2005, 1, 1),
        sex="female",
        category="student",
        religion=religion,
    )


def test_people_with_a_religion_are_those_who_name_one():
    unit = UnitFactory()
    people = {religion: _person(unit, n, religion) for n, religion in enumerate(RELIGIONS)}
    found = set(Candidate.objects.filter(person_group_q(PersonGroup.RELIGION)))
    assert found == {people[r] for r, has in RELIGIONS.items() if has}


def test_admissions_of_people_with_a_religion_are_counted_by_unit():
    unit = UnitFactory()
    for n, religion in enumerate(["Phật giáo", "Không", "", "Công giáo"]):
        person = _person(unit, n, religion)
        stage_event_record(
            actor=None,
            candidate=person,
            stage=Stage.ADMISSION_DECISION,
            dated=date(2024, 6, 1),
            document_number=f"{n}-QĐ/HU",
        )
    query = CountQuery(
        measure=Measure.ADMISSIONS,
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
        group=PersonGroup.RELIGION,
    )
    assert count_by_unit(query) == {unit.pk: 2}
