import django_filters

from .models import Plan


class PlanFilterSet(django_filters.FilterSet):
    """One filter for the plan list and its Excel export (``?year=2024&status=…``)."""

    class Meta:
        model = Plan
        fields = ["year", "status"]
