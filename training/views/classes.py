"""The class pages: the list of classes, the Board's form, and a class's page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from core.concurrency import StaleEdit
from core.lists import FilteredEmptyTextMixin
from documents.tables import ExcelExportMixin
from quotas.selectors import plan_get
from units.access import BoardRequiredMixin
from units.selectors import unit_list, user_is_board

from ..choices import ClassStatus
from ..filters import ClassFilterSet, NomineeListFilterSet
from ..forms import ClassForm
from ..models import TrainingClass
from ..selectors import (
    class_get,
    class_list,
    class_list_waiting,
    class_places_taken,
    class_roster,
    nominating_units,
    nominee_list_list,
    round_progress,
)
from ..services import class_save
from ..tables import ClassTable, NomineeListTable


class ClassListView(
    LoginRequiredMixin, FilteredEmptyTextMixin, ExcelExportMixin, SingleTableMixin, FilterView
):
    """Every class of the plans the user may read, with the user's own lists."""

    model = TrainingClass
    template_name = "training/class_list.html"
    filterset_class = ClassFilterSet
    table_class = ClassTable
    table_pagination = {"per_page": 50}
    export_stem = _lazy("Party-awareness classes")

    def get_queryset(self):
        user = self.request.user
        qs = class_list_waiting(user=user) if user_is_board(user=user) else class_list(user=user)
        return qs.select_related("plan__area")

    def get_table_kwargs(self):
        kwargs = {"user": self.request.user}
        if not user_is_board(user=self.request.user):
            kwargs["exclude"] = ("waiting",)
        return kwargs


class ClassFormMixin(BoardRequiredMixin):
    template_name = "training/class_form.html"
    form_class = ClassForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["plan"] = self.plan
        kwargs["units"] = unit_list(user=self.request.user)
        return kwargs

    def form_valid(self, form):
        creating = form.instance.pk is None
        try:
            cls = class_save(
                actor=self.request.user,
                training_class=form.instance,
                session_dates=form.cleaned_data["sessions"],
                opened_as=form.opened_as,
            )
        except StaleEdit as exc:
            form.refuse(exc)
            return self.form_invalid(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            if creating:  # class_save rolled back; the form must not show a saved class
                form.instance.pk = None
            return self.form_invalid(form)
        messages.success(self.request, _("The class was saved."))
        return redirect(cls.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        return context


class ClassCreateView(ClassFormMixin, FormView):
    @cached_property
    def plan(self):
        return plan_get(user=self.request.user, pk=self.kwargs["plan_pk"])

    def get_initial(self):
        return {"name": _("Party-awareness class"), "status": ClassStatus.PLANNED}


class ClassUpdateView(ClassFormMixin, FormView):
    @cached_property
    def training_class(self):
        return class_get(user=self.request.user, pk=self.kwargs["pk"])

    @property
    def plan(self):
        return self.training_class.plan

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.training_class
        return kwargs


class ClassDetailView(LoginRequiredMixin, TemplateView):
    """A class: its particulars, the user's lists, the lists received, the round's table."""

    template_name = "training/class_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cls = class_get(user=user, pk=self.kwargs["pk"])
        lists = nominee_list_list(user=user, training_class=cls)
        found = NomineeListFilterSet(self.request.GET, queryset=lists)
        rows = list(found.qs)
        if any(self.request.GET.get(name) for name in NomineeListFilterSet.base_filters):
            by_unit = {nl.unit_id: nl for nl in lists}
        else:
            by_unit = {nl.unit_id: nl for nl in rows}
        table = NomineeListTable(rows)
        RequestConfig(self.request, paginate=False).configure(table)
        mine = nominating_units(user=user, training_class=cls)
        context.update(
            cls=cls,
            sessions=list(cls.sessions.all()),
            is_board=user_is_board(user=user),
            lists=rows,
            lists_table=table,
            my_lists=[(u, by_unit.get(u.pk)) for u in mine],
            progress=round_progress(user=user, round_=cls.round),
            roster_count=len(class_roster(user=user, training_class=cls)),
            places_taken=class_places_taken(cls) if cls.capacity else None,
        )
        return context
