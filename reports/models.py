"""The archive of reports: each file the app built for someone to keep, exactly as built.

A report that is *issued* (given its number, date, signer and recipients) is kept so that
the office can download what was signed even after the data changed. A report too large to
build within a browser request is built by the background worker into the same archive,
and its page shows how far it has got.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quotas.models import Plan
from units.models import Unit


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"
    DOCX = "docx", "Word"


class IssuedReport(models.Model):
    """One report file with the parameters it was built from."""

    kind = models.CharField(_("kind"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="reports", verbose_name=_("plan")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("unit")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    fmt = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    # Typed once when the report is issued; blank for a report only built, not issued.
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    mandate = models.CharField(_("signing for"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/", blank=True, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("built by"),
    )
    created_at = models.DateTimeField(_("built at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "-created_at"])]

    def __str__(self) -> str:
        if self.number:
            return _("Report No. %(number)s: %(title)s") % {
                "number": self.number,
                "title": self.title,
            }
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("reports:archive_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return bool(self.number)

    @property
    def recipient_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.recipients.splitlines() if line.strip())
