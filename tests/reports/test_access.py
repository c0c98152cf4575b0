"""Who may read which report: the scope decides (``reports.scope.report_scope``), the same rule
as every list and dashboard — and the archive follows the unit of each report."""

from datetime import date
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quotas.models import Plan, Target
from reports.kinds import KINDS
from reports.models import IssuedReport
from reports.scope import Letterhead, report_scope
from reports.services import report_issue
from units.models import Unit, UnitKind

from ..factories import UnitFactory
from .report_files import body, html_tables, pdf_text

pytestmark = pytest.mark.django_db

HH1 = "Trường THPT Hiệp Hòa số 1"
HH2 = "Trường THPT Hiệp Hòa số 2"


def params(kind: str, plan: Plan, **extra) -> dict[str, str]:
    """A valid query for each kind (reports/forms.py)."""
    query = {"ke_hoach": str(plan.pk)}
    if kind == "interim":
        query["ky"] = "q2"
    elif kind == "milestone":
        target = Target.objects.get(plan=plan, round=None, ends_on__lt=date(plan.year, 12, 31))
        query["moc"] = f"{target.ends_on:%Y-%m-%d}"
    elif kind == "progress":
        query["den_ngay"] = "30/06/2024"
    return {**query, **{k: str(v) for k, v in extra.items()}}


def page_url(kind: str) -> str:
    return reverse("reports:report", args=[kind])


def download_url(kind: str, fmt: str = "pdf") -> str:
    return reverse("reports:download", args=[kind, fmt])


def row_names(content: bytes) -> set[str]:
    """The names in the unit column of every table of a report page."""
    return {row[1] for table in html_tables(content) for row in table if len(row) > 1}


def issue(plan: Plan, unit: Unit, fmt: str = "xlsx") -> IssuedReport:
    """A year-end report of ``unit`` issued by the Board."""
    board = get_user_model().objects.get(username="bantochuc")
    scope = report_scope(
        user=board,
        plan_pk=plan.pk,
        unit_pk=unit.pk,
        letterhead=Letterhead(number="1-BC/HU", issued_on=date(2024, 12, 20), signer_name="A"),
    )
    return report_issue(actor=board, kind="year_end", scope=scope, fmt=fmt)


# --- the standing office ----------------------------------------------------------------------


def test_the_standing_office_sees_the_index(login):
    response = login("thuongtruc").get(reverse("reports:index"))
    assert response.status_code == 200
    for kind in KINDS:
        assert page_url(kind) in response.content.decode()


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_standing_office_reads_and_downloads_every_kind(login, plan, kind):
    client = login("thuongtruc")
    page = client.get(page_url(kind), params(kind, plan))
    assert page.status_code == 200
    assert page.context["doc"].tables  # the preview, not a form error
    assert {HH1, HH2} <= row_names(page.content)

    # What is drawn is the question here; test_one_source renders these very documents.
    drawn = []

    def fake_pdf(document):
        drawn.append(document)
        return b"%PDF-1.7 drawn for the test"

    with mock.patch.dict("reports.services.RENDERERS", {"pdf": fake_pdf}):
        response = client.get(download_url(kind), params(kind, plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == b"%PDF-1.7 drawn for the test"
    (document,) = drawn
    names = {row.cells[1] for table in document.tables for row in table.rows}
    assert {HH1, HH2} <= names


# --- a secretary ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_secretary_reads_only_their_unit(login, plan, kind):
    response = login("bithu.thpt1").get(page_url(kind), params(kind, plan))
    assert response.status_code == 200
    doc = response.context["doc"]
    assert doc.tables
    text = response.content.decode()
    assert HH1 in text
    assert HH2 not in text
    # Every row of a unit table is the school (the groups of multi_year are not units).
    units = {u.name for u in Unit.objects.all()}
    assert row_names(response.content) & units == {HH1}


def test_a_secretarys_pdf_holds_only_their_unit(login, plan):
    response = login("bithu.thpt1").get(download_url("year_end"), params("year_end", plan))
    assert response.status_code == 200
    text = " ".join(pdf_text(body(response)).split())
    assert HH1 in text
    assert HH2 not in text
    assert "Trường THPT Hiệp Hòa số 3" not in text


@pytest.mark.parametrize("kind", ["year_end", "interim"])
def test_a_secretary_asking_for_another_unit_gets_404(login, plan, full_demo, kind):
    client = login("bithu.thpt1")
    query = params(kind, plan, don_vi=full_demo["THPT-HH2"].pk)
    page = client.get(page_url(kind), query)
    download = client.get(download_url(kind), query)
    assert HH2 not in page.content.decode()  # nothing of the other school, whatever the status
    assert (page.status_code, download.status_code) == (404, 404)


def test_a_secretary_asking_for_a_plan_outside_their_area_gets_404(login, plan):
    other = UnitFactory(
        kind=UnitKind.objects.get(code="committee"), code="HU-KHAC", name="Huyện ủy khác"
    )
    outside = Plan.objects.create(
        number="99/KH-HU",
        title="Kế hoạch của huyện khác",
        issuer=other,
        area=other,
        issued_on=date(2024, 3, 1),
        year=2024,
    )
    client = login("bithu.thpt1")
    query = {"ke_hoach": str(outside.pk)}
    page = client.get(page_url("year_end"), query)
    download = client.get(download_url("year_end"), query)
    assert "99/KH-HU" not in page.content.decode()  # not even offered in the form
    assert (page.status_code, download.status_code) == (404, 404)


# --- a commune committee ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["year_end", "progress"])
def test_commune_committee_staff_see_the_cells_under_it(login, plan, full_demo, kind):
    response = login("danguy.thang").get(page_url(kind), params(kind, plan))
    assert response.status_code == 200
    thang = full_demo["DU-THANG"]
    under = set(
        Unit.objects.filter(path__startswith=thang.path)
        .exclude(pk=thang.pk)
        .values_list("name", flat=True)
    )
    units = {u.name for u in Unit.objects.all()}
    shown_units = row_names(response.content) & units
    assert "Công ty Cổ phần may xuất khẩu Hà Phong" in shown_units
    assert shown_units <= under
    text = response.content.decode()
    for school in ("THPT-HH1", "THPT-HH2", "GDNN-GDTX"):
        assert full_demo[school].name not in text


# --- anyone else --------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, plan, full_demo):
    report = issue(plan, full_demo["THPT-HH1"])
    urls = [
        reverse("reports:index"),
        page_url("year_end") + f"?ke_hoach={plan.pk}",
        download_url("year_end") + f"?ke_hoach={plan.pk}",
        reverse("reports:archive_list"),
        reverse("reports:archive_detail", args=[report.pk]),
        reverse("reports:archive_file", args=[report.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    response = client.post(reverse("reports:issue", args=["year_end"]) + f"?ke_hoach={plan.pk}")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert IssuedReport.objects.count() == 1


def test_the_archive_of_another_unit_is_404(login, plan, full_demo):
    own = issue(plan, full_demo["THPT-HH1"])
    other = issue(plan, full_demo["THPT-HH2"])
    client = login("bithu.thpt1")

    assert client.get(reverse("reports:archive_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("reports:archive_file", args=[own.pk])).status_code == 200
    assert client.get(reverse("reports:archive_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:archive_file", args=[other.pk])).status_code == 404
    listing = client.get(reverse("reports:archive_list"))
    assert [r.pk for r in listing.context["reports"]] == [own.pk]


def test_issuing_is_post_only(login, plan):
    response = login("bantochuc").get(
        reverse("reports:issue", args=["year_end"]), {"ke_hoach": plan.pk}
    )
    assert response.status_code == 405
    assert not IssuedReport.objects.exists()
