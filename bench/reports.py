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

``--scale`` measures the database as it is instead (a province of ``manage.py seed_scale``;
nothing is built, flushed or written): the year-end report of ``--year``'s plan for the
Board of the highest unit, through ``report_build`` as the "Báo cáo" page and the background
worker build it, each format beside floors that a library alone needs for the same content,
drawn in the same run, the app and its floor taking turns (``--runs`` each, medians):

* Excel: the same cells (titles, headers, every row, the chart's figures) written with
  openpyxl's write-only mode, no styles;
* PDF: WeasyPrint alone drawing the exact HTML the app hands to it (``document_html``);
* Word: python-docx writing the same cells' text into plain tables, a row appended at a time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ptdv_scale \\
        .venv/bin/python bench/reports.py --scale --runs 3
"""

import argparse
import copy
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

from documents.content import (  # noqa: E402
    PERCENT,
    TEXT,
    Column,
    PartyDocument,
    Row,
    Table,
    format_cell,
)
from documents.pdf import document_html  # noqa: E402
from quotas.choices import Measure  # noqa: E402
from quotas.measures import CountQuery, count_by_unit  # noqa: E402
from quotas.models import Plan  # noqa: E402
from reports.kinds import build_document  # noqa: E402
from reports.scope import Scope, report_scope  # noqa: E402
from reports.services import FORMATS, is_large, report_build, report_render  # noqa: E402
from units.choices import Role  # noqa: E402
from units.models import RoleAssignment, Unit  # noqa: E402

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


def fresh(scope: Scope) -> bool:
    """Forget the figures ``scope`` kept (``Scope.memo``), as a new request's scope has
    none; True."""
    scope.memo.clear()
    return True


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

    build_t = timed(lambda: fresh(scope) and build_document(KIND, scope, user=user), runs)
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
            lambda fmt=fmt: (
                fresh(scope) and report_build(kind=KIND, scope=scope, user=user, fmt=fmt)
            ),
            n,
            timeout,
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


# --- the floors of --scale: the same content, written by the library alone --------------


def _header_lines(table: Table) -> list[list[str]]:
    """The header's cells: one row, or the groups above the columns' labels."""
    if not table.has_groups:
        return [[c.label for c in table.columns]]
    upper = []
    for label, span, _column in table.header_groups():
        upper += [label] + [None] * (span - 1)
    return [upper, [c.label for c in table.columns]]


def _chart_rows(doc: PartyDocument) -> list[list]:
    chart = doc.chart
    rows = [["", *(name for name, _values in chart.series)]]
    for i, label in enumerate(chart.labels):
        rows.append([label, *(v[i] if i < len(v) else None for _name, v in chart.series)])
    return rows


def _texts(doc: PartyDocument) -> list[str]:
    head = doc.heading
    lines = [head.superior, head.issuer, head.number, head.party, head.place_date] if head else []
    lines += [doc.doc_type, doc.subject, doc.subtitle, *doc.paragraphs, *doc.recipients]
    if doc.signature:
        lines += [doc.signature.mandate, doc.signature.title, doc.signature.name]
    return [line for line in lines if line]


def xlsx_floor(doc: PartyDocument) -> bytes:
    """``doc``'s cells in an openpyxl write-only workbook: its words on one sheet, a sheet
    per table (title, header, rows; a percent as a fraction, as the app writes it), the
    chart's figures; no styles, merges or row heights."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    words = wb.create_sheet("Báo cáo")
    for line in _texts(doc):
        words.append([line])
    for number, table in enumerate(doc.tables, start=1):
        ws = wb.create_sheet(f"Biểu {number}")
        for line in (doc.doc_type, doc.subject, doc.subtitle, table.title):
            ws.append([line])
        for line in _header_lines(table):
            ws.append(line)
        percent = [c.kind == PERCENT for c in table.columns]
        for row in table.rows:
            ws.append(
                [
                    v / 100 if p and isinstance(v, int | float) and not isinstance(v, bool) else v
                    for v, p in zip(row.cells, percent, strict=True)
                ]
            )
        if table.note:
            ws.append([table.note])
    if doc.chart:
        ws = wb.create_sheet("Biểu đồ")
        ws.append([doc.chart.title])
        for line in _chart_rows(doc):
            ws.append(line)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_styled_floor(doc: PartyDocument) -> bytes:
    """The body of ``doc``'s tables in a write-only workbook with one look (a bordered cell)
    given to every cell: what openpyxl charges for a cell that has any style at all."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from documents.xlsx import BOX

    wb = Workbook(write_only=True)
    for number, table in enumerate(doc.tables, start=1):
        ws = wb.create_sheet(f"Biểu {number}")
        look = WriteOnlyCell(ws)
        look.border = BOX
        for row in table.rows:
            cells = []
            for value in row.cells:
                look.value = value
                cells.append(look)
            ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def docx_floor(doc: PartyDocument) -> bytes:
    """``doc``'s words as paragraphs and its tables' cells, as the text the app shows, in
    plain python-docx tables (the chart's figures too, as the app does); no styles, widths,
    borders or page setup. Each row is a copy of one empty row with a run added to each
    cell: python-docx's ``add_row`` and ``cell.text`` build every element through its
    schema classes, four times slower than the app itself, which copies a row too."""
    from docx import Document
    from docx.table import _Cell

    word = Document()
    for line in _texts(doc):
        word.add_paragraph(line)
    tables = [
        (
            t.title,
            _header_lines(t),
            [
                [format_cell(v, c.kind) for v, c in zip(r.cells, t.columns, strict=True)]
                for r in t.rows
            ],
        )
        for t in doc.tables
    ]
    if doc.chart:
        rows = _chart_rows(doc)
        tables.append(
            (doc.chart.title, rows[:1], [[format_cell(v, "int") for v in r] for r in rows[1:]])
        )
    for title, header, rows in tables:
        word.add_paragraph(title)
        grid = word.add_table(rows=1, cols=len(header[0]))
        blank = grid.rows[0]._tr
        grid._tbl.remove(blank)
        for cells in [*header, *rows]:
            tr = copy.deepcopy(blank)
            grid._tbl.append(tr)
            for tc, text in zip(tr.tc_lst, cells, strict=True):
                if text:
                    _Cell(tc, grid).paragraphs[0].add_run(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def pdf_floor(html: str) -> bytes:
    """WeasyPrint alone drawing ``html``, with its own URL fetcher."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def paired(app: Callable, floor: Callable, runs: int) -> tuple[Timing, Timing, list, list]:
    """``app`` and ``floor`` called in turn ``runs`` times each (so a load on the shared
    machine falls on both alike); their median timings and every run's wall seconds."""
    apps, floors = [], []
    for _ in range(runs):
        apps.append(timed(app, 1))
        floors.append(timed(floor, 1))

    def median(ts: list[Timing]) -> Timing:
        return Timing(
            statistics.median(t.seconds for t in ts),
            statistics.median(t.cpu for t in ts),
            ts[-1].queries,
            ts[-1].result,
        )

    return median(apps), median(floors), [t.seconds for t in apps], [t.seconds for t in floors]


def board_user(username: str | None):
    """The named user, or the Board of the highest unit (it sees every unit)."""
    if username:
        return get_user_model().objects.get(username=username)
    roles = RoleAssignment.objects.select_related("user").filter(role=Role.BOARD)
    return roles.order_by("unit__depth", "pk").first().user


def runs_text(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def measure_scale(args) -> None:
    """The year-end report of the database as it is, each format beside its floor."""
    user = board_user(args.user)
    plans = Plan.objects.order_by("-year")
    plan = plans.get(year=args.year) if args.year else plans.filter(status="closed").first()
    scope_t = timed(lambda: report_scope(user=user, plan_pk=plan.pk), args.runs)
    scope: Scope = scope_t.result
    build_t = timed(lambda: fresh(scope) and build_document(KIND, scope, user=user), args.runs)
    doc: PartyDocument = build_t.result
    rows = sum(len(t.rows) for t in doc.tables)
    cells = sum(len(t.rows) * len(t.columns) for t in doc.tables)
    reset_queries()
    html_t = timed(lambda: document_html(doc), args.runs)
    html = html_t.result
    print(
        f"{plan} ({plan.year}) for {user.username}: {len(scope.visible):,} units, "
        f"{len(doc.tables)} tables, {rows:,} rows, {cells:,} cells, chart of "
        f"{len(doc.chart.labels) if doc.chart else 0} bars; HTML {len(html):,} characters",
        flush=True,
    )
    print(f"report_scope {seconds_text(scope_t, None)} ({scope_t.queries} queries)")
    print(f"build PartyDocument {seconds_text(build_t, None)} ({build_t.queries} queries)")
    print(f"PDF's HTML from the document {seconds_text(html_t, None)}", flush=True)
    print("| format | app seconds (CPU) | app runs | floor seconds (CPU) | floor runs | ratio |")
    print("|---|---|---|---|---|---|")
    floors = {"xlsx": lambda: xlsx_floor(doc), "docx": lambda: docx_floor(doc)}
    floors["pdf"] = lambda: pdf_floor(html)
    renderers = {fmt: (lambda fmt=fmt: report_render(doc, fmt)) for fmt in FORMATS}
    for fmt in args.formats.split(","):
        runs = args.pdf_runs if fmt == "pdf" else args.runs
        real, floor, real_runs, floor_runs = paired(
            lambda fmt=fmt: (
                fresh(scope) and report_build(kind=KIND, scope=scope, user=user, fmt=fmt)
            ),
            floors[fmt],
            runs,
        )
        extra = ""
        if fmt == "pdf":
            extra = f" ({pdf_pages(real.result.content)} pages; floor {pdf_pages(floor.result)})"
        print(
            f"| {fmt}: report_build{extra} | {seconds_text(real, None)} | {runs_text(real_runs)} "
            f"| {seconds_text(floor, None)} | {runs_text(floor_runs)} "
            f"| {real.seconds / floor.seconds:.2f}× |",
            flush=True,
        )
        comparisons = [] if fmt == "pdf" else [("renderer alone", floors[fmt])]
        if fmt == "xlsx":
            comparisons.append(("renderer alone; floor: one look on every body cell", None))
        for label, floor_of in comparisons:  # the renderer alone, from the document built
            floor_of = floor_of or (lambda: xlsx_styled_floor(doc))
            alone, floor, alone_runs, floor_runs = paired(renderers[fmt], floor_of, runs)
            print(
                f"| {fmt}: {label} | {seconds_text(alone, None)} | {runs_text(alone_runs)} "
                f"| {seconds_text(floor, None)} | {runs_text(floor_runs)} "
                f"| {alone.seconds / floor.seconds:.2f}× |",
                flush=True,
            )


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
    parser.add_argument(
        "--scale",
        action="store_true",
        help="the database as it is (seed_scale's province): nothing built or written",
    )
    parser.add_argument("--year", type=int, help="--scale: the plan's year (the last closed)")
    parser.add_argument("--user", help="--scale: who asks (the Board of the highest unit)")
    parser.add_argument("--formats", default="xlsx,docx,pdf", help="--scale: which formats")
    args = parser.parse_args()
    if args.scale:
        settings.DEBUG = True  # count queries
        print(
            f"{date.today()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
            f"{connection.vendor}; load average {os.getloadavg()[0]:.1f}"
        )
        report_render(plain_document(PartyDocument(doc_type="", subject="")), "pdf")  # warm up
        measure_scale(args)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
        return
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
