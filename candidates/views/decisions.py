"""Admission decisions for a batch of candidates at once, by the staff of the unit that
decides them (a district's Ban Tổ chức; after 1/7/2025 a commune's Ban Xây dựng Đảng)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from core import dates
from units.access import DeciderRequiredMixin
from units.selectors import decider_index, user_decides_for

from ..choices import Stage
from ..forms import AdmissionDecisionForm
from ..models import StageEvent
from ..pipeline import needs_committee
from ..selectors import candidate_list, candidates_due
from ..services import steps_record_many
from .steps import refused_rows


class AdmissionDecisionView(DeciderRequiredMixin, TemplateView):
    """The admission decision for a batch of candidates whose cells (and committees, where
    there is one) have resolved and whose admission the user's unit decides; the deadline
    (45 or 60 working days by the rules of the resolution's day) is shown for each."""

    template_name = "candidates/admission_decision.html"

    def queryset(self):
        waiting = (
            candidate_list(user=self.request.user)
            .filter(stage__in=[Stage.CELL_RESOLUTION, Stage.COMMITTEE_RESOLUTION])
            .select_related("unit__kind", "unit__admission_unit")
        )
        deciders = decider_index()
        user = self.request.user
        ready = [
            c.pk
            for c in waiting
            if (
                c.stage == Stage.COMMITTEE_RESOLUTION
                or not needs_committee(c.unit, deciders=deciders)
            )
            and user_decides_for(user=user, unit=c.unit, deciders=deciders)
        ]
        return (
            candidate_list(user=self.request.user)
            .filter(pk__in=ready)
            .order_by("unit__path", "sort_key")
            .prefetch_related(
                Prefetch(
                    "events",
                    queryset=StageEvent.objects.filter(stage=Stage.CELL_RESOLUTION),
                    to_attr="resolutions",
                )
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = self.queryset()
        form = kwargs.get("form") or AdmissionDecisionForm(
            queryset=qs, initial={"dated": dates.today()}
        )
        people = list(qs)
        dues = candidates_due(people, today=dates.today())
        for c in people:
            c.due = dues.get(c.pk)
            c.resolution = c.resolutions[-1] if c.resolutions else None
        chosen = set(form.data.getlist("candidates")) if form.is_bound else set()
        context.update(form=form, people=people, chosen=chosen, refused=kwargs.get("refused", []))
        return context

    def post(self, request):
        form = AdmissionDecisionForm(request.POST, queryset=self.queryset())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        data = form.cleaned_data
        outcome = steps_record_many(
            actor=request.user,
            candidates=list(data["candidates"]),
            stage=Stage.ADMISSION_DECISION,
            dated=data["dated"],
            document_number=data["document_number"],
            today=dates.today(),
        )
        if outcome.recorded:
            messages.success(
                request,
                ngettext(
                    "Decision %(number)s is recorded for %(count)s candidate.",
                    "Decision %(number)s is recorded for %(count)s candidates.",
                    len(outcome.recorded),
                )
                % {"number": data["document_number"], "count": len(outcome.recorded)},
            )
        if not outcome.refused:
            return redirect("candidates:admission_decision")
        # The form as typed (number, date, the people ticked and still waiting), so that
        # correcting the refused ones does not mean typing the decision again.
        return self.render_to_response(
            self.get_context_data(form=form, refused=refused_rows(outcome.refused))
        )
