"""The audit trail as Organization Board staff see it: the events of their units and of
the people who work in them, filtered, and one object's history.

A Board account sees the events recorded in a unit it may see (``unit_list``), and the
events without a unit (logins, accounts) of the people who hold a role in one of those
units. Nobody else sees the trail; a superuser sees all of it.
"""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.changes import tracked_tables
from core.forms import DATE_WIDGET, FilterForm
from core.history import ACTION_LABELS
from core.models import AuditEvent

from .forms import UnitChoiceField
from .models import RoleAssignment
from .selectors import unit_list, unit_subtree, user_is_board


def audit_event_list(*, user) -> QuerySet[AuditEvent]:
    """The events ``user`` may read, newest first, their changes prefetched."""
    events = AuditEvent.objects.select_related("object_type").prefetch_related(
        "changes__object_type"
    )
    if getattr(user, "is_superuser", False):
        return events
    if not user_is_board(user=user):
        return events.none()
    units = unit_list(user=user).values("pk")
    people = RoleAssignment.objects.filter(unit__in=units).values("user_id")
    return events.filter(Q(unit_id__in=units) | Q(unit_id=None, actor_id__in=people))


def object_history(*, user, object_type: ContentType, object_id: str) -> QuerySet[AuditEvent]:
    """The events that name the object or changed it, newest first; 404 when ``user``
    may read none of them (the object's existence is not told)."""
    events = (
        audit_event_list(user=user)
        .filter(
            Q(object_type=object_type, object_id=object_id)
            | Q(changes__object_type=object_type, changes__object_id=object_id)
        )
        .distinct()
    )
    if not events.exists():
        raise Http404
    return events


def tracked_types() -> list[ContentType]:
    """The kinds of record the trail keeps changes of, by their names."""
    from django.apps import apps

    labels = set(tracked_tables().values())
    models = [
        apps.get_model(label)
        for label in sorted(labels)
        if not apps.get_model(label)._meta.auto_created
    ]
    types = ContentType.objects.get_for_models(*models)
    return sorted(types.values(), key=lambda ct: str(ct.model_class()._meta.verbose_name))


class _KindField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.model_class()._meta.verbose_name).capitalize()


class _KindFilter(django_filters.ModelChoiceFilter):
    field_class = _KindField


class _UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class AuditEventFilterSet(django_filters.FilterSet):
    """The audit page's filters: who, in which unit (and below), what, when."""

    actor = django_filters.ChoiceFilter(label=_("Done by"), field_name="actor_name")
    unit = _UnitFilter(label=_("Unit (and below)"), method="filter_unit", queryset=None)
    kind = _KindFilter(label=_("Kind of record"), method="filter_kind", queryset=None)
    what = django_filters.CharFilter(label=_("Record's name"), method="filter_what")
    action = django_filters.ChoiceFilter(label=_("Action"))
    since = django_filters.DateFilter(
        label=_("From"), field_name="created_at", lookup_expr="date__gte", widget=DATE_WIDGET
    )
    until = django_filters.DateFilter(
        label=_("To"), field_name="created_at", lookup_expr="date__lte", widget=DATE_WIDGET
    )

    class Meta:
        model = AuditEvent
        form = FilterForm
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        names = self.queryset.order_by().values_list("actor_name", flat=True).distinct()
        self.filters["actor"].extra["choices"] = [(n, n) for n in sorted(set(names)) if n]
        self.filters["unit"].queryset = unit_list(user=user)
        self.filters["kind"].queryset = ContentType.objects.filter(
            pk__in=[ct.pk for ct in tracked_types()]
        )
        self.filters["action"].extra["choices"] = sorted(
            ((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda c: c[1]
        )

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit_id__in=unit_subtree(unit=value).values("pk"))

    def filter_kind(self, queryset, name, value):
        return queryset.filter(Q(object_type=value) | Q(changes__object_type=value)).distinct()

    def filter_what(self, queryset, name, value):
        return queryset.filter(
            Q(object_repr__icontains=value) | Q(changes__object_repr__icontains=value)
        ).distinct()
