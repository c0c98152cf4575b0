"""Benchmark: the year-end report, built and drawn as PDF, XLSX and DOCX.

Times ``reports.kinds.year_end`` the way the "Báo cáo" page builds it (``report_scope``,
then ``report_build(kind="year_end", ...)`` per format, which builds the document again and
draws it: what a request waits for) for the superuser, at demo size
(``load_demo``) and on districts built by bench/dashboard.py's ``build`` (the same units,
plan, targets and records as the dashboard benchmark), each beside a floor measured in the
same run:

* building the PartyDocument: one bare ``count_by_unit`` query (admissions of the year);
* each format: the same renderer drawing a PartyDocument with as many tables, rows and
  columns, built without the database (plain numbers; no header, groups, chart or text).

It also says how many units the largest report holds and whether that is above
``settings.REPORTS_INLINE_MAX_UNITS`` (then ``reports.services.is_large`` sends it to the
background worker). WeasyPrint takes about half a second per page of these tables, so the
PDF is capped: above 100 units it is drawn ``--pdf-runs`` times (once by default), one that
runs past ``--pdf-timeout`` seconds is stopped and shown as "> N", and above
``--pdf-max-units`` (1,500) it is not drawn at all. Times are wall seconds with the CPU
seconds of this process (SQLite included) beside them, which a busy machine disturbs less.

    DATABASE_URL=sqlite:////tmp/ptdv-bench-reports.sqlite3 .venv/bin/python bench/reports.py
    DATABASE_URL=... .venv/bin/python bench/reports.py --no-demo --district 120,40,80 --runs 1
"""

import argparse
import io
import os
import signal
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# The project first, so that its ``reports`` and ``candidates`` apps win over the bench
# scripts of the same name; this folder stays on the path for ``import dashboard``.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/ptdv-bench-reports.sqlite3")

import django  # noqa: E402

django.setup()

import dashboard  # noqa: E402  (bench/dashboard.py)
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402

from documents.content import TEXT, Column, PartyDocument, Row, Table  # noqa: E402
from quotas.choices import Measure  # noqa: E402
from quotas.measures import CountQuery, count_by_unit  # noqa: E402
from quotas.models import Plan  # noqa: E402
from reports.kinds import build_document  # noqa: E402
from reports.scope import Scope, report_scope  # noqa: E402
from reports.services import FORMATS, is_large, report_build, report_render  # noqa: E402
from units.models import Unit  # noqa: E402

KIND = "year_end"
PDF_REPEATED_UNITS = 100  # a PDF of more units is drawn --pdf-runs times (each takes seconds)


class TooSlow(Exception):
    pass


@dataclass
class Timing:
    seconds: float | None  # median wall time; None when stopped at the timeout or skipped
    cpu: float | None  # median CPU time of this process (SQLite included)
    queries: int
    result: object = None


SKIPPED = Timing(None, None, 0)


def timed(func: Callable, runs: int, timeout: float | None = None) -> Timing:
    """The median of ``runs`` calls, wall and CPU (and the queries of the last); a call
    running past ``timeout`` seconds is stopped (SIGALRM) and the timing is None."""
    seconds, cpu, queries, result = [], [], 0, None

    def stop(_signum, _frame):
        raise TooSlow

    for _ in range(runs):
        reset_queries()
        if timeout:
            signal.signal(signal.SIGALRM, stop)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            result = func()
        except TooSlow:
            return Timing(None, None, len(connection.queries))
        finally:
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, 0)
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        queries = len(connection.queries)
    return Timing(statistics.median(seconds), statistics.median(cpu), queries, result)


def superuser():
    user, _ = get_user_model().objects.get_or_create(
        username="bench-root", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def load_demo_district() -> Plan:
    call_command("flush", "--noinput", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", "--only", "district", stdout=quiet)
    return Plan.objects.get(number="145/KH-HU")


def plain_document(doc: PartyDocument) -> PartyDocument:
    """A PartyDocument with ``doc``'s tables (rows × columns) filled with plain numbers, built
    without the database: the floor of drawing it."""
    tables = []
    for n, table in enumerate(doc.tables, start=1):
        width = len(table.columns)
        columns = [Column("Đơn vị", kind=TEXT, width=34)]
        columns += [Column(f"Cột {i}", width=8) for i in range(1, width)]
        rows = [Row([f"Đơn vị số {r}", *range(r, r + width - 1)]) for r in range(len(table.rows))]
        tables.append(Table(f"Biểu {n}", columns, rows))
    return PartyDocument(doc_type="BÁO CÁO", subject="Bench", tables=tables, landscape=True)


def pdf_pages(content: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return len(pdf.pages)


def seconds_text(timing: Timing, timeout: float | None) -> str:
    """ "1.234 (0.987)": wall seconds, then CPU seconds."""
    if timing is SKIPPED:
        return "skipped"
    if timing.seconds is None:
        return f"> {timeout:.0f}"
    return f"{timing.seconds:.3f} ({timing.cpu:.3f})"


def measure(label: str, plan: Plan, args) -> dict:
    """Time the year-end report of ``plan`` for the superuser; print and return its lines."""
    user = get_user_model().objects.get(pk=superuser().pk)
    scope_t = timed(lambda: report_scope(user=user, plan_pk=plan.pk), args.runs)
    scope: Scope = scope_t.result
    units = len(scope.visible)
    large = is_large(scope, "html")  # the page, Excel and Word; a PDF's line is lower
    worker_formats = [f for f in FORMATS if is_large(scope, f)]
    runs = args.runs if not large else max(1, min(args.runs, 2))
    pdf_runs = args.runs if units <= PDF_REPEATED_UNITS else args.pdf_runs

    build_t = timed(lambda: build_document(KIND, scope, user=user), runs)
    doc: PartyDocument = build_t.result
    rows = sum(len(t.rows) for t in doc.tables)
    cells = sum(len(t.rows) * len(t.columns) for t in doc.tables)
    reset_queries()
    build_document(KIND, scope, user=user)
    repeated = Counter(q["sql"].split(" WHERE ")[0][:80] for q in connection.queries)
    query = CountQuery(measure=Measure.ADMISSIONS, start=scope.start, end=scope.end)
    count_t = timed(lambda: count_by_unit(query), runs)
    plain = plain_document(doc)

    size = f"{rows:,} rows / {units:,} units"
    lines = [
        (f"{label}: report_scope", f"{units:,} units", scope_t, None, "—"),
        (f"{label}: build PartyDocument", size, build_t, count_t, "— count_by_unit"),
    ]
    pages = floor_pages = "?"
    for fmt in FORMATS:
        n, timeout = (pdf_runs, args.pdf_timeout) if fmt == "pdf" else (runs, None)
        if fmt == "pdf" and units > args.pdf_max_units:
            lines.append((f"{label}: report_build pdf", size, SKIPPED, SKIPPED, "(too long)"))
            continue
        real = timed(
            lambda fmt=fmt: report_build(kind=KIND, scope=scope, user=user, fmt=fmt), n, timeout
        )
        floor = timed(lambda fmt=fmt: report_render(plain, fmt), n, timeout)
        if fmt == "pdf":
            pages = pdf_pages(real.result.content) if real.result else "?"
            floor_pages = pdf_pages(floor.result) if floor.result else "?"
        lines.append((f"{label}: report_build {fmt}", size, real, floor, "— same rows, no DB"))
    for what, rows_units, t, floor, floor_what in lines:
        print(
            f"| {what} | {rows_units} | {'—' if t is SKIPPED else t.queries} | "
            f"{seconds_text(t, args.pdf_timeout)} | "
            + (f"{seconds_text(floor, args.pdf_timeout)} {floor_what} |" if floor else "— |"),
            flush=True,
        )
    print(
        f"  {units} units (REPORTS_INLINE_MAX_UNITS = {settings.REPORTS_INLINE_MAX_UNITS}: "
        f"built by the worker: {', '.join(worker_formats) or 'none'}); "
        f"{len(doc.tables)} tables, {cells:,} cells, chart of "
        f"{len(doc.chart.labels) if doc.chart else 0} bars; PDF {pages} pages "
        f"(floor {floor_pages}); runs {runs} (PDF {pdf_runs}, stopped after "
        f"{args.pdf_timeout:.0f} s, none above {args.pdf_max_units} units)",
        flush=True,
    )
    print(f"  queries of one build, most repeated: {repeated.most_common(3)}", flush=True)
    return {"units": units, "large": large, "worker": worker_formats}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--district",
        action="append",
        help="communes,cells,schools of a bench/dashboard.py district (repeatable); "
        "default 15,25,9 (400 units: the largest report built in the request) and "
        "40,25,40 (1,081 units, the dashboard benchmark's district)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf-runs", type=int, default=1, help="PDF runs above the line")
    parser.add_argument("--pdf-timeout", type=float, default=180.0)
    parser.add_argument("--pdf-max-units", type=int, default=1500, help="no PDF above this")
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()
    districts = [tuple(int(x) for x in d.split(",")) for d in args.district or ()] or [
        (15, 25, 9),
        (40, 25, 40),
    ]
    settings.DEBUG = True  # count queries
    call_command("migrate", verbosity=0)
    print(
        f"{date.today()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{connection.vendor}; REPORTS_INLINE_MAX_UNITS = {settings.REPORTS_INLINE_MAX_UNITS}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    # WeasyPrint, its fonts and the templates load once, before anything is timed.
    report_render(plain_document(PartyDocument(doc_type="", subject="")), "pdf")
    print("| what | rows / units | queries | seconds (CPU) | floor seconds (CPU) |")
    print("|---|---|---|---|---|")
    largest = None
    if not args.no_demo:
        plan = load_demo_district()
        largest = measure("demo", plan, args)
    for communes, cells, schools in districts:
        plan, _board = dashboard.build(communes, cells, schools)
        label = f"district {Unit.objects.count():,}"
        found = measure(label, plan, args)
        if largest is None or found["units"] > largest["units"]:
            largest = found
    if largest:
        print(
            f"largest report: {largest['units']:,} units, "
            f"{'above' if largest['large'] else 'not above'} REPORTS_INLINE_MAX_UNITS "
            f"({settings.REPORTS_INLINE_MAX_UNITS}): "
            f"{'background worker' if largest['large'] else 'built within the request'}"
            f" (formats sent to the worker: {', '.join(largest['worker']) or 'none'})"
        )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
