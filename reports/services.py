"""Building report files, and the archive's writes (one transaction and one audit record
each)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.text import ascii_filename
from documents.content import PartyDocument
from documents.pdf import document_pdf
from documents.word import document_docx
from documents.workbook import document_xlsx

from .kinds import KINDS, build_document
from .models import IssuedReport, ReportStatus
from .scope import Letterhead, Scope, report_scope

RENDERERS = {"pdf": document_pdf, "xlsx": document_xlsx, "docx": document_docx}
FORMATS = tuple(RENDERERS)


@dataclass
class BuiltReport:
    document: PartyDocument
    content: bytes
    fmt: str

    @property
    def stem(self) -> str:
        return self.document.file_stem


def report_render(document: PartyDocument, fmt: str) -> bytes:
    return RENDERERS[fmt](document)


def report_build(*, kind: str, scope: Scope, user, fmt: str) -> BuiltReport:
    document = build_document(kind, scope, user=user)
    return BuiltReport(document, report_render(document, fmt), fmt)


def inline_limit(fmt: str) -> int:
    """The most units a report in ``fmt`` is built for within a request."""
    limits = settings.REPORTS_INLINE_MAX_UNITS
    if isinstance(limits, int):
        return limits
    return limits.get(fmt, limits["html"])


def is_large(scope: Scope, fmt: str = "html") -> bool:
    """Whether a report of ``scope`` in ``fmt`` is built by the background worker rather
    than within the browser's request (``REPORTS_INLINE_MAX_UNITS``: bench/reports.py)."""
    return len(scope.visible) > inline_limit(fmt)


def archive_fields(*, kind: str, scope: Scope, fmt: str) -> dict:
    head = scope.letterhead
    return {
        "kind": kind,
        "title": str(KINDS[kind].label),
        "plan": scope.plan,
        "unit": scope.root,
        "starts_on": scope.start,
        "ends_on": scope.end,
        "fmt": fmt,
        "number": head.number,
        "issued_on": head.issued_on,
        "mandate": head.mandate,
        "signer_title": head.signer_title,
        "signer_name": head.signer_name,
        "recipients": "\n".join(head.recipients),
    }


def _store(report: IssuedReport, built: BuiltReport) -> None:
    name = f"{ascii_filename(built.stem)}.{built.fmt}"
    report.title = built.document.subject
    report.file.save(name, ContentFile(built.content), save=False)
    report.file_name = f"{'-'.join(built.stem.split())}.{built.fmt}"
    report.size = len(built.content)
    report.status = ReportStatus.DONE
    report.progress = 100
    report.finished_at = timezone.now()


@transaction.atomic
def report_issue(*, actor, kind: str, scope: Scope, fmt: str) -> IssuedReport:
    """Build the report now and keep the file with its number, date and signer."""
    built = report_build(kind=kind, scope=scope, user=actor, fmt=fmt)
    report = IssuedReport(**archive_fields(kind=kind, scope=scope, fmt=fmt), created_by=actor)
    _store(report, built)
    report.save()
    audit_record(
        actor=actor, action="report.issue", unit=scope.root, obj=report, kind=kind, fmt=fmt
    )
    return report


def report_run(*, report: IssuedReport) -> IssuedReport:
    """Build a waiting report (the worker's job): as the user who asked, so the report
    holds what they may see."""
    IssuedReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=10)
    try:
        scope = report_scope(
            user=report.created_by,
            plan_pk=report.plan_id,
            unit_pk=report.unit_id,
            start=report.starts_on,
            end=report.ends_on,
            letterhead=Letterhead(
                number=report.number,
                issued_on=report.issued_on,
                mandate=report.mandate,
                signer_title=report.signer_title,
                signer_name=report.signer_name,
                recipients=report.recipient_lines,
            ),
        )
        document = build_document(report.kind, scope, user=report.created_by)
        IssuedReport.objects.filter(pk=report.pk).update(progress=60)
        built = BuiltReport(document, report_render(document, report.fmt), report.fmt)
        report.refresh_from_db()
        _store(report, built)
        report.save()
    except Exception as exc:
        # The page says it failed, in words a user can act on; the worker logs the details.
        message = str(exc) if isinstance(exc, ValueError) else _("Please try again later.")
        IssuedReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED, error=message[:2000], finished_at=timezone.now()
        )
        raise
    return report
