"""The candidate list's filters: one FilterSet for the page and its Excel export."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm
from units.forms import UnitChoiceField
from units.selectors import unit_list, unit_list_personal

from .choices import FINAL, Category, Stage
from .models import Candidate
from .selectors import (
    candidate_list,
    candidate_search,
    candidates_flagged_only,
    with_duplicate_flag,
)

ANY = _("any")


class UnitFilter(django_filters.ModelChoiceFilter):
    """A unit of the user's tree and everything below it: a province's Board searches its
    thousands by name (``units.forms.UnitPicker``)."""

    field_class = UnitChoiceField


class CandidateFilterSet(django_filters.FilterSet):
    """Every filter is optional. "Overdue" and the flags other than "possible duplicate" are
    counted in Python (working days, ages, papers), so they come last: the database narrows
    the rows first."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    unit = UnitFilter(
        label=_("Unit"),
        # Any unit the user sees, a committee for its whole area; the label's fields only.
        queryset=lambda request: (
            unit_list(user=request.user).select_related(None).only("depth", "name")
        ),
        empty_label=_("all units"),
        method="filter_unit",
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"),
        choices=[("active", _("On the road (not ended)")), *Stage.choices],
        empty_label=ANY,
        method="filter_stage",
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=ANY
    )
    school_class = django_filters.CharFilter(
        label=_("Class"), max_length=20, method="filter_school_class"
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"), choices=[("1", _("yes"))], empty_label=ANY, method="filter_flag"
    )
    flag = django_filters.ChoiceFilter(
        label=_("Flags"),
        choices=[
            ("underage", _("Not 18 by the planned date")),
            ("duplicate", _("Possible duplicate")),
            ("missing", _("File incomplete")),
            ("expiring", _("Papers too old within a month")),
            ("no_mentor", _("No mentor")),
            ("no_comment", _("No mentor's comment for a quarter")),
        ],
        empty_label=ANY,
        method="filter_flag",
    )

    class Meta:
        model = Candidate
        form = FilterForm
        fields = ["q", "unit", "stage", "category", "school_class", "overdue", "flag"]

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def filter_q(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return candidate_search(queryset, value, personal_units=unit_list_personal(user=user))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    def filter_stage(self, queryset, name, value):
        if value == "active":
            return queryset.exclude(stage__in=FINAL)
        return queryset.filter(stage=value)

    def filter_school_class(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(school_class__iexact=value) if value else queryset

    def filter_flag(self, queryset, name, value):
        if value == "duplicate":
            scope = candidate_list(user=getattr(self.request, "user", None))
            return with_duplicate_flag(queryset, scope=scope).filter(possible_duplicate=True)
        flag = "overdue" if name == "overdue" else value
        return candidates_flagged_only(queryset, flag=flag, today=self.today)
