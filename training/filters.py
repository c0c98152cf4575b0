import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm
from quotas.selectors import plan_list
from units.selectors import user_is_board

from .models import Nomination, NomineeList, TrainingClass


def _plans(request):
    if request is None:
        return plan_list(user=None)
    return plan_list(user=request.user)


class ClassFilterSet(django_filters.FilterSet):
    """One filter for the class list and its Excel export (``?plan=…&status=…``)."""

    plan = django_filters.ModelChoiceFilter(queryset=_plans)
    waiting = django_filters.BooleanFilter(
        label=_("Lists waiting for review"), method="filter_waiting"
    )

    class Meta:
        model = TrainingClass
        form = FilterForm
        fields = ["plan", "audience", "status", "waiting"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is None or not user_is_board(user=self.request.user):
            del self.filters["waiting"]  # only the Board reviews lists

    def filter_waiting(self, queryset, name, value):
        """Classes with lists waiting for review (``n_waiting``, on the Board's list)."""
        if value is None or "n_waiting" not in queryset.query.annotations:
            return queryset
        return queryset.filter(n_waiting__gt=0) if value else queryset.filter(n_waiting=0)


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
