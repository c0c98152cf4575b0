"""One source of numbers: every kind of report holds the figures of the selectors the
dashboards use (``quotas.progress.target_progress``, ``quotas.measures.count_by_unit``,
``training.selectors.round_progress``), and the page, the PDF, the workbook and the Word file
show the very same cells.

The whole demo (classes and candidates played through) is loaded once for the module; each
kind is built once — as a document, as its page and as its three downloads — and read by
every test that needs it.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from documents.content import PERCENT, TEXT, PartyDocument, Table
from quotas.choices import Measure, PersonGroup
from quotas.measures import CountQuery, count_by_unit
from quotas.models import HistoricalTotal, Plan, Round, Target
from quotas.progress import target_progress
from reports.kinds import KINDS
from reports.kinds.tables import SHORT_GROUP_LABELS
from reports.scope import Scope, report_scope
from training.selectors import round_progress
from units.models import Unit

from .report_files import body, docx_read, html_tables, pdf_read, shown, workbook

pytestmark = pytest.mark.django_db

YEAR_END = date(2024, 12, 31)
Q2 = (date(2024, 4, 1), date(2024, 6, 30))
PROGRESS_DAY = date(2024, 6, 30)
MULTI_YEARS = list(range(2020, 2025))  # the form's default: the plan's year and four before
HH1 = "Trường THPT Hiệp Hòa số 1"
HA_PHONG = "Công ty Cổ phần may xuất khẩu Hà Phong"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ROUND_FIGURES = ("nominated", "accepted", "attended", "passed")
MAGIC = {"pdf": b"%PDF-", "xlsx": b"PK", "docx": b"PK"}


# --- the demo, and each kind built once ---------------------------------------------------------


@pytest.fixture(scope="module")
def plan(full_demo, django_db_blocker) -> Plan:
    with django_db_blocker.unblock():
        return Plan.objects.select_related("area", "issuer").get(number="145/KH-HU")


@pytest.fixture
def board(plan):
    return get_user_model().objects.get(username="bantochuc")


def main_target(plan: Plan) -> Target:
    """The plan's yearly admissions quota: the target of its annex (seed 001)."""
    return Target.objects.get(plan=plan, in_annex=True, measure=Measure.ADMISSIONS)


def milestone_target(plan: Plan) -> Target:
    """The target due before the end of the year ("Kết nạp nhân dịp 19/5/2024")."""
    return Target.objects.get(plan=plan, round=None, ends_on__lt=date(plan.year, 12, 31))


def area_ids(plan: Plan) -> list[int]:
    return list(Unit.objects.filter(path__startswith=plan.area.path).values_list("pk", flat=True))


def counts(measure: str, start: date, end: date, group: str = "") -> dict[int, int]:
    return count_by_unit(CountQuery(measure=measure, start=start, end=end, group=group))


def area_sum(plan: Plan, found: dict[int, int]) -> int:
    """The district's figure: the records of every unit of the plan's area."""
    area = set(area_ids(plan))
    return sum(n for unit_id, n in found.items() if unit_id in area)


def leaf(code: str) -> Unit:
    """A unit with nobody under it, so its count is its own records."""
    unit = Unit.objects.get(code=code)
    assert not Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).exists()
    assert not Unit.objects.filter(admission_unit=unit).exists()
    return unit


def percent(actual: int, goal: int | None) -> float | None:
    return round(100 * actual / goal, 1) if goal else None


def kind_params(kind: str, plan: Plan) -> dict[str, str]:
    """The page's query for each kind (reports/forms.py)."""
    params = {"ke_hoach": str(plan.pk)}
    if kind == "interim":
        params["ky"] = "q2"
    elif kind == "milestone":
        params["moc"] = f"{milestone_target(plan).ends_on:%Y-%m-%d}"
    elif kind == "progress":
        params["den_ngay"] = f"{PROGRESS_DAY:%d/%m/%Y}"
    return params


def kind_period(kind: str, plan: Plan) -> tuple[date | None, date | None]:
    """The same period as ``kind_params``, for ``report_scope``."""
    if kind == "interim":
        return Q2
    if kind == "milestone":
        return date(plan.year, 1, 1), milestone_target(plan).ends_on
    if kind == "progress":
        return date(plan.year, 1, 1), PROGRESS_DAY
    if kind == "multi_year":
        return date(MULTI_YEARS[0], 1, 1), date(MULTI_YEARS[-1], 12, 31)
    return None, None


@dataclass
class Built:
    scope: Scope
    doc: PartyDocument
    page_status: int
    page: bytes
    files: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)

    @cached_property
    def pdf(self) -> tuple[str, list[list[str]]]:
        return pdf_read(self.files["pdf"][2])

    @cached_property
    def docx(self) -> tuple[str, list[list[str]]]:
        return docx_read(self.files["docx"][2])

    @cached_property
    def xlsx(self):
        return workbook(self.files["xlsx"][2])


@pytest.fixture(scope="module")
def built(plan):
    """``built(kind)``: the kind's document for the Board (``report_scope`` and the kind's
    ``build``), its page and its downloads — made on first use, then kept for the module."""
    cache: dict[str, Built] = {}

    def get(kind: str) -> Built:
        if kind not in cache:
            board = get_user_model().objects.get(username="bantochuc")
            start, end = kind_period(kind, plan)
            scope = report_scope(user=board, plan_pk=plan.pk, start=start, end=end)
            doc = KINDS[kind].build(scope, user=board)
            client = Client()
            client.force_login(board)
            params = kind_params(kind, plan)
            page = client.get(reverse("reports:report", args=[kind]), params)
            result = Built(scope, doc, page.status_code, page.content)
            for fmt in ("pdf", "xlsx", "docx"):
                response = client.get(reverse("reports:download", args=[kind, fmt]), params)
                result.files[fmt] = (
                    response.status_code,
                    response.get("Content-Type", ""),
                    body(response),
                )
            cache[kind] = result
        return cache[kind]

    return get


# --- reading a document's tables ------------------------------------------------------------


def group_columns(table: Table, prefix: str) -> list[int]:
    """The columns under the heading that starts with ``prefix`` (a target's or a round's
    name), in order."""
    found = [i for i, c in enumerate(table.columns) if c.group.startswith(prefix)]
    assert found, f"{table.title}: no columns under {prefix!r}"
    return found


def total_row(table: Table):
    assert table.rows[-1].is_total, f"{table.title}: no total row"
    return table.rows[-1]


def unit_rows(table: Table) -> dict[str, list]:
    """{unit name: cells} of the rows that are not the total."""
    return {row.cells[1]: row.cells for row in table.rows if not row.is_total}


def figures_by_row(table: Table, plan: Plan) -> list[tuple[Unit, list]]:
    """Each row of a unit table with its unit; the total row stands for the plan's area."""
    units = {u.name: u for u in Unit.objects.filter(path__startswith=plan.area.path)}
    out = []
    for row in table.rows:
        unit = plan.area if row.is_total else units[row.cells[1]]
        out.append((unit, row.cells))
    return out


# --- (a) the figures are the selectors' -------------------------------------------------------


def test_year_end_figures_are_the_dashboards(built, plan, board):
    doc = built("year_end").doc
    quotas, rounds, groups = doc.tables[:3]
    main = main_target(plan)
    tp = target_progress(target=main, on=YEAR_END, visible=[plan.area_id])
    admitted = counts(Measure.ADMISSIONS, date(2024, 1, 1), YEAR_END)

    # The district's admissions: the dashboard's roll-up, and the counters summed over the area.
    total = tp.rollup[plan.area_id].actual
    assert total > 0
    assert total == area_sum(plan, admitted)
    quota, done, share = group_columns(quotas, main.name)
    assert total_row(quotas).cells[done] == total
    assert total_row(quotas).cells[quota] == tp.rollup[plan.area_id].minimum
    assert total_row(quotas).cells[share] == percent(total, tp.rollup[plan.area_id].minimum)
    assert total_row(groups).cells[2] == total
    assert f" {total} " in doc.paragraphs[0]
    # The year before, as the counters have it (records and imported totals alike).
    before = area_sum(plan, counts(Measure.ADMISSIONS, date(2023, 1, 1), date(2023, 12, 31)))
    assert total_row(quotas).cells[-1] == total_row(groups).cells[-1] == before

    # A school's row is its own figure on the dashboard.
    school = leaf("THPT-HH1")
    own = tp.own[school.pk]
    row = unit_rows(quotas)[HH1]
    assert (row[quota], row[done], row[share]) == (
        own.minimum,
        own.actual,
        percent(own.actual, own.minimum),
    )
    assert row[done] == admitted.get(school.pk, 0)
    assert unit_rows(groups)[HH1][2] == admitted.get(school.pk, 0)

    # Every quota of the plan, on every row (a unit's own number, else the sum below it).
    every_unit = area_ids(plan)
    for target in Target.objects.filter(plan=plan, round=None, measure=Measure.ADMISSIONS):
        progress = target_progress(target=target, on=YEAR_END, visible=every_unit)
        _quota, done, _share = group_columns(quotas, target.name)
        for unit, cells in figures_by_row(quotas, plan):
            figure = progress.for_unit(unit.pk)
            assert cells[done] == (figure.actual if figure else None), (target.name, unit.name)

    # New members by group: the counters for each group, district-wide.
    heading = groups.columns[2].group
    for group in (PersonGroup.STUDENTS, PersonGroup.WORKERS, PersonGroup.WOMEN):
        column = groups.column(str(SHORT_GROUP_LABELS[group]), heading)
        expected = area_sum(plan, counts(Measure.ADMISSIONS, date(2024, 1, 1), YEAR_END, group))
        assert total_row(groups).cells[column] == expected, group

    # The class rounds: the round page's rows (training.selectors.round_progress).
    for round_ in Round.objects.filter(plan=plan).order_by("starts_on", "pk"):
        by_unit = {r.unit.pk: r for r in round_progress(user=board, round_=round_, on=YEAR_END)}
        columns = group_columns(rounds, round_.name)
        assert len(columns) == 5  # quota, nominated, accepted, attended, passed
        for unit, cells in figures_by_row(rounds, plan):
            found = by_unit.get(unit.pk)
            expected = [None] * 4
            if found is not None:
                expected = [found.figures.get(f) or 0 for f in ROUND_FIGURES]
            assert [cells[i] for i in columns[1:]] == expected, (round_.name, unit.name)
        assert total_row(rounds).cells[columns[4]] > 0  # somebody passed each round
    certified = counts(Measure.CERTIFICATIONS, date(2024, 1, 1), YEAR_END)
    assert total_row(rounds).cells[-1] == area_sum(plan, certified) > 0


def test_interim_figures_are_the_dashboards(built, plan, board):
    doc = built("interim").doc
    changes, quotas, rounds = doc.tables
    start, end = Q2
    in_period = counts(Measure.ADMISSIONS, start, end)
    since_january = counts(Measure.ADMISSIONS, date(2024, 1, 1), end)
    main = main_target(plan)
    tp = target_progress(target=main, on=end, visible=[plan.area_id])
    root = tp.for_unit(plan.area_id)  # the district's own number, else the sum below it

    row = total_row(changes).cells
    assert row[2] == area_sum(plan, in_period) > 0
    assert row[-5] == area_sum(plan, since_january) == root.actual
    assert row[-4] == root.minimum
    assert row[-3] == percent(root.actual, root.minimum)
    assert row[-2] == area_sum(plan, counts(Measure.CERTIFICATIONS, start, end))
    assert row[-1] == area_sum(plan, counts(Measure.NOMINATIONS, start, end))

    school = leaf("THPT-HH1")
    assert unit_rows(changes)[HH1][2] == in_period.get(school.pk, 0)
    assert unit_rows(changes)[HH1][-5] == tp.own[school.pk].actual

    _quota, done, _share = group_columns(quotas, main.name)
    assert total_row(quotas).cells[done] == root.actual
    assert unit_rows(quotas)[HH1][done] == tp.own[school.pk].actual

    for round_ in Round.objects.filter(plan=plan).order_by("starts_on", "pk"):
        by_unit = {r.unit.pk: r for r in round_progress(user=board, round_=round_, on=end)}
        columns = group_columns(rounds, round_.name)
        for unit, cells in figures_by_row(rounds, plan):
            found = by_unit.get(unit.pk)
            expected = (found.figures.get("accepted") or 0) if found else None
            assert cells[columns[2]] == expected, (round_.name, unit.name)


def test_milestone_figures_are_the_dashboards(built, plan):
    doc = built("milestone").doc
    (table,) = doc.tables
    target = milestone_target(plan)
    tp = target_progress(target=target, on=target.ends_on, visible=area_ids(plan))
    for unit, cells in figures_by_row(table, plan):
        figure = tp.for_unit(unit.pk)
        _no, _name, _quota, minimum, maximum, done, share, result = cells
        assert (minimum, maximum, done) == (figure.minimum, figure.maximum, figure.actual), unit
        assert share == percent(figure.actual, figure.minimum)
        if figure.remaining:
            assert str(figure.remaining) in result
    total = total_row(table).cells
    assert total[5] == tp.rollup[plan.area_id].actual > 0
    # Admissions of students (the target's group) up to 19/5, counted over the area.
    students = counts(Measure.ADMISSIONS, target.starts_on, target.ends_on, target.group)
    assert total[5] == area_sum(plan, students)


def test_multi_year_figures_are_the_dashboards(built, plan):
    doc = built("multi_year").doc
    by_unit, by_group, ranking = doc.tables
    years = [str(y) for y in MULTI_YEARS]
    columns = [by_unit.column(y, by_unit.columns[2].group) for y in years]
    school = leaf("THPT-HH1")
    for year, column in zip(MULTI_YEARS, columns, strict=True):
        found = counts(Measure.ADMISSIONS, date(year, 1, 1), date(year, 12, 31))
        assert total_row(by_unit).cells[column] == area_sum(plan, found), year
        assert unit_rows(by_unit)[HH1][column] == found.get(school.pk, 0), year
        assert by_group.rows[0].cells[column] == area_sum(plan, found), year
    assert total_row(by_unit).cells[columns[-1]] > 0
    assert total_row(by_unit).cells[len(columns) + 2] == sum(
        total_row(by_unit).cells[c] for c in columns
    )

    students = by_group.column(years[-1], by_group.columns[2].group)
    student_row = next(r for r in by_group.rows if r.cells[1] == str(PersonGroup.STUDENTS.label))
    found = counts(Measure.ADMISSIONS, date(2024, 1, 1), YEAR_END, PersonGroup.STUDENTS)
    assert student_row.cells[students] == area_sum(plan, found)

    # The ranking: each year's quota is the plan's (the dashboard's own figure) or, before
    # the app, the one imported with the year's total; admitted as in table 1.
    assert not Plan.objects.filter(issuer=plan.issuer, year__in=MULTI_YEARS).exclude(pk=plan.pk)
    quotas = {}
    for total in HistoricalTotal.objects.filter(
        unit=school,
        measure=Measure.ADMISSIONS,
        group="",
        dated__year__in=MULTI_YEARS,
        quota__isnull=False,
    ):
        quotas[total.dated.year] = quotas.get(total.dated.year, 0) + total.quota
    quotas[plan.year] = (
        target_progress(target=main_target(plan), on=YEAR_END).own[school.pk].minimum
    )
    admitted = {
        year: counts(Measure.ADMISSIONS, date(year, 1, 1), date(year, 12, 31)).get(school.pk, 0)
        for year in quotas
    }
    ranked = next(r for r in ranking.rows if r.cells[1] == HH1).cells
    assert ranked[2:] == [
        len(quotas),
        sum(1 for year in quotas if admitted[year] >= quotas[year]),
        sum(quotas.values()),
        sum(admitted.values()),
        percent(sum(admitted.values()), sum(quotas.values())),
    ]
    assert [r.cells[0] for r in ranking.rows] == list(range(1, len(ranking.rows) + 1))
    shares = [r.cells[6] or 0 for r in ranking.rows]
    assert shares == sorted(shares, reverse=True)


def test_progress_figures_are_the_dashboards(built, plan):
    doc = built("progress").doc
    (table,) = doc.tables
    every_unit = area_ids(plan)
    targets = Target.objects.filter(plan=plan).order_by("position", "pk")
    assert len(targets) == len({c.group for c in table.columns if c.group})
    for target in targets:
        tp = target_progress(target=target, on=PROGRESS_DAY, visible=every_unit)
        _quota, done, status = [i for i, c in enumerate(table.columns) if c.group == target.name]
        for unit, cells in figures_by_row(table, plan):
            figure = tp.for_unit(unit.pk)
            if figure is None:
                assert cells[done] is None, (target.name, unit.name)
                continue
            assert cells[done] == figure.actual, (target.name, unit.name)
            assert cells[status] == str(figure.status.label), (target.name, unit.name)
    main = main_target(plan)
    done = group_columns(table, main.name)[1]
    total = area_sum(plan, counts(Measure.ADMISSIONS, date(2024, 1, 1), PROGRESS_DAY))
    assert total_row(table).cells[done] == total > 0


# --- (b) the same cells in every format ----------------------------------------------------------


def sample_rows(table: Table) -> list:
    """The rows every format is checked on: the total, the first two units, and the school
    and the enterprise of seed 001 when the table has them."""
    rows = [r for r in table.rows if r.is_total]
    rows += [r for r in table.rows if not r.is_total][:2]
    rows += [r for r in table.rows if r.cells[1] in (HH1, HA_PHONG) and r not in rows]
    return rows


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_page_shows_every_cell(built, kind):
    report = built(kind)
    assert report.page_status == 200
    tables = html_tables(report.page)
    assert len(tables) == len(report.doc.tables) > 0
    for table, rows in zip(report.doc.tables, tables, strict=True):
        assert rows == [shown(row, table) for row in table.rows], table.title


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "docx"])
def test_the_download_is_the_file(built, kind, fmt):
    status, content_type, data = built(kind).files[fmt]
    assert status == 200
    assert content_type == CONTENT_TYPES[fmt]
    assert data.startswith(MAGIC[fmt])


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_pdf_shows_the_same_cells(built, kind):
    report = built(kind)
    text, rows = report.pdf
    for table in report.doc.tables:
        for row in sample_rows(table):  # the unit's name too, wrapped in its cell or not
            assert shown(row, table) in rows, (table.title, row.cells)
    if kind == "year_end":
        flat_text = " ".join(text.split())
        assert HH1 in flat_text and HA_PHONG in flat_text


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_workbook_holds_the_same_numbers(built, kind):
    report = built(kind)
    wb = report.xlsx
    sheets = wb.worksheets[1 : 1 + len(report.doc.tables)]  # after the "Báo cáo" sheet
    assert len(sheets) == len(report.doc.tables)
    for table, ws in zip(report.doc.tables, sheets, strict=True):
        rows = [list(r) for r in ws.iter_rows()]
        assert any(r[0].value == table.title for r in rows), (ws.title, table.title)
        for row in sample_rows(table):
            found = [r for r in rows if r[1].value == row.cells[1]]
            assert found, (table.title, row.cells[1])
            cells = found[-1][: len(table.columns)]
            for value, column, cell in zip(row.cells, table.columns, cells, strict=True):
                where = (table.title, row.cells[1], column.group, column.label)
                if value is None or value == "":
                    assert cell.value is None, where
                elif column.kind == PERCENT:
                    # A percent column holds the fraction, shown as a percent.
                    assert cell.value == pytest.approx(value / 100), where
                    assert cell.number_format == "0.0%", where
                elif isinstance(value, int) and column.kind != TEXT:
                    assert cell.value == value and isinstance(cell.value, int), where
                else:
                    assert cell.value == value, where


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_word_file_shows_the_same_cells(built, kind):
    report = built(kind)
    _text, rows = report.docx
    for table in report.doc.tables:
        for row in sample_rows(table):
            assert shown(row, table) in rows, (table.title, row.cells)


def test_the_year_end_report_works_out_each_round_once(plan, board, monkeypatch):
    """Its table and its paragraph read each class round's figures from one computation
    (``Scope.memo``), and the document is the one built when nothing is kept."""
    import reports.figures

    calls = []
    real = reports.figures.round_progress

    def counting(**kwargs):
        calls.append(kwargs["round_"].pk)
        return real(**kwargs)

    class Forgetful(dict):
        def __contains__(self, key):
            return False

    monkeypatch.setattr(reports.figures, "round_progress", counting)
    start, end = kind_period("year_end", plan)
    scope = report_scope(user=board, plan_pk=plan.pk, start=start, end=end)
    doc = KINDS["year_end"].build(scope, user=board)
    rounds = sorted(plan.rounds.values_list("pk", flat=True))
    assert rounds and sorted(calls) == rounds
    calls.clear()
    scope = report_scope(user=board, plan_pk=plan.pk, start=start, end=end)
    scope.memo = Forgetful()
    assert KINDS["year_end"].build(scope, user=board) == doc
    assert sorted(calls) == sorted(rounds * 2)
