"""The candidate list: NetBox's four settings (rows from a selector, a FilterSet, its form,
a Table), its flags, the tick boxes for "one step for several people", and the list as an
Excel file."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core import dates
from documents.tables import ExcelExportMixin
from units.selectors import user_decides_any, user_is_board

from ..filters import CandidateFilterSet
from ..selectors import candidate_list_flagged, candidate_units_editable
from ..services import personal_data_download_record
from ..tables import CandidateTable, KeysFirst


class CandidateListView(LoginRequiredMixin, ExcelExportMixin, SingleTableMixin, FilterView):
    """Every candidate the user may see, filtered, sorted and paged; ``?xuat=xlsx`` gives
    the same rows (every page, without the tick boxes) as an Excel file."""

    template_name = "candidates/candidate_list.html"
    filterset_class = CandidateFilterSet
    table_class = CandidateTable
    strict = False  # a filter that does not validate is left out; the others still apply

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = dates.today()

    def get_queryset(self):
        return candidate_list_flagged(user=self.request.user, today=self.today)

    def get_table_data(self):
        return KeysFirst(super().get_table_data())

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "today": self.today}

    def can_change(self) -> bool:
        if not hasattr(self, "_can_change"):
            self._can_change = candidate_units_editable(user=self.request.user).exists()
        return self._can_change

    def many_units(self) -> bool:
        if not hasattr(self, "_many_units"):
            units = self.filterset.form.fields["unit"].queryset.order_by()
            self._many_units = len(units.values_list("pk", flat=True)[:2]) > 1
        return self._many_units

    def get_table_kwargs(self):
        exclude = []
        if not self.can_change():
            exclude.append("choose")
        if not self.many_units():
            exclude.append("unit")
        return {"exclude": exclude, "user": self.request.user}

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        table.empty_text = (
            _("Nobody matches these filters.")
            if self.filterset.is_bound
            else _("No candidate yet. Add them one by one or import your unit's Excel list.")
        )
        return table

    def create_export(self, export_format):
        """The list as Excel: names, years or dates of birth (no citizen ID, no phone: the
        unit's import template has them), recorded as a download of personal data."""
        response = super().create_export(export_format)
        personal_data_download_record(
            actor=self.request.user,
            file="candidate_list",
            people=self.filterset.qs.count(),
            filters={k: v for k, v in self.request.GET.items() if k != "xuat" and v},
        )
        return response

    def get_export_stem(self) -> str:
        return f"{_('Candidates')} {dates.dmy(self.today)}"

    def get_dataset_kwargs(self):
        return {"title": _("Candidates")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            many_units=self.many_units(),
            can_change=self.can_change(),
            decides=user_decides_any(user=self.request.user),
            is_board=user_is_board(user=self.request.user),
        )
        return context
