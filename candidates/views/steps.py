"""Steps on the road: one step on a candidate's record, or the same step (one cell
resolution for several people) recorded at once for the people ticked on the list."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from core import dates
from core.text import pk_list
from units.selectors import user_decides_for

from ..choices import FINAL, Stage
from ..forms import CertifyForm, ManyStepForm, StepForm
from ..pipeline import stage_next
from ..selectors import candidate_list, candidate_units_editable
from ..services import StepRefused, candidate_certify, step_record, steps_record_many
from .record import CandidateDetailView, ChangeMixin

# Steps a cell records for several candidates at once (an admission decision has its own
# page for the Board; "certified" needs each person's certificate).
MANY_STEPS = [
    Stage.FILE_PREPARATION,
    Stage.BACKGROUND_VERIFIED,
    Stage.CELL_RESOLUTION,
    Stage.COMMITTEE_RESOLUTION,
    Stage.CEREMONY,
    Stage.FULL_MEMBER,
    Stage.WITHDRAWN,
]


class StepView(ChangeMixin, View):
    def post(self, request, pk):
        c = self.candidate
        steps = stage_next(c, decides=user_decides_for(user=request.user, unit=c.unit))
        detail = CandidateDetailView(request=request, kwargs={"pk": pk})
        detail.candidate = c
        if request.POST.get("stage") == Stage.CERTIFIED:
            form = CertifyForm(request.POST, prefix="cert")
            if form.is_valid():
                try:
                    candidate_certify(
                        actor=request.user,
                        candidate=c,
                        number=form.cleaned_data["number"],
                        dated=form.cleaned_data["dated"],
                        today=dates.today(),
                    )
                except StepRefused as refused:
                    c.refresh_from_db()
                    return render(
                        request,
                        detail.template_name,
                        detail.get_context_data(certify_form=form, problems=refused.problems),
                        status=422,
                    )
                messages.success(request, _("The certificate is recorded."))
                return self.back("#timeline")
            return render(
                request,
                detail.template_name,
                detail.get_context_data(certify_form=form),
                status=422,
            )
        form = StepForm(request.POST, stages=steps)
        if not form.is_valid():
            return render(
                request, detail.template_name, detail.get_context_data(step_form=form), status=422
            )
        data = form.cleaned_data
        try:
            step_record(
                actor=request.user,
                candidate=c,
                stage=data["stage"],
                dated=data["dated"],
                document_number=data["document_number"],
                note=data["note"],
                votes_for=data["votes_for"],
                full_members=data["full_members"],
                today=dates.today(),
            )
        except StepRefused as refused:
            return render(
                request,
                detail.template_name,
                detail.get_context_data(step_form=form, problems=refused.problems),
                status=422,
            )
        messages.success(
            request,
            _("“%(step)s” is recorded for %(name)s.")
            % {"step": Stage(data["stage"]).label, "name": c.full_name},
        )
        return self.back("#timeline")


def refused_rows(refused) -> list[dict]:
    return [{"candidate": c, "problems": problems} for c, problems in refused]


class StepManyView(LoginRequiredMixin, TemplateView):
    """The same step (one cell resolution for several people) recorded at once; each person
    is checked on their own, and those the rules stop are listed with the reason."""

    template_name = "candidates/step_many.html"

    def queryset(self):
        user = self.request.user
        units = candidate_units_editable(user=user)
        return (
            candidate_list(user=user)
            .filter(unit__in=units)
            .exclude(stage__in=FINAL)
            .exclude(stage__in=[Stage.IDENTIFIED, Stage.NOMINATED])
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = self.queryset()
        form = kwargs.get("form")
        if form is None:
            ids = pk_list(self.request.GET.getlist("chon"))
            form = ManyStepForm(
                stages=MANY_STEPS,
                queryset=qs,
                initial={
                    "dated": dates.today(),
                    "candidates": qs.filter(pk__in=ids),
                    "stage": self.request.GET.get("buoc") or Stage.CELL_RESOLUTION,
                },
            )
        context.update(form=form, refused=kwargs.get("refused", []), candidates=qs)
        return context

    def get(self, request, *args, **kwargs):
        if not self.queryset().exists():
            if not candidate_units_editable(user=request.user).exists():
                raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def post(self, request):
        qs = self.queryset()
        form = ManyStepForm(request.POST, stages=MANY_STEPS, queryset=qs)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        data = form.cleaned_data
        chosen = list(data["candidates"])
        outcome = steps_record_many(
            actor=request.user,
            candidates=chosen,
            stage=data["stage"],
            dated=data["dated"],
            document_number=data["document_number"],
            note=data["note"],
            votes={c.pk: data["votes_for"] for c in chosen}
            if data["votes_for"] is not None
            else None,
            full_members=data["full_members"],
            today=dates.today(),
        )
        step = Stage(data["stage"]).label
        if outcome.recorded:
            messages.success(
                request,
                ngettext(
                    "“%(step)s” is recorded for %(count)s candidate.",
                    "“%(step)s” is recorded for %(count)s candidates.",
                    len(outcome.recorded),
                )
                % {"step": step, "count": len(outcome.recorded)},
            )
        if not outcome.refused:
            return redirect(reverse("candidates:candidate_list") + f"?stage={data['stage']}")
        # Keep the form filled in, with only the people the rules stopped still ticked.
        post = request.POST.copy()
        post.setlist("candidates", [str(c.pk) for c, _p in outcome.refused])
        form = ManyStepForm(post, stages=MANY_STEPS, queryset=self.queryset())
        form.is_valid()
        return self.render_to_response(
            self.get_context_data(form=form, refused=refused_rows(outcome.refused)),
            status=422 if not outcome.recorded else 200,
        )
