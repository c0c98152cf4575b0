import importlib
import os
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from functools import partial, wraps
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from units.models import Unit

DEMO_PASSWORD = "ptdv2024"


@pytest.fixture
def demo(db, demo_rows):
    """The demo district of Plan 145/KH-HU as ``load_demo district --no-classes`` leaves it
    (without the generated classes: ``demo_classes`` adds them): the rows the command wrote
    once per session, put back in this test's transaction. A test whose database commits
    (``transactional_db``) runs the command itself: a flush before it renumbers what the
    rows refer to; so does one where another demo is there already (``full_demo``): the
    command adds to it what is missing."""
    if not (connection.in_atomic_block and restore_rows(demo_rows)):
        load_district("--no-classes")
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
def full_demo_login(client, full_demo):
    """``full_demo_login("thuongtruc")``: the test client logged in as an account of the
    whole demo (``full_demo``)."""

    def do(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return do


@pytest.fixture
def login(client, demo):
    def do(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return do


@pytest.fixture
def demo_classes(demo, demo_classes_rows):
    """The demo with its four 2024 awareness classes played through (what
    ``demo_classes_load`` adds to ``demo``, put back the same way)."""
    if not (connection.in_atomic_block and restore_rows(demo_classes_rows)):
        from demo.classes import demo_classes_load

        demo_classes_load()
    return demo


# --- the demo built once per session, put back in a test or a module at once -------------------
#
# Loading the demo through the services takes from half a second (the district without its
# classes) to twenty (everything), more on PostgreSQL; so each is built once per session (per
# xdist worker) in a transaction that is rolled back, and kept as the rows it left in the
# tables it changed. A test puts them back with plain INSERTs in its own transaction. The ids
# are those the loading got: PostgreSQL's sequences stay past them (a rollback keeps them),
# SQLite counts on from them. Foreign keys are deferred; Django checks them all at the end of
# every test (``check_constraints``), so rows put back that did not fit would fail it.

# Rows the whole demo's snapshot leaves out: Django's own bookkeeping, the audit trail of the
# loading, and the worker's queue.
NOT_SNAPSHOT = {
    "contenttypes.ContentType",
    "auth.Permission",
    "sessions.Session",
    "admin.LogEntry",
    "core.AuditEvent",
    "core.AuditChange",
    "django_tasks_database.DBTaskResult",
}


@dataclass(frozen=True)
class TableRows:
    """A table as a loading step left it: its columns and rows, and whether it had rows
    before the step (those go before these are put back)."""

    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    had_rows: bool


def load_district(*options: str) -> None:
    call_command("load_demo", "--only", "district", *options, stdout=open(os.devnull, "w"))  # noqa: SIM115


def read_tables(tables) -> dict[str, tuple[tuple[str, ...], tuple[tuple, ...]]]:
    """Each table's columns and rows, in the order of its first column (the key)."""
    read = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            columns = tuple(c[0] for c in cursor.description)
            read[table] = (columns, tuple(tuple(row) for row in cursor.fetchall()))
    return read


def snapshot_rows(blocker, *steps, leave_out=()) -> list[TableRows]:
    """Run ``steps`` in a transaction that is rolled back; the tables the last step changed,
    as it left them (``leave_out``: models whose tables are not kept)."""
    from django.apps import apps

    skipped = {apps.get_model(label)._meta.db_table for label in leave_out}
    *first, last = steps
    with blocker.unblock(), transaction.atomic():
        tables = sorted(set(connection.introspection.django_table_names(True)) - skipped)
        for step in first:
            step()
        before = read_tables(tables)
        last()
        after = read_tables(tables)
        transaction.set_rollback(True)
    return [
        TableRows(table, *after[table], had_rows=bool(before[table][1]))
        for table in tables
        if after[table] != before[table]
    ]


def restore_rows(snapshot: list[TableRows]) -> bool:
    """Put the tables back as the snapshot has them, in the caller's transaction; or, when a
    table that was empty then has rows now (another demo is there), nothing: False."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for t in snapshot:
            if not t.had_rows:
                cursor.execute(f"SELECT 1 FROM {quote(t.table)} LIMIT 1")
                if cursor.fetchone():
                    return False
        for t in snapshot:
            if t.had_rows:
                cursor.execute(f"DELETE FROM {quote(t.table)}")
            if t.rows:
                columns = ", ".join(quote(c) for c in t.columns)
                marks = ", ".join(["%s"] * len(t.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(t.table)} ({columns}) VALUES ({marks})", t.rows
                )
    return True


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):
    """What ``load_demo district --no-classes`` writes, for ``demo``."""
    return snapshot_rows(django_db_blocker, partial(load_district, "--no-classes"))


@pytest.fixture(scope="session")
def demo_classes_rows(demo_rows, django_db_blocker):
    """What playing the four 2024 classes adds to those rows (played on them, so that the
    ids agree on PostgreSQL too), for ``demo_classes``."""
    from demo.classes import demo_classes_load

    return snapshot_rows(django_db_blocker, partial(restore_rows, demo_rows), demo_classes_load)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The whole demo district — ``load_demo`` with its classes, candidates and totals of
    past years — for ``full_demo``."""
    return snapshot_rows(django_db_blocker, load_district, leave_out=NOT_SNAPSHOT)


@pytest.fixture(scope="module")
def full_demo(demo_snapshot, django_db_blocker):
    """The whole demo district for the tests of one module, rolled back after them: the
    units by code. Each test still runs in its own transaction (mark it django_db)."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert restore_rows(demo_snapshot), "full_demo needs the database as migrations leave it"
        yield {u.code: u for u in Unit.objects.select_related("kind")}
        transaction.set_rollback(True)


# --- the background worker -------------------------------------------------------------------


@pytest.fixture
def run_worker(monkeypatch):
    """The real worker, once: every task waiting, then it stops.

    Between tasks the worker calls ``close_old_connections``, which closes a connection
    whose autocommit differs from the settings' — on PostgreSQL that is the test's own
    transaction (SQLite's in-memory test database is never closed). In production the
    worker runs in autocommit and the call only recycles stale connections; here it is
    left out so the test's data stays, and everything else the worker does is real."""
    import django_tasks_db.management.commands.db_worker as db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> str:
        out = StringIO()
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=out)
        return out.getvalue()

    return run


# --- an S3-compatible store on this machine (moto's server), as several app servers share ----


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server in a thread, on a free local port, for the whole session: a real
    HTTP endpoint that boto3 talks to as it would to MinIO or a provider."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class S3Bucket:
    """A fresh, empty bucket on the local S3 server; ``keys()`` lists what it holds."""

    def __init__(self, endpoint: str):
        import boto3

        self.name = f"ptdv-{uuid.uuid4().hex[:16]}"
        self.client = boto3.client("s3", endpoint_url=endpoint)
        self.client.create_bucket(Bucket=self.name)

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def s3_storage(s3_endpoint, settings, monkeypatch) -> S3Bucket:
    """Uploaded and generated files in a bucket of the local S3 server, configured as the
    production settings configure it from the environment (config/settings/environment.py)."""
    from config.settings.environment import media_storage

    for variable in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ptdv-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "ptdv-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for variable in ("NO_PROXY", "no_proxy"):  # the local server, even behind a proxy
        monkeypatch.setenv(variable, "127.0.0.1")
    bucket = S3Bucket(s3_endpoint)
    environment = {
        "PTDV_S3_BUCKET": bucket.name,
        "PTDV_S3_ENDPOINT_URL": s3_endpoint,
        "PTDV_S3_REGION": "us-east-1",
        "PTDV_S3_ADDRESSING_STYLE": "path",
    }
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(environment)}
    return bucket


# --- requests at the same instant, each on its own connection, as a server's workers ----------


class Concurrent:
    """Runs functions in threads of their own, all at once, against the test database as a
    server's workers see it: on PostgreSQL the test database itself (the test must commit:
    ``transactional_db``); on SQLite a file, copied from the in-memory test database the
    first time ``run`` is called, which each thread opens with its own connection and the
    project's options. (SQLite's in-memory test database is one shared cache with table
    locks of its own, not the file a server locks.) Read the database afterwards with
    ``run`` too: the test's own connection still points at the in-memory copy."""

    def __init__(self, tmp_path, monkeypatch):
        self.path = tmp_path / "concurrent.sqlite3"
        self.monkeypatch = monkeypatch
        self.swapped_from: str | None = None

    def _to_file(self) -> None:
        if connection.vendor != "sqlite" or self.swapped_from is not None:
            return
        connection.ensure_connection()
        target = sqlite3.connect(self.path)
        connection.connection.backup(target)
        target.close()
        # The settings every new connection is made from (each thread makes its own).
        settings_dict = connections.settings[DEFAULT_DB_ALIAS]
        self.swapped_from, settings_dict["NAME"] = settings_dict["NAME"], str(self.path)

    def restore(self) -> None:
        if self.swapped_from is not None:
            connections.settings[DEFAULT_DB_ALIAS]["NAME"] = self.swapped_from
            self.swapped_from = None

    def run(self, *functions, timeout: float = 60):
        """Each function's result, in order; an exception in one is raised here."""
        self._to_file()
        results: list = [None] * len(functions)
        errors: list[BaseException] = []

        def call(i: int, function) -> None:
            try:
                results[i] = function()
            except BaseException as exc:  # raised again in the test's thread
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=call, args=(i, f), daemon=True) for i, f in enumerate(functions)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
        assert not any(t.is_alive() for t in threads), "a thread did not finish"
        if errors:
            raise errors[0]
        return results

    def gate(self, target: str, parties: int = 2) -> None:
        """Make ``parties`` threads that call ``target`` (a dotted name, where the caller
        looks it up) wait for each other at its door, so that they all go in at once: what
        each did before (a form's checks) is done before any of them writes."""
        module, name = target.rsplit(".", 1)
        original = getattr(importlib.import_module(module), name)
        barrier = threading.Barrier(parties)

        @wraps(original)
        def gated(*args, **kwargs):
            barrier.wait(timeout=20)
            return original(*args, **kwargs)

        self.monkeypatch.setattr(target, gated)


@pytest.fixture
def concurrent(transactional_db, tmp_path, monkeypatch):
    helper = Concurrent(tmp_path, monkeypatch)
    yield helper
    helper.restore()
