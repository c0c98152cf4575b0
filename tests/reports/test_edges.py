"""Edges a review found: who may issue, a unit's progress report, periods outside the plan's
year, odd query parameters, the multi-year span, a worker build that fails."""

import importlib
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quotas.dashboard import plan_dashboard
from reports.kinds import KINDS
from reports.models import IssuedReport, ReportStatus
from reports.scope import report_scope
from reports.services import is_large, report_run
from units.models import Unit

pytestmark = pytest.mark.django_db

LETTERHEAD = {
    "fmt": "pdf",
    "number": "99-BC/HU",
    "issued_on": "20/12/2024",
    "mandate": "T/M BAN THƯỜNG VỤ",
    "signer_title": "",
    "signer_name": "Nguyễn Văn An",
    "recipients": "Lưu VP.",
}


def test_the_read_only_standing_office_may_not_issue_a_report(login, plan):
    client = login("thuongtruc")
    page = client.get(reverse("reports:report", args=["year_end"]), {"ke_hoach": plan.pk})
    assert page.status_code == 200 and "report-issue" not in page.content.decode()
    url = reverse("reports:issue", args=["year_end"]) + f"?ke_hoach={plan.pk}"
    response = client.post(url, LETTERHEAD)
    assert response.status_code == 403
    assert not IssuedReport.objects.exists()


def test_a_units_progress_report_counts_only_its_units(login, plan):
    board = get_user_model().objects.get(username="bantochuc")
    thang = Unit.objects.get(code="DU-THANG")
    scope = report_scope(
        user=board, plan_pk=plan.pk, unit_pk=thang.pk, end=plan.issued_on.replace(month=6, day=30)
    )
    doc = KINDS["progress"].build(scope, user=board)
    dashboard = plan_dashboard(plan=plan, user=board, on=scope.end)
    mine = [r for r in dashboard.rows if r.unit.pk in scope.visible_ids]
    tally = Counter(c.status for r in mine for c in r.cells if c is not None)
    expected = ", ".join(f"{n} {str(s.label).lower()}" for s, n in tally.items() if n)
    for part in expected.split(", "):
        assert part in doc.paragraphs[0]
    groups = {c.group for c in doc.tables[0].columns if c.group}
    assert "Kết nạp nhân dịp 19/5/2024" not in groups  # no school under Thắng holds it


def test_an_interim_period_outside_the_plans_year_is_refused(login, plan):
    client = login("bantochuc")
    response = client.get(
        reverse("reports:report", args=["interim"]),
        {"ke_hoach": plan.pk, "ky": "custom", "tu_ngay": "01/01/2025", "den_ngay": "31/03/2025"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kỳ báo cáo phải nằm trong năm của kế hoạch (2024)" in page
    assert "report-preview" not in page


@pytest.mark.parametrize("value", ["\u00b2", "1x", "-1"])
def test_odd_plan_or_unit_parameters_are_404(login, plan, value):
    client = login("bantochuc")
    url = reverse("reports:report", args=["year_end"])
    assert client.get(url, {"ke_hoach": value}).status_code == 404
    assert client.get(url, {"ke_hoach": plan.pk, "don_vi": value}).status_code == 404


def test_the_interim_page_opens_on_a_period(login, plan):
    response = login("bantochuc").get(
        reverse("reports:report", args=["interim"]), {"ke_hoach": plan.pk}
    )
    assert "report-preview" in response.content.decode()


def test_a_one_year_multi_year_summary_covers_that_year(plan):
    board = get_user_model().objects.get(username="bantochuc")
    scope = report_scope(
        user=board,
        plan_pk=plan.pk,
        start=plan.issued_on.replace(year=2022, month=1, day=1),
        end=plan.issued_on.replace(year=2022, month=12, day=31),
    )
    doc = KINDS["multi_year"].build(scope, user=board)
    years = [c.label for c in doc.tables[0].columns if c.group]
    assert years == ["2022"]


def test_a_worker_build_that_fails_is_marked_failed(plan, monkeypatch):
    board = get_user_model().objects.get(username="bantochuc")
    report = IssuedReport.objects.create(
        kind="year_end",
        title="x",
        plan=plan,
        unit=plan.area,
        starts_on=plan.issued_on.replace(month=1, day=1),
        ends_on=plan.issued_on.replace(month=12, day=31),
        fmt="pdf",
        created_by=board,
    )

    def broken(document, fmt):
        raise OSError("disk full")

    monkeypatch.setattr("reports.services.report_render", broken)
    with pytest.raises(OSError):
        report_run(report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error == "Please try again later." or "thử lại" in report.error


def test_the_line_to_the_worker_is_per_format(plan, settings):
    settings.REPORTS_INLINE_MAX_UNITS = {"pdf": 5, "xlsx": 50, "docx": 50, "html": 50}
    board = get_user_model().objects.get(username="bantochuc")
    scope = report_scope(user=board, plan_pk=plan.pk)
    assert 5 < len(scope.visible) <= 50
    assert [f for f in ("pdf", "xlsx", "docx", "html") if is_large(scope, f)] == ["pdf"]


def test_the_chart_has_at_most_forty_bars(plan, monkeypatch):
    board = get_user_model().objects.get(username="bantochuc")
    scope = report_scope(user=board, plan_pk=plan.pk)
    full = KINDS["year_end"].build(scope, user=board).chart
    assert len(full.labels) == 13  # the annex's units
    module = importlib.import_module("reports.kinds.year_end")  # the package names a function so
    monkeypatch.setattr(module, "MAX_CHART_BARS", 10)
    short = KINDS["year_end"].build(scope, user=board).chart
    # more than ten units hold a number: the chart shows the units directly under the root
    children = {u.pk for u in scope.visible if u.depth == scope.root.depth + 1}
    assert 0 < len(short.labels) <= 10
    assert {"Đảng ủy thị trấn Thắng"} <= {
        u.name for u in Unit.objects.filter(pk__in=children)
    } and "ĐU thị trấn Thắng" in short.labels


def test_a_unit_whose_admissions_a_committee_runs_is_in_its_report(plan):
    thang = Unit.objects.get(code="DU-THANG")
    union = Unit.objects.get(code="LDLD-HIEPHOA")  # not under Thắng in the tree
    union.admission_unit = thang
    union.save()
    staff = get_user_model().objects.get(username="danguy.thang")
    scope = report_scope(user=staff, plan_pk=plan.pk, unit_pk=thang.pk)
    assert union.pk in scope.visible_ids


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tỉnh ủy Bắc Ninh", "Đảng bộ tỉnh Bắc Ninh"),
        ("Đảng uỷ xã Hòa Phong", "Đảng bộ xã Hòa Phong"),
        ("Huyện ủy Hiệp Hòa", "Đảng bộ huyện Hiệp Hòa"),
        ("Chi bộ thôn Phong Xá", "Chi bộ thôn Phong Xá"),
    ],
)
def test_the_line_above_the_issuer_names_the_party_organisation(db, name, expected):
    from reports.kinds.base import organisation_name
    from units.kinds import ensure_default_kinds
    from units.models import UnitKind
    from units.services import unit_create

    ensure_default_kinds(UnitKind)
    unit = unit_create(
        actor=None, parent=None, kind=UnitKind.objects.get(code="committee"), code="X", name=name
    )
    assert organisation_name(unit) == expected


def test_an_alias_that_begins_dang_bo_names_the_organisation(demo):
    from reports.kinds.base import organisation_name

    assert organisation_name(demo["HU-HIEPHOA"]) == "Đảng bộ huyện Hiệp Hòa"
