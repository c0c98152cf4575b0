"""Historical totals (years before the app), for Board staff: the list, the template and
the import from Excel.

The import has two steps, like the candidates' import: the upload is read and every row
checked (``quotas.history``) — the full list of problems, nothing saved — or a preview of
what will be added and changed, with a button to confirm. The file waits in the session
between the two steps; on confirm it is checked again and saved all at once
(``quotas.services.historical_totals_import``).
"""

import base64
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.dates import today
from core.http import download
from core.lists import FilteredEmptyTextMixin
from units.access import BoardRequiredMixin
from units.selectors import unit_list, user_is_board

from .filters import HistoricalTotalFilterSet
from .forms import HISTORY_MAX_MB, HistoricalImportForm
from .history import history_columns, history_read_xlsx, history_template
from .history.plan import (
    NEW,
    UNCHANGED,
    UPDATED,
    HistoricalImportPlan,
    historical_totals_plan,
)
from .selectors import historical_total_list
from .services import historical_totals_import
from .tables import HistoricalTotalTable

SESSION_KEY = "historical_import"


class HistoricalTotalListView(
    BoardRequiredMixin, FilteredEmptyTextMixin, SingleTableMixin, FilterView
):
    """Every historical total the Board may see, newest year first."""

    template_name = "quotas/historical_total_list.html"
    filterset_class = HistoricalTotalFilterSet
    table_class = HistoricalTotalTable
    table_pagination = {"per_page": 100}

    def get_queryset(self):
        return historical_total_list(user=self.request.user)


@require_safe
@login_required
def historical_template(request):
    """The .xlsx template: the heading row, an example row, the units and their codes."""
    if not user_is_board(user=request.user):
        raise PermissionDenied
    data = history_template(units=list(unit_list(user=request.user)), year=today().year - 1)
    return download(data, stem=_("historical-totals-template"), fmt="xlsx")


def _token(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


class HistoricalImportView(BoardRequiredMixin, TemplateView):
    """Upload → every row checked → the problems, or a preview → confirm → all saved."""

    template_name = "quotas/historical_import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", HistoricalImportForm())
        context["columns"] = history_columns()
        context["max_mb"] = HISTORY_MAX_MB
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "check")
        if action == "cancel":
            request.session.pop(SESSION_KEY, None)
            messages.info(request, _("The file was not imported; nothing was saved."))
            return redirect("quotas:historical_import")
        if action == "confirm":
            return self._confirm(request)
        return self._check(request)

    def _read(self, data: bytes):
        return history_read_xlsx(data, user=self.request.user, today=today())

    def _check(self, request):
        request.session.pop(SESSION_KEY, None)
        form = HistoricalImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        upload = form.cleaned_data["file"]
        data = upload.read()
        read = self._read(data)
        context = self.get_context_data(form=form, file_name=upload.name)
        if not read.ok:
            context["problems"] = read.problems
            return self.render_to_response(context, status=400)
        token = _token(data)
        request.session[SESSION_KEY] = {
            "name": upload.name,
            "data": base64.b64encode(data).decode("ascii"),
            "token": token,
        }
        plan = historical_totals_plan(rows=read.rows)
        context.update(plan=plan, preview=_preview(read.rows, plan), token=token)
        return self.render_to_response(context)

    def _confirm(self, request):
        pending = request.session.pop(SESSION_KEY, None)
        if not pending or pending.get("token") != request.POST.get("token"):
            messages.error(
                request,
                _(
                    "There is no checked file to import (it was imported or cancelled, or the "
                    "session ended). Upload the file again."
                ),
            )
            return redirect("quotas:historical_import")
        read = self._read(base64.b64decode(pending["data"]))
        problems = read.problems
        if read.ok:
            try:
                plan = historical_totals_import(actor=request.user, rows=read.rows)
            except ValidationError as exc:  # the rows were checked; kept as a last guard
                problems = [str(m) for m in exc.messages]
        if problems:
            context = self.get_context_data(
                file_name=pending["name"], problems=problems, changed_meanwhile=True
            )
            return self.render_to_response(context, status=400)
        messages.success(request, import_summary(plan, file_name=pending["name"]))
        return redirect("quotas:historical_list")


def import_summary(plan: HistoricalImportPlan, *, file_name: str = "") -> str:
    """ "Đã nhập 25 số liệu của 5 đơn vị, năm 2019–2023: …" """
    text = _(
        "Imported %(count)s figures of %(units)s units, %(years)s: %(created)s new, "
        "%(updated)s changed, %(unchanged)s unchanged."
    ) % {
        "count": len(plan.changes),
        "units": plan.unit_count,
        "years": _("year %(years)s") % {"years": plan.years},
        "created": plan.created,
        "updated": plan.updated,
        "unchanged": plan.unchanged,
    }
    return f"{file_name}: {text}" if file_name else text


STATUS_LABELS = {
    NEW: gettext_lazy("New"),
    UPDATED: gettext_lazy("Updated"),
    UNCHANGED: gettext_lazy("Unchanged"),
}


def _preview(rows, plan: HistoricalImportPlan) -> list[dict]:
    """One line per row of the file: unit, year, quota, the numbers and what happens."""
    status = plan.row_status()
    return [
        {
            "row": row,
            "status": status.get(row.row, UNCHANGED),
            "status_label": STATUS_LABELS[status.get(row.row, UNCHANGED)],
            "numbers": _numbers(row),
        }
        for row in rows
    ]


def _numbers(row) -> str:
    """ "Kết nạp 9 · Học sinh 9 · Nữ 6 · …" in the columns' order."""
    parts = []
    for column in history_columns():
        value = row.counts.get((column.measure, column.group)) if column.is_count else None
        if value is not None:
            parts.append(f"{column.heading} {value}")
    return " · ".join(parts)
