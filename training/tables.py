import django_tables2 as tables
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.text import mask_digits

from .models import Nomination, NomineeList, TrainingClass
from .review_warnings import AGE, CAPACITY, CERTIFICATE, DUPLICATE
from .selectors import nominating_unit_pool, nominating_units_among

NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
NONE = mark_safe('<span class="text-body-secondary">—</span>')


class _ActionColumn(tables.TemplateColumn):
    """Its heading is read out by screen readers and not shown: a table header is never empty."""

    @property
    def header(self):
        return format_html('<span class="visually-hidden">{}</span>', _("Action"))


def _action_column(template_name: str) -> tables.TemplateColumn:
    """A row's button (open, take off): right-aligned, not sorted, left out of exports."""
    return _ActionColumn(
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
        attrs={"td": {"class": "text-end"}},
        template_name=template_name,
    )


def status_badge(css: str, record, after: str = ""):
    """The record's status as a coloured badge (``css`` and ``css-<status>``), then ``after``."""
    return format_html(
        '<span class="badge {} {}-{}">{}</span>{}',
        css,
        css,
        record.status,
        record.get_status_display(),
        after,
    )


MY_UNITS_SHOWN = 8  # the units named in a class's "Your lists" cell; the class page has all


class ClassTable(tables.Table):
    """The classes: name with audience and plan, round, sessions, deadline, status, and the
    lists the user may build for each."""

    name = tables.Column(verbose_name=_("Class"))
    round = tables.Column(verbose_name=_("Round"), order_by=("round__number",))
    sessions = tables.Column(
        verbose_name=_("Sessions"),
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "small"}},
    )
    nomination_deadline = tables.DateColumn(
        verbose_name=_("Deadline for nominations"), format="d/m/Y"
    )
    status = tables.Column(verbose_name=_("Status"))
    waiting = tables.Column(
        verbose_name=_("Waiting for review"),
        accessor="n_waiting",
        default=0,
        order_by=("-n_waiting",),
        exclude_from_export=True,  # a working column of the Board, not a figure to print
        attrs=NUMBER,
    )
    my_units = tables.Column(
        verbose_name=_("Your lists"),
        empty_values=(),
        orderable=False,
        exclude_from_export=True,
        attrs={"td": {"class": "small"}},
    )

    class Meta:
        model = TrainingClass
        fields = [
            "name",
            "round",
            "sessions",
            "nomination_deadline",
            "status",
            "waiting",
            "my_units",
        ]
        attrs = {"class": "table table-hover align-middle"}
        template_name = "training/_table.html"
        empty_text = _("No class yet. The Organization Board adds classes from a plan's page.")
        page_field = "trang"
        order_by_field = "sap_xep"

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    @cached_property
    def unit_pool(self):
        """The units whose lists the user may build, fetched once for every row."""
        return nominating_unit_pool(user=self.user) if self.user is not None else []

    def render_name(self, value, record):
        return format_html(
            '<a href="{}" class="fw-semibold">{}</a><div class="small text-body-secondary">'
            "{} · {}</div>",
            record.get_absolute_url(),
            value,
            record.get_audience_display(),
            record.plan.number,
        )

    def value_name(self, value, record):
        return f"{value} ({record.get_audience_display()} · {record.plan.number})"

    def value_nomination_deadline(self, value):
        return value  # a date in the export, not text

    def render_round(self, value):
        return value.name

    def _session_days(self, record) -> list[str]:
        return [dateformat.format(s.dated, "D d/m/Y") for s in record.sessions.all()]

    def render_sessions(self, record):
        days = self._session_days(record)
        return format_html_join(mark_safe("<br>"), "{}", ((d,) for d in days)) if days else "—"

    def value_sessions(self, record):
        return ", ".join(self._session_days(record))

    def render_status(self, record):
        return format_html(
            '<span class="badge class-status class-status-{}">{}</span>',
            record.status,
            record.get_status_display(),
        )

    def value_status(self, record):
        return record.get_status_display()

    def render_waiting(self, value, record):
        if not value:
            return NONE
        return format_html(
            '<a class="badge text-bg-warning text-decoration-none" href="{}">{}</a>',
            record.get_absolute_url(),
            ngettext("%(n)s list", "%(n)s lists", value) % {"n": value},
        )

    def render_my_units(self, record):
        units = nominating_units_among(self.unit_pool, record)
        if not units:
            return NONE
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("training:list_detail", args=[record.pk, u.pk]), u.short_name or u.name)
                for u in units[:MY_UNITS_SHOWN]
            ),
        )
        if len(units) <= MY_UNITS_SHOWN:
            return links
        # A committee or the Board may build the lists of hundreds of units: the class's
        # page lists them all, the table names a few.
        more = len(units) - MY_UNITS_SHOWN
        return format_html(
            '{}, <a href="{}">{}</a>',
            links,
            record.get_absolute_url(),
            ngettext("and %(n)s more unit", "and %(n)s more units", more) % {"n": more},
        )


def _unit_name(unit) -> str:
    return unit.short_name or unit.name


class NomineeListTable(tables.Table):
    """The lists a class received: unit, status, and how many people in each state."""

    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__path",))
    status = tables.Column(verbose_name=_("Status"))
    n_pending = tables.Column(verbose_name=_("Awaiting review"), attrs=NUMBER)
    n_accepted = tables.Column(verbose_name=_("Accepted"), attrs=NUMBER)
    n_returned = tables.Column(verbose_name=_("Returned"), attrs=NUMBER)
    n_draft = tables.Column(verbose_name=_("Not yet submitted"), attrs=NUMBER)
    open = _action_column("training/_list_action.html")

    class Meta:
        page_field = "trang"
        order_by_field = "sap_xep"
        model = NomineeList
        fields = ["unit", "status", "n_pending", "n_accepted", "n_returned", "n_draft", "open"]
        attrs = {"class": "table table-sm align-middle mb-0"}

    def render_unit(self, value):
        return _unit_name(value)

    def render_status(self, record):
        submitted = (
            format_html(
                '<div class="small text-body-secondary">{}</div>',
                dateformat.format(timezone.localtime(record.submitted_at), "d/m/Y H:i"),
            )
            if record.submitted_at
            else ""
        )
        return status_badge("list-status", record, submitted)

    def value_status(self, record):
        return record.get_status_display()


class NominationTable(tables.Table):
    """The people on a unit's list, in Vietnamese order of given name."""

    counter = tables.Column(verbose_name="#", empty_values=(), orderable=False)
    name = tables.Column(
        verbose_name=_("Full name"),
        empty_values=(),
        order_by=("candidate__sort_key", "candidate__date_of_birth"),
    )
    date_of_birth = tables.DateColumn(
        verbose_name=_("Date of birth"), accessor="candidate__date_of_birth", format="d/m/Y"
    )
    sex = tables.Column(verbose_name=_("Sex"), accessor="candidate__get_sex_display")
    school_class = tables.Column(
        verbose_name=_("Class"), accessor="candidate__school_class", default="—"
    )
    citizen_id = tables.Column(
        verbose_name=_("Citizen ID"),
        accessor="candidate__citizen_id",
        default="—",
        attrs={"td": {"class": "font-monospace small"}},
    )
    status = tables.Column(verbose_name=_("Status"))
    remove = _action_column("training/_nominee_remove.html")

    class Meta:
        page_field = "trang"
        order_by_field = "sap_xep"
        model = Nomination
        fields = [
            "counter",
            "name",
            "date_of_birth",
            "sex",
            "school_class",
            "citizen_id",
            "status",
            "remove",
        ]
        attrs = {"class": "table table-sm align-middle mb-0", "id": "nominees"}
        template_name = "training/_table.html"
        row_attrs = {"class": lambda record: "table-warning" if record.status == "returned" else ""}
        empty_text = _(
            "Nobody on the list yet. Add people below: from an Excel file, from your unit's "
            "candidates, or one by one."
        )

    def __init__(self, *args, personal: bool = True, **kwargs):
        """``personal`` False (the standing office, ``units.selectors.
        user_sees_personal_data``): no citizen ID column, the year of birth only."""
        self.personal = personal
        if not personal:
            kwargs["exclude"] = (*kwargs.get("exclude", ()), "citizen_id")
        super().__init__(*args, **kwargs)

    def render_counter(self, bound_row):
        return bound_row.row_counter + 1

    def render_date_of_birth(self, value):
        return dateformat.format(value, "d/m/Y") if self.personal else str(value.year)

    def render_citizen_id(self, value):
        return mask_digits(value)

    def render_name(self, record):
        return format_html(
            "{} <strong>{}</strong>", record.candidate.family_name, record.candidate.given_name
        )

    def value_name(self, record):
        return record.candidate.full_name

    def render_status(self, record):
        reason = format_html('<div class="small">{}</div>', record.reason) if record.reason else ""
        return status_badge("nomination-status", record, reason)

    def value_status(self, record):
        return record.get_status_display()


def _review_row_class(record, table) -> str:
    """Green when accepted, amber when returned; an edge when the person has warnings."""
    css = {"returned": "table-warning", "accepted": "table-success"}.get(record.status, "")
    if record.pk in getattr(table, "warnings", {}):
        css = f"{css} has-warnings".strip()
    return css


class _TickColumn(tables.Column):
    """A tick box per person the Board may still decide on; the heading is for screen
    readers only."""

    @property
    def header(self):
        return format_html('<span class="visually-hidden">{}</span>', _("Tick"))


class ReviewTable(NominationTable):
    """The people on a unit's list as the Board reviews them: a tick box for each one still
    open, the name as its label."""

    tick = _TickColumn(empty_values=(), orderable=False, exclude_from_export=True)
    remove = None

    class Meta(NominationTable.Meta):
        fields = [
            "tick",
            "counter",
            "name",
            "date_of_birth",
            "sex",
            "school_class",
            "citizen_id",
            "status",
        ]
        sequence = fields
        attrs = {"class": "table table-sm align-middle mb-0", "id": "review"}
        row_attrs = {
            "class": _review_row_class,
            "id": lambda record: f"nomination-{record.pk}",
        }
        empty_text = _("The list is empty.")

    def __init__(self, *args, warnings=None, ticked=(), **kwargs):
        """``warnings``: {nomination id: [``review_warnings.ReviewWarning``]}, shown under
        the person's name; ``ticked``: the ids to show ticked (a page shown again after a
        refused press keeps the Board's choice)."""
        self.warnings = warnings or {}
        self.ticked = set(ticked)
        super().__init__(*args, **kwargs)

    def render_tick(self, record):
        if record.status == "draft" or record.result:
            return ""
        return format_html(
            '<input class="form-check-input" type="checkbox" name="nomination" value="{}" '
            'id="n{}" aria-label="{}"{}>',
            record.pk,
            record.pk,
            record.candidate.full_name,
            mark_safe(" checked") if record.pk in self.ticked else "",
        )

    def render_name(self, record):
        label = format_html(
            '<label for="n{}">{} <strong>{}</strong></label>',
            record.pk,
            record.candidate.family_name,
            record.candidate.given_name,
        )
        warnings = self.warnings.get(record.pk)
        if not warnings:
            return label
        lines = format_html_join(
            "",
            '<li class="review-warning review-warning-{}"><span class="badge">{}</span> {}</li>',
            ((w.kind, WARNING_LABELS[w.kind], w.text) for w in warnings),
        )
        return format_html('{}<ul class="review-warnings">{}</ul>', label, lines)


# The badge of each kind of warning on the Board's review page (``training.review_warnings``).
WARNING_LABELS = {
    AGE: _("Under age"),
    CERTIFICATE: _("Already certified"),
    DUPLICATE: _("Possible duplicate"),
    CAPACITY: _("Over capacity"),
}
