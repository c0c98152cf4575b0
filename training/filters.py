import django_filters

from core.forms import FilterForm
from quotas.selectors import plan_list

from .models import Nomination, NomineeList, TrainingClass


def _plans(request):
    if request is None:
        return plan_list(user=None)
    return plan_list(user=request.user)


class ClassFilterSet(django_filters.FilterSet):
    """One filter for the class list and its Excel export (``?plan=…&status=…``)."""

    plan = django_filters.ModelChoiceFilter(queryset=_plans)

    class Meta:
        model = TrainingClass
        form = FilterForm
        fields = ["plan", "audience", "status"]


class NomineeListFilterSet(django_filters.FilterSet):
    """The lists a class received, by status (``?status=submitted``)."""

    class Meta:
        model = NomineeList
        fields = ["status"]


class NominationFilterSet(django_filters.FilterSet):
    """The people on a unit's list, by status (``?status=returned``)."""

    class Meta:
        model = Nomination
        fields = ["status"]
