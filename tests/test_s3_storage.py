"""Several app servers share one S3-compatible bucket (docs/deploy.md): the app's real file
paths — a plan's attached file uploaded through the plan form and downloaded through the
app's view, a report built by the background worker and downloaded from the archive — run
against moto's S3 server on this machine, configured as production configures it from the
environment. Every file goes through Django's storage API (no ``.path``, which a bucket does
not have), and every download through the app's access check, never a public address.
(The backup and its restore on a bucket: tests/core/test_backup.py.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from config.settings.environment import cache, media_storage
from quotas.models import Plan
from reports.models import IssuedReport, ReportStatus
from tests.factories import UnitFactory, make_holder
from units.choices import Role

from .reports.report_files import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(full_demo):
    """The whole demo (classes, candidates), loaded once for the module: the shared
    ``login`` and ``plan145`` fixtures use it."""
    return full_demo


def _attach(client, plan: Plan, name: str, content: bytes):
    data = {
        "number": plan.number,
        "title": plan.title,
        "issuer": plan.issuer_id,
        "issued_on": plan.issued_on.strftime("%d/%m/%Y"),
        "year": plan.year,
        "status": plan.status,
        "attachment": SimpleUploadedFile(name, content),
    }
    return client.post(reverse("quotas:plan_update", kwargs={"pk": plan.pk}), data)


def test_a_plan_file_is_kept_in_the_bucket_and_served_by_the_app(
    s3_storage, login, plan145, django_capture_on_commit_callbacks
):
    board = login("bantochuc")
    with django_capture_on_commit_callbacks(execute=True):
        response = _attach(board, plan145, "145-KH-HU.pdf", b"%PDF-1.4 ke hoach 145")
    assert response.status_code == 302
    first = Plan.objects.get(pk=plan145.pk).attachment.name
    assert first.startswith("plans/") and first.endswith(".pdf")
    assert s3_storage.keys() == [first]
    assert s3_storage.read(first) == b"%PDF-1.4 ke hoach 145"

    # Read by those who may read the plan, through the app: the page links the app's view,
    # never the bucket.
    url = reverse("quotas:plan_attachment", kwargs={"pk": plan145.pk})
    page = login("bithu.thpt1").get(plan145.get_absolute_url()).content.decode()
    assert url in page and s3_storage.name not in page
    download = login("bithu.thpt1").get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert body(download) == b"%PDF-1.4 ke hoach 145"
    # The edit form and the admin link the current file to the same view.
    board = login("bantochuc")
    for page_url in (
        reverse("quotas:plan_update", kwargs={"pk": plan145.pk}),
        reverse("admin:quotas_plan_change", args=[plan145.pk]),
    ):
        page = board.get(page_url).content.decode()
        assert f'href="{url}">145-KH-HU' in page and s3_storage.name not in page, page_url
        assert '<label for="attachment-clear_id">Xóa</label>' in page  # not "Xóa lọc"
    outsider = make_holder(role=Role.SECRETARY, unit=UnitFactory(name="Chi bộ ngoài địa bàn"))
    elsewhere = Client()
    elsewhere.force_login(outsider)
    assert elsewhere.get(url).status_code == 404

    # A new file of the same name gets a key of its own (no other plan's file is
    # overwritten); the replaced one leaves the bucket once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        assert _attach(board, plan145, "145-KH-HU.pdf", b"%PDF-1.4 ban ky").status_code == 302
    second = Plan.objects.get(pk=plan145.pk).attachment.name
    assert second != first
    assert s3_storage.keys() == [second]
    assert body(board.get(url)) == b"%PDF-1.4 ban ky"

    # A file gone from the bucket is "not found", not a server error.
    s3_storage.client.delete_object(Bucket=s3_storage.name, Key=second)
    assert board.get(url).status_code == 404


def test_a_report_built_by_the_worker_is_kept_in_the_bucket(
    s3_storage, login, plan145, settings, django_capture_on_commit_callbacks, run_worker
):
    settings.REPORTS_INLINE_MAX_UNITS = 1  # every report is the worker's
    client = login("bantochuc")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("reports:download", args=["year_end", "xlsx"]), {"ke_hoach": plan145.pk}
        )
    report = IssuedReport.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert s3_storage.keys() == []

    run_worker()

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert report.file.name.startswith("reports/") and report.file.name.endswith(".xlsx")
    assert s3_storage.keys() == [report.file.name]
    kept = s3_storage.read(report.file.name)
    assert kept.startswith(b"PK") and report.size == len(kept)
    download = client.get(reverse("reports:archive_file", args=[report.pk]))
    assert download.status_code == 200
    assert body(download) == kept


def test_without_the_variables_files_stay_local_and_the_cache_in_memory():
    assert media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert cache({})["default"]["BACKEND"].endswith("LocMemCache")


def test_the_bucket_and_redis_come_from_the_environment():
    storage = media_storage(
        {
            "PTDV_S3_BUCKET": "ptdv-hiephoa",
            "PTDV_S3_ENDPOINT_URL": "https://s3.example.vn",
            "PTDV_S3_PREFIX": "ptdv",
            "AWS_SECRET_ACCESS_KEY": "not-in-the-settings",
        }
    )
    options = storage["OPTIONS"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "ptdv-hiephoa"
    assert options["endpoint_url"] == "https://s3.example.vn" and options["location"] == "ptdv"
    assert options["file_overwrite"] is False and options["default_acl"] is None
    assert "not-in-the-settings" not in repr(storage)  # keys come from boto3's own places
    for variable in ("PTDV_REDIS_URL", "REDIS_URL"):
        caches = cache({variable: "redis://cache.internal:6379/1"})
        assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert caches["default"]["LOCATION"] == "redis://cache.internal:6379/1"
