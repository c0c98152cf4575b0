"""A class's capacity limits its lists: adding, picking and uploading nominees are refused,
with nothing written, when the class's places (every unit's list, less the people the Board
returned) would not hold them; a class without a capacity has no limit. And a big upload
takes as many queries as a small one."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from candidates.models import Candidate
from candidates.people_xlsx import people_template_xlsx
from core.models import AuditEvent
from training.choices import NominationStatus
from training.models import NomineeList
from training.rules import capacity_problem
from training.services import (
    nominations_review,
    nominee_add,
    nominee_list_open,
    nominee_list_submit,
)

from .conftest import SUBMIT_DAY


@pytest.fixture
def open_day(at_day):
    at_day(SUBMIT_DAY)


@pytest.fixture
def school(demo):
    return demo["THPT-HH1"]


@pytest.fixture
def secretary(login):
    return login("bithu.thpt1")


@pytest.fixture
def full_class(student_class, demo, board, people):
    """``full_class(capacity, taken)``: the student class with ``capacity`` places, of
    which ``taken`` are taken by another school's list."""

    def make(capacity: int | None, taken: int):
        student_class.capacity = capacity
        student_class.save(update_fields=["capacity"])
        other = nominee_list_open(actor=board, training_class=student_class, unit=demo["THPT-HH2"])
        for person in people(demo["THPT-HH2"], taken):
            nominee_add(actor=board, nominee_list=other, candidate=person)
        return student_class

    return make


def _url(cls, unit, name):
    return reverse(name, args=[cls.pk, unit.pk])


def _person(i: int) -> dict:
    return {
        "family_name": "Nguyễn Văn",
        "given_name": ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa"][i % 8],
        "date_of_birth": date(2006, 1 + i % 12, 1 + i % 27),
        "sex": "Nam",
        "citizen_id": f"024206{i:06d}",
        "school_class": "12A1",
    }


def _upload(client, cls, unit, n: int, *, start: int = 0):
    data = people_template_xlsx(
        title="DANH SÁCH",
        lines=[f"Đơn vị: {unit.name}"],
        people=[_person(start + i) for i in range(n)],
    )
    f = BytesIO(data)
    f.name = "danh-sach.xlsx"
    return client.post(_url(cls, unit, "training:nominee_upload"), {"file": f})


def _refusal(capacity: int, taken: int, adding: int) -> str:
    """The refusal as the page shows it (in the page's language, escaped)."""
    with translation.override("vi"):
        return escape(capacity_problem(capacity=capacity, taken=taken, adding=adding))


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capacity", "taken", "adding", "fits"),
    [
        (None, 500, 100, True),  # no capacity: no limit
        (40, 38, 2, True),  # exactly full
        (40, 38, 3, False),
        (40, 40, 1, False),
        (40, 45, 1, False),  # over already (the capacity was lowered)
        (40, 40, 0, True),  # adding nobody never fails
    ],
)
def test_capacity_rule(capacity, taken, adding, fits):
    assert (capacity_problem(capacity=capacity, taken=taken, adding=adding) is None) is fits


def test_the_refusal_says_how_many_places_are_left():
    with translation.override("en"):
        assert capacity_problem(capacity=40, taken=38, adding=5) == (
            "Only 2 of the class's 40 places are left, too few for the 5 people to add; "
            "nothing was saved."
        )
        assert "all its 40 places are taken" in capacity_problem(capacity=40, taken=40, adding=1)


# --- the pages -----------------------------------------------------------------------------


def test_adding_a_person_to_a_full_class_is_refused(secretary, full_class, school, open_day):
    cls = full_class(3, 3)
    response = secretary.post(
        _url(cls, school, "training:nominee_add"),
        {
            "p-family_name": "Lê Văn",
            "p-given_name": "Nam",
            "p-date_of_birth": "05/03/2006",
            "p-sex": "male",
            "p-ethnicity": "Kinh",
        },
    )
    assert response.status_code == 400
    assert _refusal(3, 3, 1) in response.content.decode()
    assert not school.candidates.exists()  # nothing written: no person, no list
    assert not NomineeList.objects.filter(training_class=cls, unit=school).exists()


def test_picking_more_people_than_places_left_is_refused_entirely(
    secretary, full_class, school, open_day, people
):
    cls = full_class(4, 2)
    picked = people(school, 3)
    response = secretary.post(
        _url(cls, school, "training:nominee_pick"), {"pick-candidates": [c.pk for c in picked]}
    )
    assert response.status_code == 400
    assert _refusal(4, 2, 3) in response.content.decode()
    assert not cls.nominations.filter(nominee_list__unit=school).exists()
    assert not NomineeList.objects.filter(training_class=cls, unit=school).exists()
    # two fit
    response = secretary.post(
        _url(cls, school, "training:nominee_pick"), {"pick-candidates": [c.pk for c in picked[:2]]}
    )
    assert response.status_code == 302
    assert cls.nominations.count() == 4


def test_an_upload_that_would_overflow_the_class_is_refused_entirely(
    secretary, full_class, school, open_day
):
    cls = full_class(5, 3)
    events = AuditEvent.objects.count()
    response = _upload(secretary, cls, school, 3)
    assert response.status_code == 400
    html = response.content.decode()
    assert _refusal(5, 3, 3) in html.split('id="import-errors"')[1]  # "only 2 of 5 places left"
    assert not Candidate.objects.filter(unit=school).exists()  # nothing written
    assert not NomineeList.objects.filter(training_class=cls, unit=school).exists()
    assert AuditEvent.objects.count() == events
    assert cls.nominations.count() == 3

    # two people fill the class exactly, and the class page says so
    assert _upload(secretary, cls, school, 2).status_code == 302
    assert cls.nominations.count() == 5
    page = secretary.get(cls.get_absolute_url())
    assert page.context["places_taken"] == 5
    assert 'id="class-places"' in page.content.decode()


def test_without_a_capacity_there_is_no_limit(secretary, full_class, school, open_day):
    cls = full_class(None, 3)
    assert _upload(secretary, cls, school, 10).status_code == 302
    assert cls.nominations.count() == 13
    page = secretary.get(cls.get_absolute_url())
    assert page.context["places_taken"] is None  # the page shows "—"


def test_returned_people_free_their_place_and_take_it_again_when_sent_again(
    full_class, school, demo, board, people, secretary, open_day
):
    cls = full_class(3, 3)
    other = NomineeList.objects.get(training_class=cls, unit=demo["THPT-HH2"])
    nominee_list_submit(actor=board, nominee_list=other)
    returned = other.nominations.first()
    nominations_review(actor=board, nominations=[returned], accept=False, reason="Chưa đủ tuổi")

    (mine,) = people(school, 1)
    response = secretary.post(
        _url(cls, school, "training:nominee_pick"), {"pick-candidates": [mine.pk]}
    )
    assert response.status_code == 302  # the returned person's place was free
    # sending the returned person again would take a fourth place of three
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        nominee_list_submit(actor=board, nominee_list=other)
    assert escape(refused.value.messages[0]) == _refusal(3, 3, 1)
    returned.refresh_from_db()
    assert returned.status == NominationStatus.RETURNED
    with pytest.raises(ValidationError):  # nor may the Board accept them back
        nominations_review(actor=board, nominations=[returned], accept=True)
    returned.refresh_from_db()
    assert returned.status == NominationStatus.RETURNED


# --- big files -----------------------------------------------------------------------------


def test_an_upload_takes_as_many_queries_for_60_rows_as_for_20(login, student_class, demo):
    """The nominations of everyone the file may be are read at once and the people and
    their nominations written in bulk: row by row, the 40 more rows would take some 800
    more queries."""
    board = login("bantochuc")
    with CaptureQueriesContext(connection) as small:
        assert _upload(board, student_class, demo["THPT-HH1"], 20).status_code == 302
    with CaptureQueriesContext(connection) as big:
        assert _upload(board, student_class, demo["THPT-HH2"], 60, start=100).status_code == 302
    assert student_class.nominations.count() == 80
    assert len(big) - len(small) <= 4  # SQLite's INSERTs hold ~38 candidates each
    event = AuditEvent.objects.filter(action="nominee_list_import").latest("pk")
    assert event.details["added"] == 60
    kinds = {c.object_type.model for c in event.changes.all()}
    assert kinds == {"candidate", "nomination"}  # every row's values, in the one event
    assert event.changes.count() == 120
