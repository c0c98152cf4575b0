"""Benchmark: the candidate list of a large district, as Board staff see it.

Loads the demo district, adds ``--people`` generated candidates spread over its schools and
enterprises (a third of them waiting for an admission decision, with their cell
resolution), then times the list page (first page), the overdue filter (which counts
working days in Python for everyone waiting), the home page's summary and the list's Excel
export.

    DATABASE_URL=sqlite:////tmp/ptdv-bench-c.sqlite3 .venv/bin/python bench/candidates.py
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/ptdv-bench-c.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from candidates.choices import Stage  # noqa: E402
from candidates.models import Candidate, StageEvent  # noqa: E402
from candidates.services import candidates_due_recount  # noqa: E402
from demo.people import demo_person  # noqa: E402
from units.models import Unit  # noqa: E402


def build(people: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    call_command("load_demo", "--only", "district", "--no-classes", stdout=open(os.devnull, "w"))  # noqa: SIM115
    units = list(Unit.objects.exclude(kind__audience=""))
    rng = random.Random(1)
    batch = []
    for i in range(people):
        p = demo_person(rng, born_from=date(1990, 1, 1), born_to=date(2006, 1, 1), serial=i)
        p["citizen_id"] = None
        c = Candidate(unit=rng.choice(units), category="student", **p)
        c.name_key = c.full_name.lower()
        c.sort_key = f"{c.given_name} {c.family_name}"
        c.stage = Stage.CELL_RESOLUTION if i % 3 == 0 else Stage.CERTIFIED
        batch.append(c)
    Candidate.objects.bulk_create(batch, batch_size=2000)
    events = [
        StageEvent(
            candidate=c,
            stage=c.stage,
            dated=date(2024, 1, 2) + timedelta(days=rng.randrange(700)),
            unit=c.unit,
        )
        for c in Candidate.objects.all()
    ]
    StageEvent.objects.bulk_create(events, batch_size=2000)
    candidates_due_recount()  # the stored due days, as the services would set them


def timed(client: Client, path: str, runs: int) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(runs):
        reset_queries()
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(connection.queries)
    return statistics.median(times) * 1000, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings.DEBUG = True  # count queries
    settings.ALLOWED_HOSTS = ["testserver"]
    build(args.people)
    client = Client()
    # force_login: the login page's lockout (django-axes) wants a request to authenticate.
    client.force_login(get_user_model().objects.get(username="bantochuc"))
    print(f"{Candidate.objects.count():,} candidates")
    for label, path in (
        ("list, first page", "/doi-tuong/"),
        ("search 'nguyen thi'", "/doi-tuong/?q=nguyen+thi"),
        ("overdue filter", "/doi-tuong/?overdue=1"),
        ("home page", "/"),
        ("Excel export, every row", "/doi-tuong/?xuat=xlsx"),
    ):
        ms, queries = timed(client, path, args.runs)
        print(f"{label:24} {ms:8.0f} ms  {queries:3} queries")


if __name__ == "__main__":
    main()
