import django_filters
from django.utils.translation import gettext_lazy as _

from core.dates import today
from core.forms import FilterForm
from units.selectors import unit_list

from .choices import Measure, PlanStatus
from .models import HistoricalTotal, Plan
from .selectors import plan_with_status


class PlanFilterSet(django_filters.FilterSet):
    """One filter for the plan list and its Excel export (``?year=2024&status=…``). The
    status is where a plan stands today, from its dates (``quotas.rules.plan_status``)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PlanStatus.choices, method="filter_status"
    )

    class Meta:
        model = Plan
        form = FilterForm
        fields = ["year", "status"]

    def filter_status(self, queryset, name, value):
        return plan_with_status(queryset, status=value, today=today())


def _units_with_totals(request):
    user = getattr(request, "user", None)
    return unit_list(user=user).filter(historical_totals__isnull=False).distinct()


class HistoricalTotalFilterSet(django_filters.FilterSet):
    """The historical totals by year, unit and measure (``?nam=2021&don_vi=3``)."""

    nam = django_filters.NumberFilter(field_name="dated", lookup_expr="year", label=_("Year"))
    don_vi = django_filters.ModelChoiceFilter(
        field_name="unit", queryset=_units_with_totals, label=_("Unit")
    )
    chi_so = django_filters.ChoiceFilter(
        field_name="measure", choices=Measure.choices, label=_("What is counted")
    )

    class Meta:
        model = HistoricalTotal
        form = FilterForm
        fields: list[str] = []
