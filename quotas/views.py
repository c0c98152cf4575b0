"""Plans, their rounds and targets, and the progress dashboard."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import DeleteView, DetailView, FormView, TemplateView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.concurrency import StaleEdit
from core.dates import today
from core.lists import FilteredEmptyTextMixin
from documents.tables import ExcelExportMixin
from units.access import BoardRequiredMixin
from units.selectors import unit_list, user_is_board

from .dashboard import plan_dashboard_page
from .filters import PlanFilterSet
from .forms import DashboardFilterForm, PlanForm, RoundForm, TargetForm
from .models import Plan
from .progress import target_definition, target_each_description, target_pace_rule
from .selectors import (
    plan_annotate_status,
    plan_default_day,
    plan_for_year,
    plan_get,
    plan_list,
    plan_other_years,
    target_list,
)
from .services import plan_copy, plan_save, round_save, target_delete, target_save
from .tables import PlanTable

# The year the user is looking at: the plan page or progress page they opened last (kept in
# their session), so that "Progress" in the menu opens that year's plan.
YEAR_SESSION_KEY = "quotas.year"


def year_remember(request, year: int) -> None:
    if request.session.get(YEAR_SESSION_KEY) != year:
        request.session[YEAR_SESSION_KEY] = year


def _typed_year(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 else None


def year_looked_at(request) -> int:
    """``?nam=2024``, else the year of ``?ngay=``, else the year last looked at, else this
    year."""
    year = _typed_year(request.GET.get("nam"))
    if year is not None:
        return year
    form = DashboardFilterForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("ngay"):
        return form.cleaned_data["ngay"].year
    remembered = request.session.get(YEAR_SESSION_KEY)
    return remembered if isinstance(remembered, int) else today().year


class PlanListView(
    LoginRequiredMixin, FilteredEmptyTextMixin, ExcelExportMixin, SingleTableMixin, FilterView
):
    """The plans the user may read, newest first."""

    model = Plan
    template_name = "quotas/plan_list.html"
    filterset_class = PlanFilterSet
    table_class = PlanTable
    table_pagination = {"per_page": 50}
    export_stem = _lazy("Plans")

    def get_queryset(self):
        return plan_annotate_status(plan_list(user=self.request.user), today=today())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_board"] = user_is_board(user=self.request.user)
        year = _typed_year(self.request.GET.get("year"))
        if year is not None:
            year_remember(self.request, year)
        return context


class PlanDetailView(LoginRequiredMixin, DetailView):
    template_name = "quotas/plan_detail.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        return plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        year_remember(self.request, plan.year)
        targets = target_list(plan=plan)
        for t in targets:
            t.definition = target_definition(t)
            t.pace = target_pace_rule(t)
            t.each_description = target_each_description(t)
            t.value_count = t.values.count()
        context["targets"] = targets
        context["annex"] = next((t for t in targets if t.in_annex), None)
        context["rounds"] = plan.rounds.prefetch_related("classes")
        context["is_board"] = user_is_board(user=self.request.user)
        context["next_year"] = plan.year + 1
        # Next year's plan of the same issuer, once made: a link instead of "Copy".
        context["next_plan"] = (
            plan_list(user=self.request.user)
            .filter(issuer=plan.issuer_id, year=plan.year + 1)
            .first()
        )
        return context


class PlanCopyView(BoardRequiredMixin, View):
    """POST: next year's draft plan made from this one (``plan_copy``), then its edit page.
    Refused, with the reason, when that year's plan exists already."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        plan = plan_get(user=request.user, pk=pk)
        year = plan.year + 1
        try:
            new = plan_copy(plan=plan, year=year, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(plan)
        messages.success(
            request,
            _(
                "The plan for %(year)s was made from plan %(number)s: a draft with the same "
                "units, targets and class rounds. Check it, give its number and date, and "
                "issue it."
            )
            % {"year": year, "number": plan.number},
        )
        return redirect("quotas:plan_update", pk=new.pk)


class _PlanFormMixin(BoardRequiredMixin):
    template_name = "quotas/plan_form.html"
    form_class = PlanForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["units"] = unit_list(user=self.request.user)
        return kwargs

    def form_valid(self, form):
        try:
            plan = plan_save(
                actor=self.request.user, plan=form.save(commit=False), opened_as=form.opened_as
            )
        except StaleEdit as exc:
            form.refuse(exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Plan %(number)s saved.") % {"number": plan.number})
        return redirect(plan)


class PlanCreateView(_PlanFormMixin, FormView):
    pass


class PlanUpdateView(_PlanFormMixin, FormView):
    @cached_property
    def plan(self) -> Plan:
        return plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.plan}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan}


class _PlanChildMixin(BoardRequiredMixin):
    """Views of a plan's round or target: the plan comes from the URL and the user's scope."""

    @cached_property
    def plan(self) -> Plan:
        return plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan}


class RoundCreateView(_PlanChildMixin, FormView):
    template_name = "quotas/round_form.html"
    form_class = RoundForm

    def get_instance(self):
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        instance = self.get_instance()
        if instance is None:
            kwargs["initial"] = {"number": self.plan.rounds.count() + 1}
        kwargs["instance"] = instance
        return kwargs

    def form_valid(self, form):
        rnd = form.save(commit=False)
        rnd.plan = self.plan
        try:
            round_save(actor=self.request.user, round=rnd, opened_as=form.opened_as)
        except StaleEdit as exc:
            form.refuse(exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Round saved."))
        return redirect(self.plan)


class RoundUpdateView(RoundCreateView):
    def get_instance(self):
        return get_object_or_404(self.plan.rounds, pk=self.kwargs["round_pk"])


class TargetCreateView(_PlanChildMixin, FormView):
    template_name = "quotas/target_form.html"
    form_class = TargetForm

    def get_instance(self):
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "instance": self.get_instance()}

    def form_valid(self, form):
        try:  # one transaction: target_save sets the area's number with the target
            target = target_save(
                actor=self.request.user,
                target=form.save(commit=False),
                area_bounds=form.area_bounds,
                opened_as=form.opened_as,
            )
        except StaleEdit as exc:
            form.refuse(exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Target “%(name)s” saved.") % {"name": target.name})
        return redirect(target.get_absolute_url())


class TargetUpdateView(TargetCreateView):
    def get_instance(self):
        return get_object_or_404(self.plan.targets, pk=self.kwargs["target_pk"])


class TargetDeleteView(_PlanChildMixin, DeleteView):
    template_name = "quotas/target_confirm_delete.html"
    context_object_name = "target"

    def get_object(self, queryset=None):
        return get_object_or_404(self.plan.targets, pk=self.kwargs["target_pk"])

    def form_valid(self, form):
        name = self.object.name
        target_delete(actor=self.request.user, target=self.object)
        messages.success(self.request, _("Target “%(name)s” deleted.") % {"name": name})
        return redirect(self.plan)


class DashboardView(LoginRequiredMixin, TemplateView):
    """Progress of a plan on a day: every unit the user may see, rolled up the tree."""

    template_name = "quotas/dashboard.html"

    @cached_property
    def plan(self) -> Plan:
        return plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.plan
        context["plan"] = plan
        context["other_plans"] = plan_other_years(user=self.request.user, plan=plan)
        year_remember(self.request, plan.year)
        form = DashboardFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        default_day = plan_default_day(plan=plan, today=today())
        on = data.get("ngay") or default_day
        kind = data.get("loai")
        board = plan_dashboard_page(
            plan=plan,
            user=self.request.user,
            on=on,
            kind_id=kind.pk if kind else None,
            within=data.get("don_vi"),
        )
        if not form.is_bound:
            form = DashboardFilterForm(initial={"ngay": on})
        kinds = board.kinds
        form.fields["loai"].queryset = form.fields["loai"].queryset.filter(
            pk__in=[k.pk for k in kinds]
        )
        context.update(
            form=form,
            on=on,
            default_day=default_day,
            is_past_day=on < today(),
            dashboard=board,
            chart=_chart(board, data.get("chi_tieu")),
            show_kind_filter=len(kinds) > 1,
            # The drawn milestones, chart and table change with the figures and the query
            # only: kept with the figures (docs/decisions.md).
            fragment_seconds=settings.PROGRESS_CACHE_SECONDS if board.cache_key else 0,
            fragment_key=f"{board.cache_key}?{self.request.GET.urlencode()}",
            is_board=user_is_board(user=self.request.user),
        )
        return context


def _chart(board, target_id: int | None) -> dict | None:
    """Bars for one target: each unit's own number, the target's minimum as a tick.

    The chosen target, else the one with the nearest deadline that is not past, else the one
    with the most units on the page (the latest deadline on a tie: the year's result).
    """
    if not board.targets:
        return None
    chosen = None
    if target_id:
        chosen = next((tp for tp in board.targets if tp.target.pk == target_id), None)
    visible = {row.unit.pk for row in board.shown}
    if chosen is None:
        upcoming = [tp for tp in board.targets if tp.target.ends_on >= board.on and tp.own]
        if upcoming:
            chosen = min(upcoming, key=lambda tp: tp.target.ends_on)
        else:  # every deadline has passed: the target with the most units shown
            chosen = max(
                board.targets,
                key=lambda tp: (len(visible.intersection(tp.own)), tp.target.ends_on),
            )
    bars = [p for uid, p in chosen.own.items() if uid in visible]
    bars.sort(key=lambda p: p.unit.path)
    if not bars:
        return None
    scale = max(
        max((p.share_percent or 0) if p.is_share else p.actual for p in bars),
        max((p.maximum or p.minimum or 0) for p in bars),
        1,
    )
    row_height, label_width, width = 26, 250, 820
    inner = width - label_width - 90
    items = []
    for i, p in enumerate(bars):
        value = (p.share_percent or 0) if p.is_share else p.actual
        tick = label_width + inner * p.minimum / scale if p.minimum else None
        tick_max = (
            label_width + inner * p.maximum / scale
            if p.maximum and p.maximum != p.minimum
            else None
        )
        items.append(
            {
                "progress": p,
                "y": i * row_height,
                "bar": round(min(inner, inner * value / scale), 1),
                "tick": None if tick is None else round(tick, 1),
                "tick_max": None if tick_max is None else round(tick_max, 1),
                # The same in percent of the track, for the phone's list of bars.
                "bar_pct": round(min(100, 100 * value / scale), 1),
                "tick_pct": round(100 * p.minimum / scale, 1) if p.minimum else None,
                "css": p.status,
            }
        )
    return {
        "target": chosen.target,
        "definition": chosen.definition,
        "items": items,
        "height": len(items) * row_height + 24,
        "width": width,
        "label_width": label_width,
        "inner": inner,
        "label_x": label_width - 8,
        "value_x": label_width + inner + 6,
        "scale": scale,
        "choices": [tp.target for tp in board.targets if tp.own],
    }


@login_required
def plan_attachment(request, pk: int):
    """The plan's attached file, for those who may read the plan (never a public URL)."""
    plan = plan_get(user=request.user, pk=pk)
    if not plan.attachment:
        raise Http404
    try:
        handle = plan.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = Path(plan.attachment.name).name
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
def dashboard_home(request):
    """/tien-do/ ("Progress" in the menu): the progress of the plan of the year the user is
    looking at (``year_looked_at``), else of the latest plan; the plan list when there is
    none."""
    plan = plan_for_year(user=request.user, year=year_looked_at(request))
    if plan is None:
        return redirect("quotas:plan_list")
    url = reverse("quotas:plan_dashboard", kwargs={"pk": plan.pk})
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)
