"""The quota grid of a plan: Board staff edit every unit's numbers at once, and take the
grid to Excel and back (the import is shown as a preview; the user saves it).

The grid itself — building, validation, .xlsx — is the ``quotas.grid`` package; writes go
through ``quotas.services.target_values_set``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import download
from units.selectors import user_is_board

from .grid import (
    Grid,
    export_stem,
    grid_bind,
    grid_build,
    grid_export,
    grid_fill,
    grid_import,
)
from .models import Plan
from .selectors import plan_get
from .services import target_values_set

IMPORT_BUTTON = "import"


def access_grid_plan(*, user, pk: int) -> Plan:
    """The plan whose grid ``user`` may edit: Board staff only (403), a plan they may read
    (404)."""
    if not user_is_board(user=user):
        raise PermissionDenied
    return plan_get(user=user, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_grid(request, pk: int):
    """GET shows the grid; POST saves it, or (with the import button) previews a file."""
    plan = access_grid_plan(user=request.user, pk=pk)
    grid = grid_build(plan=plan, user=request.user)
    context = {"plan": plan, "grid": grid}
    if request.method == "GET":
        return _render(request, context)
    if IMPORT_BUTTON in request.POST or "file" in request.FILES:
        return _import(request, plan, grid, context)
    return _save(request, plan, grid, context)


def _render(request, context, status=200):
    return render(request, "quotas/plan_grid.html", context, status=status)


def _save(request, plan: Plan, grid: Grid, context):
    grid_bind(grid, request.POST)
    if grid.error_count:
        context["save_errors"] = grid.error_cells
        return _render(request, context)
    changes = grid.changes()
    if not changes:
        messages.info(request, _("No changes."))
        return redirect("quotas:plan_grid", pk=plan.pk)
    try:
        changed = target_values_set(actor=request.user, plan=plan, cells=changes)
    except ValidationError as exc:  # the rules are checked above; kept as a last guard
        context["save_failure"] = " ".join(exc.messages)
        return _render(request, context)
    if changed:
        messages.success(request, _("Saved %(count)s changes.") % {"count": changed})
    else:
        messages.info(request, _("No changes."))
    return redirect("quotas:plan_grid", pk=plan.pk)


def _import(request, plan: Plan, grid: Grid, context):
    result = grid_import(grid, request.FILES.get("file"), user=request.user)
    context["import_file"] = getattr(request.FILES.get("file"), "name", "")
    if not result.ok:
        context["import_problems"] = result.problems
        return _render(request, context)
    context["import_preview"] = True
    context["import_changes"] = grid_fill(grid, result.values)
    context["import_units"] = result.units
    return _render(request, context)


@login_required
@require_GET
def plan_grid_export(request, pk: int):
    """The grid as an Excel file, ready to be filled in and imported back."""
    plan = access_grid_plan(user=request.user, pk=pk)
    grid = grid_build(plan=plan, user=request.user)
    return download(grid_export(grid), stem=export_stem(plan), fmt="xlsx")
