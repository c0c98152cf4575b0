import os
import shutil

import pytest

from documents.pdf import font_dir, font_faces, fonts_complete


def _required(what: str, hint: str):
    """Missing on a developer's machine: skip. In CI (PTDV_REQUIRE_BROWSER=1): fail."""
    message = f"{what} is missing ({hint})."
    if os.environ.get("PTDV_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " CI must run this test.")
    pytest.skip(message)


@pytest.fixture
def tinos():
    """The Tinos files fetched by `make` (scripts/fetch_fonts.py)."""
    if not fonts_complete(font_faces()):
        _required(f"Tinos in {font_dir()}", "run: python3 scripts/fetch_fonts.py")
    return font_dir()


@pytest.fixture
def pdftotext():
    path = shutil.which("pdftotext")
    if path is None:
        _required("pdftotext", "apt-get install poppler-utils")
    return path


# --- the whole demo (classes and candidates played through), once per module ------------------

# Rows the snapshot leaves out: Django's own bookkeeping, the audit trail of the loading, and
# the worker's queue.
NOT_SNAPSHOT = {
    "contenttypes.ContentType",
    "auth.Permission",
    "sessions.Session",
    "admin.LogEntry",
    "core.AuditEvent",
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


@pytest.fixture(scope="module")
def plan(full_demo, django_db_blocker):
    """Plan 145/KH-HU of the whole demo (classes, candidates, past years)."""
    from quotas.models import Plan

    with django_db_blocker.unblock():
        return Plan.objects.get(number="145/KH-HU")


@pytest.fixture
def login(client, full_demo):
    """``login("thuongtruc")``: the test client logged in as a demo account."""
    from django.contrib.auth import get_user_model

    def do(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return do
