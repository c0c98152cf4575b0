"""Issuing a report: the number, date, signer and recipients typed once are printed on it, the
file is kept as issued (the same bytes after the figures change), and the act is audited."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.models import AuditEvent
from quotas.choices import Measure
from quotas.models import Plan, Target, TargetValue
from reports.kinds import KINDS
from reports.models import IssuedReport, ReportStatus
from reports.scope import report_scope

from .report_files import body, pdf_text

pytestmark = pytest.mark.django_db

HH1 = "Trường THPT Hiệp Hòa số 1"
LETTERHEAD = {
    "fmt": "pdf",
    "number": "12-BC/HU",
    "issued_on": "20/12/2024",
    "mandate": "T/M BAN THƯỜNG VỤ",
    "signer_title": "PHÓ BÍ THƯ",
    "signer_name": "Nguyễn Văn Thành",
    "recipients": "Ban Tổ chức Tỉnh ủy (để báo cáo),\r\nLưu Văn phòng Huyện ủy.",
}


@pytest.fixture
def board(plan):
    return get_user_model().objects.get(username="bantochuc")


@pytest.fixture
def board_client(client, board):
    client.force_login(board)
    return client


def issue_url(plan: Plan, kind: str = "year_end") -> str:
    return reverse("reports:issue", args=[kind]) + f"?ke_hoach={plan.pk}"


def hh1_quota_and_total(plan: Plan, board) -> tuple:
    """The quota of the first school and the district's admissions in a year-end report
    built now."""
    doc = KINDS["year_end"].build(report_scope(user=board, plan_pk=plan.pk), user=board)
    table = doc.tables[0]
    main = Target.objects.get(plan=plan, in_annex=True, measure=Measure.ADMISSIONS)
    quota, done = [i for i, c in enumerate(table.columns) if c.group.startswith(main.name)][:2]
    school = next(r for r in table.rows if r.cells[1] == HH1)
    return school.cells[quota], table.rows[-1].cells[done]


def test_issuing_keeps_the_signed_file(board_client, board, plan):
    quota_before, admitted = hh1_quota_and_total(plan, board)

    response = board_client.post(issue_url(plan), LETTERHEAD)

    report = IssuedReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:archive_detail", args=[report.pk])
    assert report.status == ReportStatus.DONE
    assert (report.kind, report.fmt, report.number) == ("year_end", "pdf", "12-BC/HU")
    assert report.issued_on == date(2024, 12, 20)
    assert report.unit_id == plan.area_id and report.plan_id == plan.pk
    assert report.created_by == board
    assert report.recipient_lines == (
        "Ban Tổ chức Tỉnh ủy (để báo cáo),",
        "Lưu Văn phòng Huyện ủy.",
    )
    with report.file.open("rb") as fh:
        kept = fh.read()
    assert kept.startswith(b"%PDF-") and report.size == len(kept)

    text = " ".join(pdf_text(kept).split())
    assert "Số 12-BC/HU" in text
    assert "Hiệp Hòa, ngày 20 tháng 12 năm 2024" in text
    assert "PHÓ BÍ THƯ" in text and "Nguyễn Văn Thành" in text
    assert "- Ban Tổ chức Tỉnh ủy (để báo cáo)," in text
    assert "- Lưu Văn phòng Huyện ủy." in text
    assert f"kết nạp {admitted} đảng viên" in text

    event = AuditEvent.objects.get(action="report.issue")
    assert event.actor == board
    assert event.object_id == str(report.pk)
    assert event.unit_id == plan.area_id

    detail = board_client.get(response.url)
    assert detail.status_code == 200
    file_url = reverse("reports:archive_file", args=[report.pk])
    assert file_url in detail.content.decode()
    first = board_client.get(file_url)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert body(first) == kept

    # The figures change: a report built now shows it, the issued file does not.
    value = TargetValue.objects.get(target__plan=plan, target__in_annex=True, unit__name=HH1)
    value.minimum += 5
    value.save()
    assert hh1_quota_and_total(plan, board)[0] == quota_before + 5
    again = board_client.get(file_url)
    assert again.status_code == 200
    assert body(again) == kept


def test_issuing_without_a_number_is_refused(board_client, plan):
    letterhead = {**LETTERHEAD, "number": ""}

    response = board_client.post(issue_url(plan), letterhead)

    assert response.status_code == 400
    text = response.content.decode()
    assert "Trường này là bắt buộc." in text
    assert "Báo cáo chưa được ban hành" in text
    assert not IssuedReport.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()


def test_issuing_with_a_bad_date_is_refused(board_client, plan):
    response = board_client.post(issue_url(plan), {**LETTERHEAD, "issued_on": "31/02/2024"})

    assert response.status_code == 400
    assert "Nhập một ngày hợp lệ." in response.content.decode()
    assert not IssuedReport.objects.exists()


def test_a_report_that_cannot_be_built_is_not_issued(board_client, plan):
    """A milestone report of a plan without milestones: the page and the download say why;
    issuing it must say so too (400, nothing kept), not fail with a server error."""
    Target.objects.filter(plan=plan, round=None, ends_on__lt=date(plan.year, 12, 31)).update(
        ends_on=date(plan.year, 12, 31)
    )
    reason = "Kế hoạch này không có chỉ tiêu nào có hạn trước cuối năm."
    page = board_client.get(reverse("reports:report", args=["milestone"]), {"ke_hoach": plan.pk})
    assert page.status_code == 200 and reason in page.content.decode()

    response = board_client.post(issue_url(plan, "milestone"), LETTERHEAD)

    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not IssuedReport.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()
