import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Unit, UnitKind
from .selectors import unit_filter_text

YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class UnitFilterSet(django_filters.FilterSet):
    """One filter for the unit list page and (later) its exports."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, alias or code — accents optional"), "autofocus": True}
        ),
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"), queryset=UnitKind.objects.all(), empty_label=_("All kinds")
    )
    has_party_organisation = django_filters.BooleanFilter(
        label=_("Party organisation"), widget=forms.Select(choices=YES_NO)
    )
    has_trade_union = django_filters.BooleanFilter(
        label=_("Trade union"), widget=forms.Select(choices=YES_NO)
    )
    non_state_capital = django_filters.BooleanFilter(
        label=_("Non-state capital"), widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "has_party_organisation", "has_trade_union", "non_state_capital"]

    def filter_q(self, queryset, name, value):
        return unit_filter_text(queryset, value)
