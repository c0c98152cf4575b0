"""A class's nominee lists, their template and the roster by role (docs/personal-data.md):
the standing office never receives a citizen ID, a phone or a full date of birth; keepers
see the citizen ID masked; every download of the template with citizen IDs is recorded;
another unit's nominee is never mentioned to a secretary (docs/security.md 8)."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from candidates.models import Candidate
from candidates.people_xlsx import people_template_xlsx
from core.models import AuditEvent
from training.services import (
    nominations_review,
    nominee_add,
    nominee_list_open,
    nominee_list_submit,
)

from .conftest import SUBMIT_DAY

CCCD = "024306003359"
PHONE = "0987654321"
BORN = "10/03/2006"


@pytest.fixture
def nominated(at_day, student_class, demo, board):
    """A student of THPT-HH1 with a citizen ID and a phone on the unit's list, accepted."""
    at_day(SUBMIT_DAY)
    person = Candidate.objects.create(
        unit=demo["THPT-HH1"], family_name="Nguyễn Thị", given_name="Riêng",
        date_of_birth=date(2006, 3, 10), sex="female", category="student",
        citizen_id=CCCD, phone=PHONE,
    )  # fmt: skip
    nl = nominee_list_open(actor=board, training_class=student_class, unit=demo["THPT-HH1"])
    nominee_add(actor=board, nominee_list=nl, candidate=person)
    nominee_list_submit(actor=board, nominee_list=nl, today=SUBMIT_DAY)
    nominations_review(actor=board, nominations=list(nl.nominations.all()), accept=True)
    return person


def _list_url(cls, unit, name="training:list_detail"):
    return reverse(name, args=[cls.pk, unit.pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_keepers_see_the_citizen_id_masked_on_the_list(nominated, login, student_class, demo):
    for username in ("bithu.thpt1", "bantochuc"):
        page = login(username).get(_list_url(student_class, demo["THPT-HH1"]))
        body = page.content.decode()
        assert page.status_code == 200 and nominated.given_name in body
        assert CCCD not in body and "********3359" in body and BORN in body
    review = login("bantochuc").get(
        _list_url(student_class, demo["THPT-HH1"], "training:list_review")
    )
    assert CCCD not in review.content.decode() and "********3359" in review.content.decode()


def test_the_standing_office_list_has_names_and_years_only(nominated, login, student_class, demo):
    page = login("thuongtruc").get(_list_url(student_class, demo["THPT-HH1"]))
    body = page.content.decode()
    assert page.status_code == 200 and nominated.given_name in body
    assert CCCD not in body and "3359" not in body and PHONE not in body
    assert BORN not in body and "2006" in body


def test_the_template_with_citizen_ids_is_recorded_and_refused_to_the_standing_office(
    nominated, login, student_class, demo
):
    url = _list_url(student_class, demo["THPT-HH1"], "training:list_template")
    office = login("thuongtruc").get(url)
    assert office.status_code == 403 and CCCD.encode() not in office.content
    assert not AuditEvent.objects.filter(action="personal_data_download").exists()

    response = login("bithu.thpt1").get(url)
    ws = load_workbook(BytesIO(_body(response))).active
    assert CCCD in [str(c.value) for row in ws.iter_rows() for c in row]
    event = AuditEvent.objects.get(action="personal_data_download")
    assert event.details["file"] == "nominee_template" and event.details["citizen_ids"] == 1
    assert event.unit_id == demo["THPT-HH1"].pk and event.actor_name == "bithu.thpt1"
    assert event.details["training_class"] == student_class.pk


@pytest.mark.parametrize("fmt", ["xlsx"])
def test_the_roster_gives_the_standing_office_the_year_of_birth(
    nominated, login, student_class, fmt
):
    url = reverse("reports:class_sheet", args=[student_class.pk, "roster", fmt])
    for username, shown, hidden in (
        ("thuongtruc", "2006", BORN),
        ("bantochuc", BORN, None),
    ):
        response = login(username).get(url)
        assert response.status_code == 200
        ws = load_workbook(BytesIO(_body(response))).active
        values = [
            f"{c.value:%d/%m/%Y}" if c.is_date else str(c.value)  # a birth date is a date cell
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        ]
        assert shown in values and CCCD not in values
        if hidden:
            assert hidden not in values


def test_another_units_nominee_with_the_same_name_is_not_mentioned(
    at_day, login, student_class, demo, board
):
    """The name and date of birth of a nominee of another school: the row goes on the list,
    nothing is said, and the Board is alerted with both units."""
    at_day(SUBMIT_DAY)
    theirs = Candidate.objects.create(
        unit=demo["THPT-HH2"], family_name="Lê Văn", given_name="Bình",
        date_of_birth=date(2006, 2, 3), sex="male", category="student",
    )  # fmt: skip
    other = nominee_list_open(actor=board, training_class=student_class, unit=demo["THPT-HH2"])
    nominee_add(actor=board, nominee_list=other, candidate=theirs)
    row = {"family_name": "Lê Văn", "given_name": "Bình", "date_of_birth": date(2006, 2, 3),
           "sex": "Nam", "citizen_id": ""}  # fmt: skip
    upload = BytesIO(people_template_xlsx(title="DANH SÁCH", lines=[], people=[row]))
    upload.name = "ds.xlsx"
    client = login("bithu.thpt1")
    response = client.post(
        _list_url(student_class, demo["THPT-HH1"], "training:nominee_upload"), {"file": upload}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Hiệp Hòa số 2" not in page and "đơn vị khác" not in page
    event = AuditEvent.objects.get(action="duplicate_attempt")
    assert event.unit_id == demo["THPT-HH1"].pk
    assert event.details == {
        "kind": "name_and_birth",
        "other_unit": demo["THPT-HH2"].pk,
        "name": "Lê Văn Bình",
    }
    assert event.object_id == str(theirs.pk)
