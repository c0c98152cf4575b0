"""No lost updates on nominee lists (docs/security.md, section 4): two people adding the same
person at the same instant get one row and a message, never a 500; an action on the whole
list (submit it, accept or return everyone) made from a page opened before someone else
changed the list is refused naming what changed."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from candidates.models import Candidate
from training.choices import ListStatus, NominationStatus
from training.models import Nomination
from training.services import nominee_add, nominee_list_open, nominee_list_submit

from .conftest import SUBMIT_DAY

TYPED = {
    "p-family_name": "Lê Văn",
    "p-given_name": "Nam",
    "p-date_of_birth": "05/03/2006",
    "p-sex": "male",
    "p-ethnicity": "Kinh",
}


@pytest.fixture
def open_day(at_day):
    at_day(SUBMIT_DAY)


def _url(cls, unit, name="training:list_detail", *extra):
    return reverse(name, args=[cls.pk, unit.pk, *extra])


def _post_as(username: str, url: str, data: dict):
    """A request by ``username`` on a connection of its own; (status, form errors)."""

    def run():
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username=username))
        response = client.post(url, data)
        context = response.context or {}
        forms = [context.get(name) for name in ("person_form", "pick_form")]
        errors = [e for form in forms if form is not None for e in form.non_field_errors()]
        return response.status_code, " ".join(errors)

    return run


@pytest.mark.parametrize("first_on_the_list", [False, True])
def test_two_people_typing_the_same_person_at_once_make_one_row(
    concurrent, student_class, demo, open_day, first_on_the_list
):
    """The secretary and the Board type the same new person into the unit's list at the same
    instant (both past the form's checks before either writes): one is added, the other is
    told so; no "database is locked", no second record. The list itself may be new too."""
    unit = demo["THPT-HH1"]
    if first_on_the_list:
        nominee_list_open(actor=None, training_class=student_class, unit=unit)
    url = _url(student_class, unit, "training:nominee_add")
    concurrent.gate("training.views.lists.citizen_id_check")  # past the form, before the write
    results = concurrent.run(_post_as("bithu.thpt1", url, TYPED), _post_as("bantochuc", url, TYPED))

    assert sorted(status for status, _ in results) == [302, 400]
    (told,) = [errors for status, errors in results if status == 400]
    assert "Lê Văn Nam" in told and "05/03/2006" in told

    def rows():
        people = Candidate.objects.filter(unit=unit, family_name="Lê Văn", given_name="Nam")
        return people.count(), Nomination.objects.filter(training_class=student_class).count()

    assert concurrent.run(rows) == [(1, 1)]


def test_two_people_ticking_the_same_person_at_once_make_one_row(
    concurrent, student_class, demo, open_day, people
):
    unit = demo["THPT-HH1"]
    (person,) = people(unit, 1)
    url = _url(student_class, unit, "training:nominee_pick")
    data = {"pick-candidates": [person.pk]}
    concurrent.gate("training.views.lists.PickForm")  # both open the form before either writes
    results = concurrent.run(_post_as("bithu.thpt1", url, data), _post_as("bantochuc", url, data))

    assert sorted(status for status, _ in results) == [302, 400]
    (told,) = [errors for status, errors in results if status == 400]
    assert person.full_name in told
    count = concurrent.run(lambda: Nomination.objects.filter(candidate=person).count())
    assert count == [1]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_submitting_a_list_someone_changed_since_the_page_was_opened(
    login, student_class, demo, open_day, board, people
):
    unit = demo["THPT-HH1"]
    nl = nominee_list_open(actor=board, training_class=student_class, unit=unit)
    mine, theirs = people(unit, 2)
    nominee_add(actor=board, nominee_list=nl, candidate=mine)
    client = login("bithu.thpt1")
    page = client.get(_url(student_class, unit))  # the secretary sees one person ...
    opened_as = page.context["opened_as"]
    nominee_add(actor=board, nominee_list=nl, candidate=theirs)  # ... the Board adds another

    url = _url(student_class, unit, "training:list_submit")
    refused = client.post(url, {"opened_as": opened_as}, follow=True)
    (message,) = _messages(refused)
    assert theirs.full_name in message and mine.full_name not in message
    nl.refresh_from_db()
    assert nl.status == ListStatus.DRAFT
    assert set(nl.nominations.values_list("status", flat=True)) == {NominationStatus.DRAFT}

    again = refused.context["opened_as"]  # the page now shows both: submitting them goes
    assert client.post(url, {"opened_as": again}).status_code == 302
    nl.refresh_from_db()
    assert nl.status == ListStatus.SUBMITTED
    assert set(nl.nominations.values_list("status", flat=True)) == {NominationStatus.PENDING}


def test_the_board_returning_a_list_the_unit_changed_since_keeps_the_reason(
    login, student_class, demo, open_day, board, people
):
    unit = demo["THPT-HH1"]
    nl = nominee_list_open(actor=board, training_class=student_class, unit=unit)
    first, late = people(unit, 2)
    nominee_add(actor=board, nominee_list=nl, candidate=first)
    nominee_list_submit(actor=board, nominee_list=nl)
    client = login("bantochuc")
    url = _url(student_class, unit, "training:list_review")
    opened_as = client.get(url).context["opened_as"]  # the Board reads one person ...
    nominee_add(actor=board, nominee_list=nl, candidate=late)  # ... the unit adds one more
    nominee_list_submit(actor=board, nominee_list=nl)  # and submits again

    reason = "Thiếu bản nhận xét của chi đoàn"
    data = {"action": "return_list", "reason": reason, "opened_as": opened_as}
    refused = client.post(url, data)
    assert refused.status_code == 409
    (message,) = _messages(refused)
    assert late.full_name in message and first.full_name not in message
    assert reason in refused.content.decode()  # what the Board typed is kept
    assert set(nl.nominations.values_list("status", flat=True)) == {NominationStatus.PENDING}

    data["opened_as"] = refused.context["opened_as"]
    assert client.post(url, data).status_code == 302
    assert set(nl.nominations.values_list("status", flat=True)) == {NominationStatus.RETURNED}


def test_accepting_everyone_on_a_list_someone_changed_since_is_refused(
    login, student_class, demo, open_day, board, people
):
    unit = demo["THPT-HH1"]
    nl = nominee_list_open(actor=board, training_class=student_class, unit=unit)
    first, late = people(unit, 2)
    nominee_add(actor=board, nominee_list=nl, candidate=first)
    nominee_list_submit(actor=board, nominee_list=nl)
    client = login("bantochuc")
    url = _url(student_class, unit, "training:list_review")
    opened_as = client.get(url).context["opened_as"]
    nominee_add(actor=board, nominee_list=nl, candidate=late)
    nominee_list_submit(actor=board, nominee_list=nl)

    refused = client.post(url, {"action": "accept_all", "opened_as": opened_as}, follow=True)
    assert late.full_name in _messages(refused)[0]
    assert not nl.nominations.filter(status=NominationStatus.ACCEPTED).exists()


def test_taking_off_a_person_someone_else_took_off_says_so(
    login, student_class, demo, open_day, board, people
):
    unit = demo["THPT-HH1"]
    nl = nominee_list_open(actor=board, training_class=student_class, unit=unit)
    (person,) = people(unit, 1)
    nomination = nominee_add(actor=board, nominee_list=nl, candidate=person)
    url = _url(student_class, unit, "training:nominee_remove", nomination.pk)
    client = login("bithu.thpt1")
    assert client.post(url, follow=True).status_code == 200  # the first press takes them off
    again = client.post(url, follow=True)  # a second (another tab, a double click)
    assert again.status_code == 200  # the list page, with a message; not a 404
    assert [m.level_tag for m in get_messages(again.wsgi_request)] == ["error"]
    assert not nl.nominations.exists()
