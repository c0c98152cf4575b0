"""Background work: large reports are built by the worker (``manage.py db_worker``), not in
the web process."""

from django.db import transaction
from django_tasks import task

from core.audit import audit_record

from .models import IssuedReport, ReportStatus
from .scope import Scope
from .services import archive_fields, report_run


@task()
def build_report_task(report_id: int) -> int:
    """Build the archived report ``report_id`` if it is still waiting."""
    report = IssuedReport.objects.select_related("created_by").get(pk=report_id)
    if report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        report_run(report=report)
    return report_id


def report_enqueue(*, actor, kind: str, scope: Scope, fmt: str) -> IssuedReport:
    """Put the report in the archive as waiting, for the background worker to build."""
    with transaction.atomic():
        report = IssuedReport.objects.create(
            **archive_fields(kind=kind, scope=scope, fmt=fmt), created_by=actor
        )
        audit_record(
            actor=actor, action="report.queue", unit=scope.root, obj=report, kind=kind, fmt=fmt
        )
        transaction.on_commit(lambda: build_report_task.enqueue(report.pk))
    return report
