"""Benchmark: the largest Excel lists of people the app takes, checked and confirmed.

Every spreadsheet upload is refused above ``documents.spreadsheets.MAX_ROWS`` filled rows
(3,000), so the largest list of people is the template with its title, unit line and header
row and 2,997 people under them. On the demo district, through Django's test client as the
school's secretary (the requests a browser sends, middleware and audit trail included):

* the candidate import (``/doi-tuong/nhap-excel/``): the check of a file of new people, its
  confirm, then the same people with every phone changed, checked and confirmed (all
  updated);
* a class's nominee upload (one request, checked and written): a file of new people, then
  the people of the first file, already on file, to a class of the other round.

Each beside floors measured in the same run: reading the file alone (``read_people``: the
guarded opener and the row parsers, which no database work can remove), and inserting as
many candidates with one bare ``bulk_create`` (no checks, no audit; rolled back). Times are
wall seconds with the CPU seconds of this process (SQLite included) beside them; queries are
counted by an execute wrapper. The audit trail is strict here, as in the tests: a write no
audit event accounts for fails the run.

    DATABASE_URL=sqlite:////tmp/ptdv-bench-i.sqlite3 .venv/bin/python bench/imports.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ptdv_bench_i .venv/bin/python bench/imports.py
    .venv/bin/python bench/imports.py --rows 9997   # the reader's row limit raised, for scale

``--compare`` measures a 10,000-row candidate file (``--rows``) on the database as it is (a
province of ``manage.py seed_scale``; every write is rolled back, so the database is left as
it was) through the service path of the upload page, below the door: the upload page refuses
more than ``MAX_ROWS`` filled rows, so the reader's limit is raised for the run, and
``read_people`` and ``candidate_import`` are called as the page calls them, inside the audit
trail's strict scope as a request is. Beside it, in the same run and taking turns
(``--runs`` each, medians):

* django-import-export's default import of the same rows (a ``ModelResource`` for
  ``Candidate`` with no options; the rows in an .xlsx with the model's field names as
  headers, read by tablib, then ``import_data``; the ``bench`` extra of pyproject.toml);
* ``bulk_create`` of the same rows already validated (the new candidates of the import's
  check, their keys made, in batches of ``imports.WRITE_BATCH``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ptdv_benchrep \\
        .venv/bin/python bench/imports.py --compare --rows 10000 --runs 3
"""

import argparse
import dataclasses
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/ptdv-bench-i.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from candidates.imports import WRITE_BATCH, candidate_import  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from candidates.people_xlsx import (  # noqa: E402
    CANDIDATE_COLUMNS,
    people_template_xlsx,
    read_people,
    reader,
)
from core.audit import audit_scope  # noqa: E402
from core.text import fold, vi_sort_key  # noqa: E402
from demo.people import demo_person  # noqa: E402
from documents.spreadsheets import MAX_ROWS  # noqa: E402
from quotas.models import Plan  # noqa: E402
from training.choices import ClassStatus  # noqa: E402
from training.models import Nomination, TrainingClass  # noqa: E402
from training.services import class_save  # noqa: E402
from units.choices import Role  # noqa: E402
from units.models import RoleAssignment, Unit  # noqa: E402

IMPORT_URL = "/doi-tuong/nhap-excel/"
HEADING_ROWS = 3  # the template's title, "Đơn vị: …" and header rows are filled rows too


@dataclass
class Timing:
    seconds: float
    cpu: float
    queries: int
    result: object = None


def timed(func) -> Timing:
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Timing(wall, cpu, count[0], result)


def people(n: int, *, serial: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    made = []
    for i in range(n):
        person = demo_person(
            rng, born_from=date(2006, 1, 1), born_to=date(2007, 12, 31), serial=serial + i
        )
        person.update(school_class="12A1", youth_union_member=True)
        made.append(person)
    return made


def template(rows: list[dict], unit: Unit) -> bytes:
    return people_template_xlsx(
        title="DANH SÁCH",
        lines=[f"Đơn vị: {unit.name}"],
        people=rows,
        extra_columns=CANDIDATE_COLUMNS,
    )


def upload(data: bytes):
    f = BytesIO(data)
    f.name = "danh-sach.xlsx"
    return f


def bare_insert(rows: list[dict], unit: Unit) -> None:
    """The floor of the writes: the same candidates in one bare ``bulk_create``, undone."""
    with transaction.atomic():
        objs = []
        for row in rows:
            c = Candidate(unit=unit, category="student", **row)
            c.name_key, c.sort_key = fold(c.full_name), vi_sort_key(c.given_name, c.family_name)
            objs.append(c)
        Candidate.objects.bulk_create(objs, batch_size=500)
        transaction.set_rollback(True)


def open_class(plan: Plan, round_number: int, unit: Unit) -> TrainingClass:
    board = get_user_model().objects.get(username="bantochuc")
    return class_save(
        actor=board,
        training_class=TrainingClass(
            plan=plan,
            round=plan.rounds.get(number=round_number),
            name=f"Lớp bench đợt {round_number}",
            audience="students",
            organiser=Unit.objects.get(code="TTCT-HH"),
            nomination_deadline=date.today() + timedelta(days=30),
            status=ClassStatus.OPEN,
        ),
        session_dates=[date.today() + timedelta(days=40)],
    )


def line(label: str, rows: int, t: Timing, floor: str) -> str:
    return f"| {label} | {rows:,} | {t.queries:,} | {t.seconds:.2f} ({t.cpu:.2f}) | {floor} |"


# --- --compare: the service path beside django-import-export and bulk_create -------------


class Undo(Exception):
    """Raised at the end of a measured block to roll its writes back."""


def undone(func):
    """``func`` in a transaction that is rolled back; its result."""
    out = []
    try:
        with transaction.atomic():
            out.append(func())
            raise Undo
    except Undo:
        pass
    return out[0]


def service_import(data: bytes, unit: Unit, user, *, write: bool):
    """What the upload page's check (``write`` False) or confirm does with a file: read it,
    check every row, and write them all or none, in the audit trail's strict scope."""
    with audit_scope(actor=user, strict=True, name="bench import"):
        sheet = read_people(data)
        outcome = candidate_import(actor=user, sheet=sheet, unit=unit, write=write)
    assert outcome.ok, outcome.errors[:3]
    return outcome


def import_export_file(rows: list[dict], unit: Unit) -> bytes:
    """The same rows as an .xlsx with the model's field names as headers (the form
    django-import-export reads), written by tablib."""
    import tablib

    fields = ["unit", "category", *rows[0].keys()]
    data = tablib.Dataset(headers=fields)
    for row in rows:
        data.append([unit.pk, "student", *row.values()])
    return data.export("xlsx")


def import_export_run(content: bytes):
    """django-import-export's defaults: a ModelResource for Candidate with no options, the
    file read by tablib, ``import_data`` (it raises on any error)."""
    import tablib
    from import_export import resources

    class CandidateResource(resources.ModelResource):
        class Meta:
            model = Candidate

    dataset = tablib.Dataset().load(content, format="xlsx")
    result = CandidateResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    return result


def bulk_create_run(validated: list[Candidate]):
    """The floor: the already-validated new candidates (keys made) in one ``bulk_create``."""
    fields = [f.attname for f in Candidate._meta.concrete_fields if not f.primary_key]
    objs = [Candidate(**{name: getattr(c, name) for name in fields}) for c in validated]
    start = time.perf_counter(), time.process_time()
    Candidate.objects.bulk_create(objs, batch_size=WRITE_BATCH)
    return time.perf_counter() - start[0], time.process_time() - start[1]


def compare(args) -> None:
    """A ``--rows`` file into the unit with most candidates, by its secretary (else the
    Board of the highest unit), three ways, each rolled back."""
    settings.AUDIT_STRICT = True
    busiest = (
        Candidate.objects.values("unit").annotate(n=Count("pk")).order_by("-n").first()["unit"]
    )
    unit = Unit.objects.get(pk=busiest)
    roles = RoleAssignment.objects.select_related("user")
    role = roles.filter(unit=unit, role=Role.SECRETARY).first() or (
        roles.filter(role=Role.BOARD).order_by("unit__depth", "pk").first()
    )
    user = role.user
    n = args.rows
    reader.LIMITS = dataclasses.replace(reader.LIMITS, rows=n + HEADING_ROWS)
    rows = people(n, serial=600_000, seed=3)
    data = template(rows, unit)
    ie_data = import_export_file(rows, unit)
    before = Candidate.objects.count()
    print(
        f"{connection.vendor}, {before:,} candidates on file; {n:,} new people for "
        f"{unit.name} ({Candidate.objects.filter(unit=unit).count():,} there) by "
        f"{user.username}; the file {len(data):,} bytes (import-export's {len(ie_data):,}); "
        f"the upload page's limit {MAX_ROWS:,} filled rows, raised to "
        f"{reader.LIMITS.rows:,} for the run; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    checked = service_import(data, unit, user, write=False)
    validated = [item.candidate for item in checked.plan if item.is_new]
    assert len(validated) == n, len(validated)
    for candidate in validated:
        candidate.tidy()

    samples: dict[str, list[tuple[float, float, int]]] = {}

    def sample(name: str, func) -> None:
        t = timed(lambda: undone(func))
        samples.setdefault(name, []).append((t.seconds, t.cpu, t.queries))

    for _ in range(args.runs):
        sample("check", lambda: service_import(data, unit, user, write=False))
        sample("confirm", lambda: service_import(data, unit, user, write=True))
        sample("import-export", lambda: import_export_run(ie_data))
        floor = undone(lambda: bulk_create_run(validated))
        samples.setdefault("bulk_create", []).append((*floor, 0))
        print(
            "  run:",
            ", ".join(f"{name} {values[-1][0]:.2f} s" for name, values in samples.items()),
            flush=True,
        )
    assert Candidate.objects.count() == before  # everything was rolled back

    def med(name: str, i: int) -> float:
        return statistics.median(v[i] for v in samples[name])

    def runs(name: str) -> str:
        return ", ".join(f"{v[0]:.2f}" for v in samples[name])

    confirm, ie, bulk = med("confirm", 0), med("import-export", 0), med("bulk_create", 0)
    print()
    print("| what | queries | seconds (CPU), median | runs | ratio |")
    print("|---|---|---|---|---|")
    for name, label, ratio in (
        ("confirm", "the app: read + check + write (the confirm)", ""),
        ("check", "the app: read + check (the preview's work)", ""),
        ("import-export", "django-import-export, defaults", f"{ie / confirm:.1f}× the app"),
        ("bulk_create", "bulk_create of the validated rows", f"the app {confirm / bulk:.1f}×"),
    ):
        print(
            f"| {label} | {samples[name][-1][2] or '—'} | {med(name, 0):.2f} ({med(name, 1):.2f}) "
            f"| {runs(name)} | {ratio} |"
        )
    both = med("check", 0) + confirm
    print(
        f"check and confirm, as the page runs them: {both:.2f} s; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--rows", type=int, default=MAX_ROWS - HEADING_ROWS, help="people in each file"
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="the database as it is: the service path beside django-import-export and "
        "bulk_create, rolled back",
    )
    parser.add_argument("--runs", type=int, default=3, help="--compare: runs of each")
    args = parser.parse_args()
    if args.compare:
        compare(args)
        return
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.AUDIT_STRICT = True
    call_command("migrate", verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    call_command("load_demo", "--only", "district", "--no-classes", stdout=open(os.devnull, "w"))  # noqa: SIM115
    school = Unit.objects.get(code="THPT-HH1")
    plan = Plan.objects.get(number="145/KH-HU")
    n = args.rows
    if n + HEADING_ROWS > MAX_ROWS:  # for scale only: the app refuses such a file
        reader.LIMITS = dataclasses.replace(reader.LIMITS, rows=n + HEADING_ROWS)
        print(f"the reader's row limit raised from {MAX_ROWS:,} to {n + HEADING_ROWS:,}")
    first = people(n, serial=10_000, seed=1)
    changed = [{**p, "phone": f"09{i:08d}"} for i, p in enumerate(first)]
    nominees = people(n, serial=30_000, seed=2)
    files = {
        "new": template(first, school),
        "changed": template(changed, school),
        "nominees": template(nominees, school),
    }
    client = Client()
    client.force_login(get_user_model().objects.get(username="bithu.thpt1"))
    out = []

    read = timed(lambda: read_people(files["new"]))
    assert not read.result.errors, read.result.errors[:3]
    insert = timed(lambda: bare_insert(first, school))
    floor_read = f"{read.seconds:.2f} ({read.cpu:.2f}) reading the file"
    floor_both = (
        f"{read.seconds + insert.seconds:.2f} ({read.cpu + insert.cpu:.2f}) reading "
        f"+ bare insert {insert.seconds:.2f}"
    )

    for label, key, expect in (
        ("candidate import, new people", "new", n),
        ("candidate import, every row changed", "changed", 0),
    ):
        before = Candidate.objects.filter(unit=school).count()
        check = timed(
            lambda key=key: client.post(
                IMPORT_URL, {"action": "check", "unit": school.pk, "file": upload(files[key])}
            )
        )
        assert check.result.status_code == 200, check.result.status_code
        token = client.session["candidate_import"]["token"]
        confirm = timed(
            lambda token=token: client.post(IMPORT_URL, {"action": "confirm", "token": token})
        )
        assert confirm.result.status_code == 302, confirm.result.status_code
        assert Candidate.objects.filter(unit=school).count() == before + expect
        out.append(line(f"{label}: check (preview page)", n, check, floor_read))
        out.append(line(f"{label}: confirm", n, confirm, floor_both))
        print(out[-2], out[-1], sep="\n", flush=True)

    for label, key, round_number in (
        ("nominee upload, new people", "nominees", 1),
        ("nominee upload, people on file", "new", 2),
    ):
        cls = open_class(plan, round_number, school)
        url = reverse("training:nominee_upload", args=[cls.pk, school.pk])
        done = timed(lambda url=url, key=key: client.post(url, {"file": upload(files[key])}))
        assert done.result.status_code == 302, done.result.status_code
        assert Nomination.objects.filter(training_class=cls).count() == n
        out.append(line(label, n, done, floor_both if key == "nominees" else floor_read))
        print(out[-1], flush=True)

    print()
    print(f"{connection.vendor}, {n:,} people a file, {len(files['new']):,} bytes")
    print("| what | rows | queries | seconds (CPU) | floor seconds (CPU) |")
    print("|---|---|---|---|---|")
    print(*out, sep="\n")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
