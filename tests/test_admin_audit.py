"""Every model in the Django admin is written through a service that audits the change.

The test walks ``admin.site``: for each registered model it adds an object through the add
page (the values copied from an existing object's change page, as a user would fill it,
with its inline rows), changes it (one field, and one inline row deleted), deletes it, adds
it again and deletes it with the "delete selected" action. Each write must leave new
``AuditEvent`` rows by the acting user, one at least for the object and one for each inline
that changed. Admins that only show records must refuse all three writes; those in
``DELETE_ONLY`` refuse adding and changing, and audit the delete. A new admin registered
without services fails here.
"""

import datetime
from itertools import count

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.forms import MultiWidget
from django.urls import reverse

from core.admin import ServiceAdminMixin
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

MODELS = sorted(model._meta.label_lower for model in admin.site._registry)

# What makes a copy of the sample a new object (its unique fields), per model.
NEW_VALUES = {
    "auth.group": {"name": "Nhóm kiểm tra"},
    "auth.user": {
        "username": "kiemtra",
        "usable_password": "true",
        "password1": "Mat-khau-kiem-tra-2024",
        "password2": "Mat-khau-kiem-tra-2024",
    },
    "candidates.candidate": {"citizen_id": "001099000777"},
    "quotas.historicaltotal": {"dated": "1999-12-31"},
    "quotas.plan": {"number": "999/KH-KT"},
    "quotas.target": {"in_annex": None},
    "reminders.remindersetting": {"user": "actor", "email_digest": None},
    "units.roleassignment": {"role": "standing_office", "user": "actor"},
    "units.unit": {"code": "KT-01", "name": "Chi bộ kiểm tra"},
    "units.unitkind": {"code": "kiem-tra", "name": "Kiểu kiểm tra"},
}
# The one field a change edits, when the first plain text field will not do.
CHANGES = {
    "reminders.remindersetting": {"email_digest": "on"},
    "units.roleassignment": {"role": "secretary"},
    "units.unitkind": {"sort_order": "7"},
}


def _encode(name: str, field, value) -> dict[str, object]:
    """A form field's value as the browser posts it."""
    if isinstance(field.widget, MultiWidget):
        parts = field.widget.decompress(value)
        return {f"{name}_{i}": _text(part) for i, part in enumerate(parts)}
    if getattr(field.widget, "input_type", None) == "checkbox":
        return {name: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {name: [_text(v) for v in value]}
    return {name: _text(value)}


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _form_data(form, *, skip=()) -> dict[str, object]:
    data = {}
    for name, field in form.fields.items():
        if field.disabled or name in skip or type(field.widget).__name__.endswith("FileInput"):
            continue
        bound = form[name]
        data.update(_encode(bound.html_name, field, bound.value()))
    return data


def _management(formset, *, total: int, initial: int) -> dict[str, object]:
    prefix = formset.prefix
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["adminform"].form, [
        inline.formset for inline in response.context["inline_admin_formsets"]
    ]


class Walk:
    """The admin pages of one model, as the superuser ``actor`` uses them."""

    def __init__(self, client, actor, label: str):
        self.client, self.actor, self.label = client, actor, label
        self.model = next(m for m in admin.site._registry if m._meta.label_lower == label)
        self.model_admin = admin.site._registry[self.model]
        self.names = count(1)

    def url(self, view: str, *args) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)

    def sample(self):
        sample = self.model._default_manager.order_by("-pk").first()
        if sample is None and self.label in SAMPLES:
            sample = SAMPLES[self.label]()
        assert sample is not None, f"the demo has no {self.label} to copy"
        return sample

    def audits_since(self, mark: int) -> int:
        return AuditEvent.objects.filter(pk__gt=mark, actor=self.actor).count()

    def mark(self) -> int:
        last = AuditEvent.objects.order_by("-pk").first()
        return last.pk if last else 0

    def post(self, url, data, *, expect=302):
        response = self.client.post(url, data)
        if response.status_code != expect and response.context:
            form = response.context.get("adminform")
            inlines = response.context.get("inline_admin_formsets") or []
            errors = [form.form.errors if form else None] + [
                i.formset.errors for i in inlines if any(i.formset.errors)
            ]
            pytest.fail(f"{self.label}: {response.status_code} {errors}")
        assert response.status_code == expect, (self.label, response.status_code)
        return response

    def add(self):
        sample_form, sample_inlines = _page(self.client, self.url("change", self.sample().pk))
        add_form, add_inlines = _page(self.client, self.url("add"))
        data = _form_data(add_form)
        copied = _form_data(sample_form)
        data.update({key: value for key, value in copied.items() if key in data})
        for name, value in NEW_VALUES.get(self.label, {}).items():
            value = str(self.actor.pk) if value == "actor" else value
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        inlines_with_rows = 0
        for formset in add_inlines:
            source = next((f for f in sample_inlines if f.prefix == formset.prefix), None)
            rows = list(source.initial_forms) if source is not None and formset.max_num else []
            skip = {"id", source.fk.name} if source is not None else set()
            for i, row in enumerate(rows):
                for key, value in _form_data(row, skip=skip | {"DELETE"}).items():
                    data[key.replace(row.prefix, f"{formset.prefix}-{i}", 1)] = value
            data.update(_management(formset, total=len(rows), initial=0))
            inlines_with_rows += bool(rows)
        before = set(self.model.objects.values_list("pk", flat=True))
        mark = self.mark()
        self.post(self.url("add"), data)
        created = self.model.objects.exclude(pk__in=before)
        assert created.count() == 1, self.label
        assert self.audits_since(mark) >= 1 + inlines_with_rows, self.label
        return created.get()

    def change(self, obj):
        form, inlines = _page(self.client, self.url("change", obj.pk))
        data = _form_data(form)
        wanted = CHANGES.get(self.label)
        if wanted is None:
            name = next(
                n
                for n, f in form.fields.items()
                if f.__class__.__name__ == "CharField" and not f.disabled and n in data
            )
            wanted = {name: f"{data[name]}x"}
        data.update(wanted)
        deleted = 0
        for formset in inlines:
            rows = list(formset.initial_forms)
            for row in rows:
                data.update(_form_data(row))
            if rows and formset.can_delete:
                data[f"{rows[0].prefix}-DELETE"] = "on"
                deleted += 1
            data.update(_management(formset, total=len(rows), initial=len(rows)))
        mark = self.mark()
        self.post(self.url("change", obj.pk), data)
        assert self.audits_since(mark) >= 1 + deleted, self.label

    def delete(self, obj):
        mark = self.mark()
        self.post(self.url("delete", obj.pk), {"post": "yes"})
        assert not self.model.objects.filter(pk=obj.pk).exists(), self.label
        assert self.audits_since(mark) >= 1, self.label

    def delete_selected(self, obj):
        mark = self.mark()
        data = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        self.post(self.url("changelist"), data)
        assert not self.model.objects.filter(pk=obj.pk).exists(), self.label
        assert self.audits_since(mark) >= 1, self.label


# The nominee lists are only in the demo with its classes played through (slower).
NEEDS_CLASSES = {
    "candidates.candidate",
    "training.nomineelist",
    "training.nomination",
    "training.trainingclass",
}


def _historical_total():
    from quotas.models import HistoricalTotal
    from quotas.services import historical_total_record
    from units.models import Unit

    unit = Unit.objects.order_by("-depth", "pk").first()
    total = HistoricalTotal(
        unit=unit, measure="admissions", dated=datetime.date(2021, 12, 31), count=2
    )
    return historical_total_record(actor=None, total=total)


def _access_attempt():
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(
        username="canbo",
        ip_address="10.0.0.9",
        user_agent="",
        http_accept="",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )


def _reminder_setting():
    from django.contrib.auth import get_user_model

    from reminders.services import reminder_setting_get, reminder_setting_save

    user = get_user_model().objects.get(username="bithu.thpt1")
    reminder_setting_save(
        user=user, email="bithu.thpt1@example.org", email_digest=False, actor=None
    )
    return reminder_setting_get(user=user)


# Models the demo has none of: one made by the service, to copy.
SAMPLES = {
    "quotas.historicaltotal": _historical_total,
    "axes.accessattempt": _access_attempt,
    "reminders.remindersetting": _reminder_setting,
}
# Records written by a library, which the admin only shows and deletes: django-axes'
# failed-login counts (deleting one unlocks a user name early; core.logins.login_unlock).
DELETE_ONLY = {"axes.accessattempt"}


@pytest.fixture
def superuser(request, demo):
    if (
        getattr(request.node, "callspec", None)
        and request.node.callspec.params.get("label") in NEEDS_CLASSES
    ):
        request.getfixturevalue("demo_classes")
    return get_user_model().objects.create_superuser("quantri", "", "Mat-khau-quan-tri-2024")


@pytest.fixture
def walk(client, superuser):
    client.force_login(superuser)

    def make(label: str) -> Walk:
        return Walk(client, superuser, label)

    return make


@pytest.mark.parametrize("label", MODELS)
def test_admin_writes_are_audited_or_refused(walk, rf, superuser, label):
    w = walk(label)
    request = rf.get("/")
    request.user = superuser
    can = {
        "add": w.model_admin.has_add_permission(request),
        "change": w.model_admin.has_change_permission(request),
        "delete": w.model_admin.has_delete_permission(request),
    }
    if label in DELETE_ONLY:
        assert can == {"add": False, "change": False, "delete": True}, label
        sample = w.sample()
        assert w.client.post(w.url("add"), {}).status_code == 403
        assert w.client.post(w.url("change", sample.pk), {}).status_code == 403
        w.delete(sample)
        w.delete_selected(w.sample())
        return
    if not any(can.values()):
        sample = w.sample()
        mark = w.mark()
        assert w.client.post(w.url("add"), {}).status_code == 403
        assert w.client.post(w.url("change", sample.pk), {}).status_code == 403
        assert w.client.post(w.url("delete", sample.pk), {"post": "yes"}).status_code == 403
        assert w.model.objects.filter(pk=sample.pk).exists()
        assert w.audits_since(mark) == 0
        return
    assert all(can.values()), f"{label}: give it all three services, or none (read only)"
    obj = w.add()
    w.change(obj)
    w.delete(obj)
    w.delete_selected(w.add())


@pytest.mark.parametrize("label", MODELS)
def test_every_admin_writes_through_services_or_only_shows(rf, label):
    """An admin that may write must be a ``ServiceAdminMixin`` (its inlines too)."""
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    writes = any(
        check(request)
        for check in (
            model_admin.has_add_permission,
            model_admin.has_change_permission,
            model_admin.has_delete_permission,
        )
    )
    assert not writes or isinstance(model_admin, ServiceAdminMixin), label


def test_password_change_in_the_admin_is_audited(walk):
    w = walk(get_user_model()._meta.label_lower)
    user = get_user_model().objects.get(username="bantochuc")
    password = "Mat-khau-moi-2024"
    data = {"password1": password, "password2": password, "usable_password": "true"}
    mark = w.mark()
    w.post(w.url("password_change", user.pk), data)
    user.refresh_from_db()
    assert user.check_password(password)
    event = AuditEvent.objects.get(pk__gt=mark, action="account_password_set")
    assert (event.actor, event.details["username"]) == (w.actor, "bantochuc")
