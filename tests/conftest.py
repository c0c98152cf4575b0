import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from units.models import Unit

DEMO_PASSWORD = "ptdv2024"


@pytest.fixture
def demo(db):
    """The demo district of Plan 145/KH-HU, loaded by the real command (without the
    generated classes: ``demo_classes`` adds them)."""
    call_command("load_demo", "--only", "district", "--no-classes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def demo_user(demo):
    def get(username: str):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def plan145(demo):
    """Plan 145/KH-HU of the demo district (seed 001)."""
    from quotas.models import Plan

    return Plan.objects.get(number="145/KH-HU")


@pytest.fixture
def board(demo_user):
    """The demo's Organization Board account."""
    return demo_user("bantochuc")


@pytest.fixture
def login(client, demo):
    def do(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return do


@pytest.fixture
def demo_classes(demo):
    """The demo with its four 2024 awareness classes played through."""
    from demo.classes import demo_classes_load

    demo_classes_load()
    return demo


# --- the whole demo (classes and candidates played through), once per module ------------------

# Rows the snapshot leaves out: Django's own bookkeeping, the audit trail of the loading, and
# the worker's queue.
NOT_SNAPSHOT = {
    "contenttypes.ContentType",
    "auth.Permission",
    "sessions.Session",
    "admin.LogEntry",
    "core.AuditEvent",
    "core.AuditChange",
    "django_tasks_db.DBTaskResult",
}


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The whole demo district — ``load_demo`` with its classes, candidates and totals of
    past years, which takes ~20 s — built once per session inside a transaction that is
    rolled back, and kept as serialized rows for ``full_demo`` to put back in a second:
    [(model, existed before loading, rows)]."""
    from django.apps import apps
    from django.core import serializers
    from django.core.management import call_command
    from django.db import transaction

    models = [m for m in apps.get_models() if m._meta.label not in NOT_SNAPSHOT]
    with django_db_blocker.unblock(), transaction.atomic():
        before = {m: m._default_manager.exists() for m in models}
        call_command("load_demo", "--only", "district", stdout=open(os.devnull, "w"))  # noqa: SIM115
        snapshot = [
            (
                model,
                before[model],
                serializers.serialize("python", model._default_manager.order_by("pk")),
            )
            for model in models
            if model._default_manager.exists()
        ]
        transaction.set_rollback(True)
    return snapshot


def _restore(snapshot) -> None:
    """Put the rows back: tables that had rows after migrating (the kinds of unit, the
    Board's group) row by row, the others in bulk; then the many-to-many links."""
    from django.core import serializers

    links = []
    for model, existed, rows in snapshot:
        items = list(serializers.deserialize("python", rows))
        if existed:
            for item in items:
                item.save()
            continue
        model._default_manager.bulk_create([item.object for item in items])
        links += [item for item in items if any(item.m2m_data.values())]
    for item in links:
        for name, values in item.m2m_data.items():
            getattr(item.object, name).set(values)


@pytest.fixture(scope="module")
def full_demo(demo_snapshot, django_db_blocker):
    """The whole demo district for the tests of one module, rolled back after them: the
    units by code. Each test still runs in its own transaction (mark it django_db)."""
    from django.db import transaction

    from units.models import Unit

    with django_db_blocker.unblock(), transaction.atomic():
        _restore(demo_snapshot)
        yield {u.code: u for u in Unit.objects.select_related("kind")}
        transaction.set_rollback(True)
