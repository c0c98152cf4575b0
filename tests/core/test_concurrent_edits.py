"""No lost updates (issue 14, item 4): a form opened before someone else saved the same
record is refused with what they changed, keeps what this user typed, and saves on a
second press."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate
from core.forms import ConcurrentEditMixin


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def _form_data(response) -> dict:
    """The fields of the form on the page as the browser would send them."""
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False or isinstance(value, FieldFile):
            continue  # an unticked box, an empty field, a file input (sent empty)
        if isinstance(value, date):
            value = value.strftime("%d/%m/%Y")
        data[bound.html_name] = "on" if value is True else value
    return data


@pytest.fixture
def person(demo):
    return Candidate.objects.create(
        unit=demo["THPT-HH1"], family_name="Nguyễn Thị", given_name="Hoa",
        date_of_birth=date(2006, 3, 10), sex="female", category="student",
        school_class="12A1", phone="0912000111",
    )  # fmt: skip


def test_a_candidate_saved_by_another_is_not_overwritten_silently(person, client, demo):
    users = get_user_model().objects
    url = reverse("candidates:candidate_update", args=[person.pk])
    client.force_login(users.get(username="bithu.thpt1"))
    mine = _form_data(client.get(url))  # the secretary opens the form ...

    other = client.__class__()
    other.force_login(users.get(username="bantochuc"))
    theirs = _form_data(other.get(url))
    theirs["school_class"] = "12A5"  # ... the Board corrects the class and saves
    assert other.post(url, theirs).status_code == 302

    mine["phone"] = "0988777666"  # ... the secretary changes the phone and saves
    refused = client.post(url, mine)
    assert refused.status_code == 200 or refused.status_code == 422
    page = refused.content.decode()
    assert "“12A5”" in page  # what the other person changed
    fingerprint = signing.loads(
        refused.context["form"]["opened_as"].value(), salt=ConcurrentEditMixin._SALT
    )
    assert "12A5" not in str(fingerprint)  # hashes: no value travels in the hidden field
    assert "0988777666" in page  # what this user typed is still there
    person.refresh_from_db()
    assert (person.school_class, person.phone) == ("12A5", "0912000111")  # nothing lost

    again = _form_data(refused)  # the form now carries the record as it is
    assert client.post(url, again).status_code == 302
    person.refresh_from_db()
    assert (person.school_class, person.phone) == ("12A1", "0988777666")  # knowingly kept


def test_a_save_without_anyone_elses_change_goes_through(person, client, demo):
    url = reverse("candidates:candidate_update", args=[person.pk])
    client.force_login(get_user_model().objects.get(username="bithu.thpt1"))
    data = _form_data(client.get(url))
    data["phone"] = "0988777666"
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.phone == "0988777666"


@pytest.mark.parametrize(
    ("url_name", "field", "value"),
    [
        ("quotas:plan_update", "title", "Kế hoạch đã sửa"),
        ("training:class_update", "name", "Lớp đã sửa"),
    ],
)
def test_plans_and_classes_are_guarded_too(demo_classes, client, url_name, field, value):
    from quotas.models import Plan
    from training.models import TrainingClass

    obj = Plan.objects.first() if url_name.startswith("quotas") else TrainingClass.objects.first()
    url = reverse(url_name, args=[obj.pk])
    client.force_login(get_user_model().objects.get(username="bantochuc"))
    opened = _form_data(client.get(url))
    setattr(obj, field, value)
    obj.save()  # someone else saves in between
    refused = client.post(url, opened)
    assert refused.status_code in (200, 422)
    assert value in refused.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == value
