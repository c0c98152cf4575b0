import django_filters

from core.forms import FilterForm

from .models import Plan


class PlanFilterSet(django_filters.FilterSet):
    """One filter for the plan list and its Excel export (``?year=2024&status=…``)."""

    class Meta:
        model = Plan
        form = FilterForm
        fields = ["year", "status"]
