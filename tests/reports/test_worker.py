"""A report over more units than ``REPORTS_INLINE_MAX_UNITS`` is built by the background
worker (django-tasks' database backend, ``manage.py db_worker``), not within the request: the
download sends the user to the report's page in the archive, which refreshes itself until the
worker has kept the file."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core.models import AuditEvent
from quotas.models import Plan
from reports.models import IssuedReport, ReportStatus

from .report_files import body, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def plan145(full_demo, django_db_blocker) -> Plan:
    with django_db_blocker.unblock():
        return Plan.objects.get(number="145/KH-HU")


@pytest.fixture
def board(plan145):
    return get_user_model().objects.get(username="bantochuc")


@pytest.fixture
def login(client, plan145):
    def do(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return do


@pytest.fixture
def large(settings):
    """Every report of the demo district counts as large."""
    settings.REPORTS_INLINE_MAX_UNITS = 1  # every format


def test_a_large_report_is_built_by_the_worker(
    large, login, plan145, board, django_capture_on_commit_callbacks, run_worker
):
    client = login("bantochuc")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(
            reverse("reports:download", args=["year_end", "pdf"]), {"ke_hoach": plan145.pk}
        )

    report = IssuedReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:archive_detail", args=[report.pk])
    assert len(callbacks) == 1
    assert report.status == ReportStatus.QUEUED
    assert (report.kind, report.fmt, report.plan_id) == ("year_end", "pdf", plan145.pk)
    assert report.created_by == board and not report.file
    assert AuditEvent.objects.filter(action="report.queue", object_id=str(report.pk)).exists()
    task = DBTaskResult.objects.get()
    assert task.status == "READY"

    # While it waits, its page refreshes itself and shows how far it has got.
    waiting = client.get(response.url)
    assert waiting.status_code == 200
    page = waiting.content.decode()
    assert '<meta http-equiv="refresh"' in page
    assert 'class="report-progress-bar' in page and "<progress" in page
    file_url = reverse("reports:archive_file", args=[report.pk])
    assert file_url not in page
    assert client.get(file_url).status_code == 404

    run_worker()

    report.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL", task.exception_class_path
    assert report.status == ReportStatus.DONE
    assert report.progress == 100 and report.finished_at is not None
    with report.file.open("rb") as fh:
        kept = fh.read()
    assert kept.startswith(b"%PDF-") and report.size == len(kept)
    assert "Trường THPT Hiệp Hòa số 1" in " ".join(pdf_text(kept).split())

    done = client.get(response.url)
    page = done.content.decode()
    assert done.status_code == 200
    assert '<meta http-equiv="refresh"' not in page
    assert 'role="progressbar"' not in page
    assert file_url in page
    download = client.get(file_url)
    assert download.status_code == 200
    assert body(download) == kept


def test_a_large_report_page_offers_the_worker(large, login, plan145):
    response = login("bantochuc").get(
        reverse("reports:report", args=["year_end"]), {"ke_hoach": plan145.pk}
    )
    assert response.status_code == 200
    assert response.context["large"] is True
    assert "doc" not in response.context  # nothing built within the request
    assert not IssuedReport.objects.exists()


def test_issuing_a_large_report_queues_it(
    large, login, plan145, django_capture_on_commit_callbacks, run_worker
):
    client = login("bantochuc")
    letterhead = {
        "fmt": "xlsx",
        "number": "15-BC/HU",
        "issued_on": "20/12/2024",
        "signer_name": "Nguyễn Văn Thành",
        "recipients": "Lưu Văn phòng.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:issue", args=["year_end"]) + f"?ke_hoach={plan145.pk}", letterhead
        )
    report = IssuedReport.objects.get()
    assert response.status_code == 302
    assert response.url == report.get_absolute_url()
    assert report.status == ReportStatus.QUEUED and report.number == "15-BC/HU"

    run_worker()

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.file_name.endswith(".xlsx") and report.size > 0
