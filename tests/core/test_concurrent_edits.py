"""No lost updates (issue 14, item 4): a form opened before someone else saved the same
record is refused with what they changed, keeps what this user typed, and saves on a
second press; the services check again under the row lock, so that two saves in the same
instant cannot both pass; the Django admin's change forms do the same."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate
from core import concurrency


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
    fingerprint = signing.loads(refused.context["form"]["opened_as"].value(), salt=concurrency.SALT)
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


# --- the services check again, under the row lock ---------------------------------------------


def _edits():
    """(address, the service as the view calls it, its keyword, the record, the field another
    person changes and its new value, the field this user changes and the value they type)."""
    from quotas.models import Plan
    from training.models import TrainingClass

    plan = Plan.objects.get(number="145/KH-HU")
    target = plan.targets.order_by("pk").first()
    round_ = plan.rounds.order_by("pk").first()
    cls = TrainingClass.objects.order_by("pk").first()
    person = Candidate.objects.order_by("pk").first()
    return {
        "candidate": (
            reverse("candidates:candidate_update", args=[person.pk]),
            "candidates.views.record.candidate_save", "candidate", person,
            ("school_class", "12A9"), ("phone", "0988777666"),
        ),
        "plan": (
            reverse("quotas:plan_update", args=[plan.pk]),
            "quotas.views.plan_save", "plan", plan,
            ("title", "Kế hoạch do người khác sửa"), ("implements", "Điều lệ Đảng"),
        ),
        "round": (
            reverse("quotas:round_update", args=[plan.pk, round_.pk]),
            "quotas.views.round_save", "round", round_,
            ("name", "Đợt do người khác sửa"), ("number", "9"),
        ),
        "target": (
            reverse("quotas:target_update", args=[plan.pk, target.pk]),
            "quotas.views.target_save", "target", target,
            ("name", "Chỉ tiêu do người khác sửa"), ("source_text", "Mục II.1"),
        ),
        "class": (
            reverse("training:class_update", args=[cls.pk]),
            "training.views.classes.class_save", "training_class", cls,
            ("venue", "Hội trường do người khác sửa"), ("note", "Ghi chú của tôi"),
        ),
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["candidate", "plan", "round", "target", "class"])
def test_a_save_in_the_instant_after_the_forms_check_is_refused_by_the_service(
    demo_classes, client, monkeypatch, kind
):
    """The other person's save lands after this form passed its check and before the
    service saves: the service's check under the row lock refuses, as the form would."""
    from django.utils.module_loading import import_string

    url, service, keyword, record, (theirs, their_value), (mine, my_value) = _edits()[kind]
    board = get_user_model().objects.get(username="bantochuc")
    client.force_login(board)
    opened = _form_data(client.get(url))
    original = import_string(service)

    def other_person_saves_first(**kwargs):
        other = type(record).objects.get(pk=record.pk)
        setattr(other, theirs, their_value)
        original(actor=board, **{keyword: other})
        return original(**kwargs)

    monkeypatch.setattr(service, other_person_saves_first)
    opened[mine] = my_value
    refused = client.post(url, opened)
    assert refused.status_code == 200
    assert f"“{their_value}”" in refused.content.decode()  # what the other person changed
    assert my_value in refused.content.decode()  # what this user typed is kept
    record.refresh_from_db()
    assert getattr(record, theirs) == their_value  # nothing lost
    assert str(getattr(record, mine)) != my_value

    monkeypatch.setattr(service, original)
    again = _form_data(refused)  # the form now carries the record as it is
    assert client.post(url, again).status_code == 302
    record.refresh_from_db()
    assert str(getattr(record, mine)) == my_value


def test_two_saves_at_the_same_instant_one_is_refused(concurrent, demo):
    """Two people press Save on the same candidate at the same instant, each on their own
    connection (a file on SQLite, as a server's): both forms pass their check before either
    writes; the service of the second sees the first's save and refuses."""
    person = Candidate.objects.create(
        unit=demo["THPT-HH1"], family_name="Nguyễn Thị", given_name="Hoa",
        date_of_birth=date(2006, 3, 10), sex="female", category="student",
        school_class="12A1", phone="0912000111",
    )  # fmt: skip
    url = reverse("candidates:candidate_update", args=[person.pk])
    concurrent.gate("candidates.views.record.candidate_save")

    def edit(username: str, field: str, value: str):
        def run():
            client = Client(raise_request_exception=False)
            client.force_login(get_user_model().objects.get(username=username))
            data = _form_data(client.get(url))
            data[field] = value
            response = client.post(url, data)
            return response.status_code, response.content.decode()

        return run

    first, second = concurrent.run(
        edit("bithu.thpt1", "phone", "0988777666"), edit("bantochuc", "school_class", "12A5")
    )
    assert sorted([first[0], second[0]]) == [200, 302]
    refused = first if first[0] == 200 else second
    saved = concurrent.run(lambda: Candidate.objects.get(pk=person.pk))[0]
    if refused is first:  # the Board's class went in; the phone was refused, and kept typed
        assert (saved.school_class, saved.phone) == ("12A5", "0912000111")
        assert "“12A5”" in refused[1] and "0988777666" in refused[1]
    else:
        assert (saved.school_class, saved.phone) == ("12A1", "0988777666")
        assert "“0988777666”" in refused[1] and "12A5" in refused[1]


# --- the unit form of the Django admin ---------------------------------------------------------


def _admin_data(response) -> dict:
    """The admin's change form as the browser posts it, inline rows included."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            box = getattr(bound.field.widget, "input_type", None) == "checkbox"
            if value is None or (box and not value) or isinstance(value, FieldFile):
                continue  # an empty field, an unticked box, a file input (sent empty)
            if box:
                value = "on"
            elif isinstance(value, date):
                value = value.strftime("%d/%m/%Y")
            elif isinstance(value, list | tuple):
                value = [getattr(v, "pk", v) for v in value]
            elif hasattr(value, "pk"):
                value = value.pk
            data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.initial_forms:
            add(form)
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
    return data


def _admin_edits():
    """(the record, the field another person changes and its new value, the field this user
    changes and the value they type), by the admin's URL name."""
    from quotas.models import Plan
    from training.models import TrainingClass
    from units.models import Unit

    plan = Plan.objects.get(number="145/KH-HU")
    return {
        "units_unit": (
            Unit.objects.get(code="THPT-HH1"),
            ("name", "Trường THPT Hiệp Hòa số 1 (đã đổi tên)"), ("short_name", "THPT HH1"),
        ),
        "candidates_candidate": (
            Candidate.objects.order_by("pk").first(),
            ("school_class", "12A9"), ("phone", "0988777666"),
        ),
        "quotas_plan": (
            plan, ("title", "Kế hoạch do người khác sửa"), ("implements", "Điều lệ Đảng"),
        ),
        "quotas_target": (
            plan.targets.order_by("pk").first(),
            ("name", "Chỉ tiêu do người khác sửa"), ("source_text", "Mục II.1"),
        ),
        "training_trainingclass": (
            TrainingClass.objects.order_by("pk").first(),
            ("venue", "Hội trường do người khác sửa"), ("note", "Ghi chú của tôi"),
        ),
    }  # fmt: skip


@pytest.mark.parametrize(
    "admin_name",
    [
        "units_unit",
        "candidates_candidate",
        "quotas_plan",
        "quotas_target",
        "training_trainingclass",
    ],
)
def test_a_record_changed_in_the_admin_by_another_is_not_overwritten(
    demo_classes, client, admin_name
):
    record, (theirs, their_value), (mine, my_value) = _admin_edits()[admin_name]
    model = type(record)
    before = getattr(record, theirs)
    url = reverse(f"admin:{admin_name}_change", args=[record.pk])
    client.force_login(get_user_model().objects.get(username="bantochuc"))
    opened = _admin_data(client.get(url))  # Board staff open the record ...

    other = Client()
    other.force_login(get_user_model().objects.create_superuser("quantri", "", "x"))
    data = _admin_data(other.get(url))
    data[theirs] = their_value  # ... another changes one field and saves
    assert other.post(url, data).status_code == 302

    opened[mine] = my_value  # ... the first changes another field and saves
    refused = client.post(url, opened)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert f"“{their_value}”" in str(form.non_field_errors())  # what the other changed
    assert my_value in refused.content.decode()  # what was typed is kept
    record = model.objects.get(pk=record.pk)
    assert getattr(record, theirs) == their_value  # nothing lost
    assert getattr(record, mine) != my_value

    assert client.post(url, _admin_data(refused)).status_code == 302  # saved knowingly
    record = model.objects.get(pk=record.pk)
    assert (getattr(record, theirs), getattr(record, mine)) == (before, my_value)
