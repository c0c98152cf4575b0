"""The quota grid of a plan (placeholder: being written)."""

from django.http import HttpResponse


def plan_grid(request, pk):  # pragma: no cover - placeholder
    return HttpResponse("grid")


def plan_grid_export(request, pk):  # pragma: no cover - placeholder
    return HttpResponse("grid.xlsx")
