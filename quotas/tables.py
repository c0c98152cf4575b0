import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import HistoricalTotal, Plan


class _ProgressColumn(tables.Column):
    """The link to the plan's dashboard; its heading is for screen readers only (a table
    header is never empty)."""

    @property
    def header(self):
        return format_html('<span class="visually-hidden">{}</span>', _("Progress"))


class PlanTable(tables.Table):
    """The plans, newest first: number (a link), title, issuer, date, status, progress."""

    number = tables.Column(verbose_name=_("Number"), attrs={"td": {"class": "text-nowrap"}})
    title = tables.Column(verbose_name=_("Title"))
    issuer = tables.Column(
        verbose_name=_("Issued by"), order_by=("issuer__short_name", "issuer__name")
    )
    issued_on = tables.DateColumn(
        verbose_name=_("Date"), format="d/m/Y", attrs={"td": {"class": "text-nowrap"}}
    )
    # Where the plan stands today (from its dates): sorted by the list's ``status_now``.
    status = tables.Column(verbose_name=_("Status"), order_by=("status_now", "-year"))
    progress = _ProgressColumn(
        verbose_name="",
        empty_values=(),
        orderable=False,
        exclude_from_export=True,
        attrs={"td": {"class": "text-nowrap"}},
    )

    class Meta:
        model = Plan
        fields = ["number", "title", "issuer", "issued_on", "status", "progress"]
        attrs = {"class": "table table-hover align-middle mb-0"}
        page_field = "trang"
        order_by_field = "sap_xep"

    def render_number(self, value, record):
        return format_html(
            '<a class="fw-semibold" href="{}">{}</a>', record.get_absolute_url(), value
        )

    def value_number(self, value):
        return value

    def render_issuer(self, value):
        return value.display_name

    def value_issued_on(self, value):
        return value  # a date in the export, not text

    def render_status(self, record):
        status = record.current_status
        return format_html(
            '<span class="badge plan-status plan-status-{}">{}</span>', status, status.label
        )

    def value_status(self, record):
        return record.current_status.label

    def render_progress(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-danger" href="{}">{}</a>',
            reverse("quotas:plan_dashboard", args=[record.pk]),
            _("Progress"),
        )


class HistoricalTotalTable(tables.Table):
    """The historical totals: year, unit, what is counted, for whom, number, quota, source."""

    year = tables.Column(
        verbose_name=_("Year"), accessor="dated__year", order_by=("dated", "unit__path")
    )
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__path",))
    measure = tables.Column(verbose_name=_("What is counted"))
    group = tables.Column(verbose_name=_("People"), empty_values=())
    count = tables.Column(verbose_name=_("Number"), attrs={"td": {"class": "text-end"}})
    quota = tables.Column(verbose_name=_("Quota"), attrs={"td": {"class": "text-end"}})
    source = tables.Column(verbose_name=_("Source"))

    class Meta:
        model = HistoricalTotal
        fields = ["year", "unit", "measure", "group", "count", "quota", "source"]
        attrs = {"class": "table table-hover align-middle mb-0"}
        page_field = "trang"
        order_by_field = "sap_xep"

    def render_unit(self, value):
        return value.display_name

    def render_group(self, record):
        return record.get_group_display()
