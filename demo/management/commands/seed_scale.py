"""Build a province at scale for measuring pages and reports (issue 16): thousands of units,
hundreds of thousands of candidates over several years, written in bulk (``demo.scale``).

    python manage.py seed_scale --units 5000 --candidates 200000 --years 5

Refuses a database that already holds units, candidates or plans unless ``--flush`` is
given, which empties it first (every row of every table, as ``manage.py flush``).
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.scale import database_is_empty, scale_check, seed_scale


class Command(BaseCommand):
    help = (
        "Build a province at scale: a tree of units, plans, classes and candidates at every "
        "stage over several years, in bulk (for benchmarks and query-count checks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=5000, help="Units in the tree.")
        parser.add_argument("--candidates", type=int, default=200_000, help="People in all.")
        parser.add_argument("--years", type=int, default=5, help="Years up to this one.")
        parser.add_argument("--seed", type=int, default=2025, help="The same data every time.")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Empty the database first (every table) when it already holds data.",
        )
        parser.add_argument(
            "--check",
            type=int,
            default=200,
            metavar="N",
            help="Compare N seeded candidates with what the services compute (0: skip).",
        )

    def handle(self, *args, **options):
        units, people, years = options["units"], options["candidates"], options["years"]
        if units < 10 or people < 1 or not 1 <= years <= 30:
            raise CommandError("Give at least 10 units, 1 candidate and 1 to 30 years.")
        if people >= 1_000_000:
            raise CommandError("At most 999,999 candidates (their citizen IDs run out).")
        if not database_is_empty():
            if not options["flush"]:
                raise CommandError(
                    "The database already holds units, candidates or plans. Seed an empty "
                    "database, or add --flush to delete everything in it first."
                )
            call_command("flush", interactive=False, verbosity=0)
        started = time.monotonic()
        seeded = seed_scale(units=units, candidates=people, years=years, seed=options["seed"])
        if connection.vendor == "postgresql":
            # What autovacuum would do after a bulk load, at once: the planner's statistics
            # (without them it guesses a handful of rows per table and picks nested loops
            # over all 200,000 candidates: the list's first page 1.8 s instead of 0.3) and
            # the visibility map (without it no index-only scan: a deep page of the list
            # sorts the whole table on disk, 1.4 s instead of 0.07).
            # VACUUM cannot run in a transaction (the tests call the command inside one).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        took = time.monotonic() - started
        for name, count in sorted(seeded.counts.items()):
            self.stdout.write(f"  {name:<24} {count:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Seeded in {took:.0f} s."))
        if options["check"]:
            problems = scale_check(sample=options["check"])
            if problems:
                raise CommandError("Seeded rows differ from the services':\n" + "\n".join(problems))
            self.stdout.write(f"Checked {options['check']} candidates against the services.")
        self.stdout.write(f"Logins (password for all: {seeded.password}):")
        for username, description in seeded.accounts:
            self.stdout.write(f"  {username:<28} {description}")
