from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.text import fold

from .filters import UnitFilterSet
from .forms import unit_scope
from .models import Unit
from .selectors import (
    deciding_unit,
    unit_ancestors,
    unit_children,
    unit_get,
    unit_labels_with_parent,
    unit_list,
    user_can_change,
    user_is_board,
)
from .tables import UnitTable


class UnitListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """The unit register as a tree, with an accent-insensitive search and filters."""

    model = Unit
    table_class = UnitTable
    filterset_class = UnitFilterSet
    template_name = "units/unit_list.html"
    table_pagination = {"per_page": 200}

    def get_queryset(self):
        return unit_list(user=self.request.user).prefetch_related("aliases")

    def is_filtered(self) -> bool:
        data = getattr(self.filterset, "data", {}) or {}
        return any(data.get(name) for name in UnitFilterSet.base_filters)

    def get_table_kwargs(self):
        filtered = self.is_filtered()
        kwargs = {"tree": not filtered}
        units = list(self.object_list)
        if units:
            kwargs["base_depth"] = min(u.depth for u in units)
        if filtered and units:
            kwargs["ancestors"] = self._ancestor_trails(units)
        return kwargs

    def _ancestor_trails(self, units):
        """Names of each found unit's visible ancestors, in one query."""
        step = Unit.steplen
        wanted = {u.path[:i] for u in units for i in range(step, len(u.path), step)}
        rows = (
            unit_list(user=self.request.user)
            .filter(path__in=wanted)
            .values_list("path", "short_name", "name")
        )
        names = {path: short or name for path, short, name in rows}
        trails = {}
        for u in units:
            prefixes = (u.path[:i] for i in range(step, len(u.path), step))
            trails[u.pk] = [names[p] for p in prefixes if p in names]
        return trails

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_filtered"] = self.is_filtered()
        context["total_count"] = unit_list(user=self.request.user).count()
        return context


class UnitDetailView(LoginRequiredMixin, DetailView):
    """One unit: its particulars, place in the tree, sub-units and the people who hold it."""

    template_name = "units/unit_detail.html"
    context_object_name = "unit"

    def get_object(self, queryset=None):
        return unit_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit = self.object
        context["ancestors"] = unit_ancestors(user=user, unit=unit)
        context["children"] = unit_children(user=user, unit=unit)
        context["aliases"] = list(unit.aliases.all())
        context["admits_for"] = unit_list(user=user).filter(admission_unit=unit)
        context["decider"] = deciding_unit(unit)
        context["holders"] = unit.role_assignments.select_related("user").order_by(
            "role", "user__last_name"
        )
        context["can_change"] = user_can_change(user=user, unit=unit)
        context["is_board"] = user_is_board(user=user)
        return context


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 ``ok`` when the database answers, 503
    ``not ok`` when it does not. Nothing else: no version, no counts, no details, to anyone
    (the page needs no login)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("not ok", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


# How many units one search answers with: enough to scan, few enough for a slow line.
UNIT_SEARCH_RESULTS = 30


@require_GET
@login_required
def unit_search(request):
    """The units of a picker's scope (``?pham_vi=``, ``units.forms.unit_scope_register``)
    whose name holds the words typed (``?q=``, accents and case ignored), in tree order,
    each with the unit above it to tell the many "Chi bộ Thôn 1" apart: JSON for the
    search-as-you-type unit picker (``UnitPicker``)."""
    scope = unit_scope(request.GET.get("pham_vi", ""))
    if scope is None:
        raise Http404
    units = scope(user=request.user).select_related(None).only("path", "depth", "name")
    for word in fold(request.GET.get("q", "")).split()[:8]:
        units = units.filter(name_key__contains=word)
    units = list(units.order_by("path")[:UNIT_SEARCH_RESULTS])
    labels = unit_labels_with_parent(units)
    return JsonResponse({"results": [{"value": u.pk, "text": labels[u.pk]} for u in units]})
