"""The candidate list as a table: the page and its Excel export.

The flags are read from each row (``selectors.with_flags`` puts them there); the table only
draws them."""

import hashlib
import inspect
from html import unescape

import django_tables2 as tables
from django.core.exceptions import EmptyResultSet
from django.db.models import Case, IntegerField, Value, When
from django.template.loader import get_template
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2.data import TableQuerysetData

from core.audit import audit_cached
from core.dates import dmy
from units.selectors import unit_list_personal

from .choices import Stage
from .models import Candidate

SMALL = {"td": {"class": "small"}}


def signed(fn):
    """``fn`` with its signature worked out once (PEP 362's ``__signature__``):
    django-tables2 asks ``inspect.signature`` of a cell's render function for every cell it
    draws, which was the largest single cost of a page of 50 people."""
    fn.__signature__ = inspect.signature(fn)
    return fn


class ChooseColumn(tables.Column):
    """A tick box per row, named ``chon``: the form around the table takes the ticked people
    to "one step for several people". Not exported."""

    def __init__(self, **kwargs):
        kwargs.update(accessor="pk", orderable=False, exclude_from_export=True)
        super().__init__(**kwargs)

    @property
    def header(self):
        return format_html('<span class="visually-hidden">{}</span>', _("Choose"))

    @signed
    def render(self, record):
        return format_html(
            '<input class="form-check-input" type="checkbox" name="chon" value="{}" '
            'aria-label="{}">',
            record.pk,
            _("Choose %(name)s") % {"name": record.full_name},
        )


class PartialColumn(tables.Column):
    """A cell drawn by a partial that reads the candidate as ``c``; exported as its text."""

    def __init__(self, partial: str, **kwargs):
        self.partial = partial
        super().__init__(empty_values=(), **kwargs)

    @signed
    def render(self, record, table=None):
        return get_template(self.partial).render({"c": record})

    def value(self, record, table=None):
        return " ".join(unescape(strip_tags(self.render(record, table))).split())


class FlagsColumn(PartialColumn):
    """The flags ``selectors.with_flags`` put on the row (most rows have none). The
    18th birthday is left out for a user who does not see the full date of birth."""

    def __init__(self, **kwargs):
        super().__init__("candidates/_flags.html", **kwargs)

    @signed
    def render(self, record, table=None):
        if table is not None and hasattr(table, "full_birth"):
            record.hide_birth = not table.full_birth(record)
        if (
            record.underage
            or record.due
            or record.possible_duplicate
            or record.missing
            or record.no_mentor
            or record.no_comment
        ):
            return super().render(record, table)
        return ""


class StageColumn(tables.Column):
    """The stage as its badge (the markup of ``candidates/_stage.html``, written here: one
    template per row was a tenth of a page of 50); exported as its label. Its accessor is
    the key, not ``stage``: for a field with choices django-tables2 first asks the model for
    its display (Django hashes the choices anew on every call), which the badge does not
    use; the table sorts the column by the road's order (``order_stage``)."""

    def __init__(self, **kwargs):
        super().__init__(empty_values=(), accessor="pk", **kwargs)

    @signed
    def render(self, record):
        return format_html(
            '<span class="badge stage stage-{}">{}</span>', record.stage, Stage(record.stage).label
        )

    def value(self, record):
        return Stage(record.stage).label


class DayColumn(tables.Column):
    """A date shown dd/mm/yyyy, and exported as a date (for the spreadsheet to sort)."""

    @signed
    def render(self, value):
        return dmy(value)

    def value(self, value):
        return value


def _stage_rank() -> Case:
    """The stages in the order of the road (then the side exits), for sorting."""
    return Case(
        *(When(stage=stage, then=Value(i)) for i, stage in enumerate(Stage)),
        output_field=IntegerField(),
    )


class KeysFirst(TableQuerysetData):
    """The rows of a page in two reads: the keys of the slice, in the table's order (from
    the sort index alone: ``Candidate.Meta.indexes``), then those rows. A page deep in a
    province's list no longer sorts or joins the rows it skips.

    A page in the back half of the list is read from its end, in the reverse order, when
    that order is total (it ends with the key): the database walks the index from whichever
    end is nearer, page 3,000 of 4,000 skipping 50,000 entries instead of 150,000."""

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        keys = self._keys_from_the_end(key)
        if keys is None:
            keys = list(self.data.values_list("pk", flat=True)[key])
        rows = {c.pk: c for c in self.data.order_by().filter(pk__in=keys)}
        return [rows[pk] for pk in keys]

    def _keys_from_the_end(self, key: slice) -> list | None:
        start, stop = key.start or 0, key.stop
        if key.step is not None or stop is None or not self._order_is_total():
            return None
        total = len(self)
        if start <= total // 2:
            return None
        stop = min(stop, total)
        if start >= stop:
            return []
        keys = list(self.data.reverse().values_list("pk", flat=True)[total - stop : total - start])
        keys.reverse()
        return keys

    def _order_is_total(self) -> bool:
        """Whether the rows' order names the key last, so that no two rows tie and the
        reverse order is exactly this one backwards."""
        query = self.data.query
        order = list(query.order_by) or list(query.get_meta().ordering)
        return bool(order) and isinstance(order[-1], str) and order[-1].lstrip("-") in {"pk", "id"}

    def __len__(self):
        """The count behind the pager, kept until the next write (``audit_cached``) under
        the query's SQL: a province's list counts 200,000 rows on every page otherwise."""
        if not hasattr(self, "_length"):
            try:
                sql = str(self.data.order_by().query)
            except EmptyResultSet:
                self._length = 0
            else:
                digest = hashlib.sha256(sql.encode()).hexdigest()
                self._length, _ = audit_cached(("candidates.count", digest), self.data.count)
        return self._length


# People by name (Vietnamese order of the given name), then birthday, then key: every
# column's order ends with it, so no two rows tie, a page never shows a person the next
# page shows again, and a page in the back half can be read from the end (``KeysFirst``).
BY_NAME = ("sort_key", "date_of_birth", "pk")


class CandidateTable(tables.Table):
    """The list's columns; ``choose`` and ``unit`` are left out (``exclude``) for a user who
    changes nothing or sees one unit."""

    choose = ChooseColumn()
    name = tables.Column(
        verbose_name=gettext_lazy("Full name"),
        accessor="given_name",
        order_by=BY_NAME,  # Vietnamese order of given name
    )
    date_of_birth = DayColumn(verbose_name=gettext_lazy("Date of birth"), default="")
    unit = tables.Column(
        verbose_name=gettext_lazy("Unit"), order_by=("unit__path", *BY_NAME), attrs=SMALL
    )
    school_class = tables.Column(verbose_name=gettext_lazy("Class"))
    stage = StageColumn(verbose_name=gettext_lazy("Stage"))
    certificate_valid_until = DayColumn(
        verbose_name=gettext_lazy("Certificate valid until"),
        order_by=("certificate_date", *BY_NAME),
        attrs=SMALL,
    )
    flags = FlagsColumn(verbose_name=gettext_lazy("Flags"), orderable=False, attrs=SMALL)

    class Meta:
        model = Candidate
        fields = ()
        sequence = (
            "choose",
            "name",
            "date_of_birth",
            "unit",
            "school_class",
            "stage",
            "certificate_valid_until",
            "flags",
        )
        attrs = {"class": "table table-hover table-sm align-middle", "id": "candidates"}
        template_name = "candidates/_table.html"
        per_page = 50
        page_field = "trang"
        order_by_field = "sap_xep"

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def full_birth(self, record) -> bool:
        """The full date for those who keep the unit's files; the year for the others (the
        standing office: ``docs/personal-data.md``). The units are read once per table, only
        those of the page's rows when it is paginated (a province holds 5,000)."""
        if self.user is None:
            return True
        if not hasattr(self, "_personal_units"):
            units = unit_list_personal(user=self.user)
            page = getattr(self, "page", None)
            if page is not None:
                units = units.filter(pk__in={row.record.unit_id for row in page.object_list})
            self._personal_units = set(units.order_by().values_list("pk", flat=True))
        return record.unit_id in self._personal_units

    @signed
    def render_date_of_birth(self, record, value):
        return dmy(value) if self.full_birth(record) else str(value.year)

    def value_date_of_birth(self, record, value):
        return value if self.full_birth(record) else value.year

    @signed
    def render_name(self, record):
        return format_html(
            '<a href="{}">{} <strong>{}</strong></a>',
            record.get_absolute_url(),
            record.family_name,
            record.given_name,
        )

    def value_name(self, record):
        return record.full_name

    @signed
    def render_unit(self, record):
        return record.unit.short_name or record.unit.name

    def order_stage(self, queryset, is_descending):
        rank = _stage_rank()
        queryset = queryset.annotate(stage_rank=rank).order_by(
            "-stage_rank" if is_descending else "stage_rank", *BY_NAME
        )
        return queryset, True
