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
"""

import argparse
import dataclasses
import os
import random
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
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from candidates.models import Candidate  # noqa: E402
from candidates.people_xlsx import (  # noqa: E402
    CANDIDATE_COLUMNS,
    people_template_xlsx,
    read_people,
    reader,
)
from core.text import fold, vi_sort_key  # noqa: E402
from demo.people import demo_person  # noqa: E402
from documents.spreadsheets import MAX_ROWS  # noqa: E402
from quotas.models import Plan  # noqa: E402
from training.choices import ClassStatus  # noqa: E402
from training.models import Nomination, TrainingClass  # noqa: E402
from training.services import class_save  # noqa: E402
from units.models import Unit  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--rows", type=int, default=MAX_ROWS - HEADING_ROWS, help="people in each file"
    )
    args = parser.parse_args()
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
