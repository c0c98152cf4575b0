"""Background work: large reports are built by the worker (``manage.py db_worker``), not in
the web process."""

from django_tasks import task

from .models import IssuedReport, ReportStatus


@task()
def build_report_task(report_id: int) -> int:
    """Build the archived report ``report_id`` if it is still waiting."""
    from .services import report_run

    report = IssuedReport.objects.select_related("created_by").get(pk=report_id)
    if report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        report_run(report=report)
    return report_id
