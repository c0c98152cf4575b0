"""The cells' candidate pages: the list with its filters and flags, a candidate's record and
timeline, the steps (one, or the same for several), transfers, introducers and the file's
papers; the Board's admission decisions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, TemplateView, UpdateView

from core.dates import today
from units.access import BoardRequiredMixin
from units.models import Unit
from units.selectors import user_can_change, user_is_board

from .choices import FINAL, PIPELINE, Stage
from .forms import (
    AdmissionDecisionForm,
    CandidateFilterForm,
    CandidateForm,
    CertifyForm,
    DocumentsForm,
    IntroducerForm,
    ManyStepForm,
    StepForm,
    TransferForm,
)
from .models import Candidate, Introducer, StageEvent
from .pipeline import (
    DEADLINE_STEPS,
    missing_documents,
    needs_committee,
    planned_resolution,
    stage_next,
    underage_on_plan,
)
from .rules import ruleset_on
from .selectors import (
    candidate_get,
    candidate_list,
    candidate_same_person,
    candidate_search,
    candidate_unit_choices,
    candidate_units_editable,
    candidates_due,
    with_duplicate_flag,
)
from .services import (
    StepRefused,
    candidate_certify,
    candidate_save,
    candidate_transfer,
    document_set,
    introducer_delete,
    introducer_save,
    step_record,
    step_undo,
    steps_record_many,
    undo_problem,
)

PAGE_SIZE = 50
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


def _flags(candidates, *, on) -> None:
    """Put the list's flags on each candidate: ``underage`` (planned date, 18th birthday),
    ``due`` (the next deadline), ``missing`` (papers not on file before the resolution)."""
    dues = candidates_due(candidates, today=on)
    for c in candidates:
        c.underage = underage_on_plan(c, today=on)
        c.due = dues.get(c.pk)
        c.missing = (
            missing_documents(c)
            if c.stage in (Stage.FILE_PREPARATION, Stage.BACKGROUND_VERIFIED)
            else []
        )


class CandidateListView(LoginRequiredMixin, TemplateView):
    template_name = "candidates/candidate_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        units = candidate_unit_choices(user=user)
        form = CandidateFilterForm(self.request.GET or None, units=units)
        qs = with_duplicate_flag(candidate_list(user=user)).prefetch_related("documents")
        data = form.cleaned_data if form.is_valid() else {}
        if data.get("q"):
            qs = candidate_search(qs, data["q"])
        if data.get("unit"):
            qs = qs.filter(unit__path__startswith=data["unit"].path)
        stage = data.get("stage")
        if stage == "active":
            qs = qs.exclude(stage__in=FINAL)
        elif stage:
            qs = qs.filter(stage=stage)
        if data.get("category"):
            qs = qs.filter(category=data["category"])
        if data.get("school_class"):
            qs = qs.filter(school_class__iexact=data["school_class"].strip())
        flag = data.get("flag")
        if flag == "duplicate":
            qs = qs.filter(possible_duplicate=True)
        on = today()
        if data.get("overdue"):
            qs = qs.filter(stage__in=list(DEADLINE_STEPS))
        if data.get("overdue") or flag in ("underage", "missing"):
            # Working days and ages are counted in Python: narrow the rows first.
            people = list(qs)
            _flags(people, on=on)
            if data.get("overdue"):
                people = [c for c in people if c.due and c.due.late]
            if flag == "underage":
                people = [c for c in people if c.underage]
            if flag == "missing":
                people = [c for c in people if c.missing]
            page = Paginator(people, PAGE_SIZE).get_page(self.request.GET.get("trang"))
        else:
            page = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("trang"))
            _flags(page.object_list, on=on)
        query = self.request.GET.copy()
        query.pop("trang", None)
        context.update(
            form=form,
            page=page,
            candidates=page.object_list,
            query=query.urlencode(),
            many_units=units.count() > 1,
            can_change=candidate_units_editable(user=user).exists(),
            is_board=user_is_board(user=user),
            today=on,
        )
        return context


def _timeline(candidate):
    return (
        candidate.events.select_related("unit", "to_unit", "recorded_by")
        .order_by("dated", "pk")
        .all()
    )


class CandidateDetailView(LoginRequiredMixin, TemplateView):
    """A candidate's record: who they are, their flags, the next step and its rules, the
    timeline, introducers and the file's papers."""

    template_name = "candidates/candidate_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.candidate = candidate_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        c = self.candidate
        on = today()
        can_change = user_can_change(user=user, unit=c.unit)
        board = user_is_board(user=user)
        steps = stage_next(c, board=board) if can_change else []
        _flags([c], on=on)
        last = c.events.order_by("-dated", "-pk").first()
        others = list(
            candidate_same_person(
                citizen_id=None, name=c.full_name, born=c.date_of_birth, exclude_pk=c.pk
            )
        )
        visible = set(
            candidate_list(user=user)
            .filter(pk__in=[o.pk for o in others])
            .values_list("pk", flat=True)
        )
        context.update(
            candidate=c,
            can_change=can_change,
            is_board=board,
            events=_timeline(c),
            introducers=c.introducers.all(),
            steps=steps,
            awaiting_board=not board and Stage.ADMISSION_DECISION in stage_next(c, board=True),
            step_form=kwargs.get("step_form")
            or (
                StepForm(
                    stages=steps,
                    initial={"dated": on, "stage": steps[0] if steps[0] in PIPELINE else ""},
                )
                if steps
                else None
            ),
            problems=kwargs.get("problems", []),
            certify_form=kwargs.get("certify_form")
            or (CertifyForm() if Stage.CERTIFIED in steps else None),
            introducer_form=kwargs.get("introducer_form") or IntroducerForm(),
            documents=_checklist(c),
            duplicates=[(o, o.pk in visible) for o in others],
            rules=ruleset_on(on),
            needs_committee=needs_committee(c.unit),
            planned=planned_resolution(c),
            today=on,
            last_event=last if can_change and not undo_problem(c, last, board=board) else None,
        )
        return context


def _checklist(candidate) -> list[dict]:
    """The admission file, paper by paper: the certificate, the papers ticked off, and the
    resolutions and decisions recorded as steps."""
    from .choices import DocumentKind

    have = {d.kind: d for d in candidate.documents.all()}
    rows = [
        {
            "label": _("Awareness-class certificate (form CN-NTVĐ)"),
            "dated": candidate.certificate_date,
            "number": candidate.certificate_number,
        }
    ]
    for kind in DocumentKind:
        if kind == DocumentKind.UNION_RESOLUTION and not candidate.union_resolution:
            if kind not in have:
                continue
        doc = have.get(kind)
        rows.append(
            {
                "label": kind.label,
                "dated": doc.dated if doc else None,
                "number": doc.number if doc else "",
            }
        )
    steps = {
        Stage.CELL_RESOLUTION: _("Cell resolution proposing admission"),
        Stage.COMMITTEE_RESOLUTION: _("Grassroots committee's resolution"),
        Stage.ADMISSION_DECISION: _("Admission decision"),
    }
    events = {e.stage: e for e in candidate.events.filter(stage__in=list(steps))}
    for stage, label in steps.items():
        if stage == Stage.COMMITTEE_RESOLUTION and not needs_committee(candidate.unit):
            if stage not in events:
                continue
        event = events.get(stage)
        rows.append(
            {
                "label": label,
                "dated": event.dated if event else None,
                "number": event.document_number if event else "",
                "step": True,
            }
        )
    return rows


class _ChangeMixin(LoginRequiredMixin):
    """A page that changes one candidate: 404 outside the user's units, 403 when read-only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.candidate = candidate_get(user=request.user, pk=kwargs["pk"])
        if not user_can_change(user=request.user, unit=self.candidate.unit):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def back(self, anchor: str = ""):
        return redirect(self.candidate.get_absolute_url() + anchor)


class StepView(_ChangeMixin, View):
    def post(self, request, pk):
        c = self.candidate
        board = user_is_board(user=request.user)
        steps = stage_next(c, board=board)
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
                        today=today(),
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
                today=today(),
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


@require_POST
def step_undo_view(request, pk):
    if not request.user.is_authenticated:
        return redirect("login")
    candidate = candidate_get(user=request.user, pk=pk)
    if not user_can_change(user=request.user, unit=candidate.unit):
        raise PermissionDenied
    try:
        removed = step_undo(actor=request.user, candidate=candidate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The step “%(step)s” of %(day)s is removed.")
            % {"step": removed.get_stage_display(), "day": f"{removed.dated:%d/%m/%Y}"},
        )
    return redirect(candidate.get_absolute_url() + "#timeline")


class CandidateFormMixin(LoginRequiredMixin):
    model = Candidate
    form_class = CandidateForm
    template_name = "candidates/candidate_form.html"

    def editable_units(self):
        return candidate_units_editable(user=self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": self.editable_units()}

    def form_valid(self, form):
        candidate = form.save(commit=False)
        if not candidate.category:
            from .selectors import unit_category

            candidate.category = unit_category(candidate.unit)
        same = candidate_same_person(
            citizen_id=candidate.citizen_id, name=candidate.full_name, born=candidate.date_of_birth,
            exclude_pk=candidate.pk,
        )  # fmt: skip
        if candidate.citizen_id and same.filter(citizen_id=candidate.citizen_id).exists():
            form.add_error(
                "citizen_id",
                _(
                    "This citizen ID is already on file for a person of another unit. If "
                    "they moved here, ask the Organization Board to transfer them."
                )
                if not candidate_list(user=self.request.user)
                .filter(citizen_id=candidate.citizen_id)
                .exists()
                else _("This citizen ID is already on file at your unit."),
            )
            return self.form_invalid(form)
        try:
            candidate_save(actor=self.request.user, candidate=candidate)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        self.object = candidate
        if same.exists():
            messages.warning(
                self.request,
                _(
                    "Another record in the district has the same name and date of birth. "
                    "Check that it is not the same person."
                ),
            )
        messages.success(self.request, _("%(name)s is saved.") % {"name": candidate.full_name})
        return redirect(candidate.get_absolute_url())


class CandidateCreateView(CandidateFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.editable_units().exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CandidateUpdateView(CandidateFormMixin, UpdateView):
    def get_object(self, queryset=None):
        candidate = candidate_get(user=self.request.user, pk=self.kwargs["pk"])
        if not user_can_change(user=self.request.user, unit=candidate.unit):
            raise PermissionDenied
        return candidate


class TransferView(_ChangeMixin, TemplateView):
    template_name = "candidates/transfer.html"

    def units(self):
        return (
            Unit.objects.filter(kind__is_committee=False)
            .exclude(kind__audience="", has_party_organisation=False)
            .exclude(pk=self.candidate.unit_id)
            .select_related("kind")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            candidate=self.candidate,
            form=kwargs.get("form") or TransferForm(units=self.units(), initial={"dated": today()}),
        )
        return context

    def post(self, request, pk):
        form = TransferForm(request.POST, units=self.units())
        if form.is_valid():
            data = form.cleaned_data
            try:
                candidate_transfer(
                    actor=request.user,
                    candidate=self.candidate,
                    to_unit=data["to_unit"],
                    dated=data["dated"],
                    document_number=data["document_number"],
                    note=data["note"],
                    today=today(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is transferred to %(unit)s with their whole record.")
                    % {"name": self.candidate.full_name, "unit": data["to_unit"].name},
                )
                if candidate_list(user=request.user).filter(pk=pk).exists():
                    return self.back("#timeline")
                return redirect("candidates:candidate_list")
        return self.render_to_response(self.get_context_data(form=form), status=422)


class IntroducerAddView(_ChangeMixin, View):
    def post(self, request, pk):
        form = IntroducerForm(request.POST)
        if form.is_valid():
            introducer = form.save(commit=False)
            introducer.candidate = self.candidate
            introducer_save(actor=request.user, introducer=introducer)
            messages.success(request, _("The introducer is added."))
            return self.back("#introducers")
        detail = CandidateDetailView(request=request, kwargs={"pk": pk})
        detail.candidate = self.candidate
        return render(
            request,
            detail.template_name,
            detail.get_context_data(introducer_form=form),
            status=422,
        )


@require_POST
def introducer_delete_view(request, pk, introducer_pk):
    if not request.user.is_authenticated:
        return redirect("login")
    candidate = candidate_get(user=request.user, pk=pk)
    if not user_can_change(user=request.user, unit=candidate.unit):
        raise PermissionDenied
    introducer = get_object_or_404(Introducer, pk=introducer_pk, candidate=candidate)
    introducer_delete(actor=request.user, introducer=introducer)
    messages.success(request, _("The introducer is removed."))
    return redirect(candidate.get_absolute_url() + "#introducers")


class DocumentsView(_ChangeMixin, TemplateView):
    template_name = "candidates/documents.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            candidate=self.candidate,
            form=kwargs.get("form") or DocumentsForm(candidate=self.candidate),
        )
        return context

    def post(self, request, pk):
        form = DocumentsForm(request.POST, candidate=self.candidate)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        for kind in form.kinds:
            document_set(
                actor=request.user,
                candidate=self.candidate,
                kind=kind,
                dated=form.cleaned_data[f"{kind}_dated"],
                number=form.cleaned_data[f"{kind}_number"],
            )
        messages.success(request, _("The file's papers are saved."))
        return self.back("#file")


def _refused_message(refused) -> list[dict]:
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
            ids = [i for i in self.request.GET.getlist("chon") if i.isdigit()]
            form = ManyStepForm(
                stages=MANY_STEPS,
                queryset=qs,
                initial={
                    "dated": today(),
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
            today=today(),
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
            self.get_context_data(form=form, refused=_refused_message(outcome.refused)),
            status=422 if not outcome.recorded else 200,
        )


class AdmissionDecisionView(BoardRequiredMixin, TemplateView):
    """The Board's admission decision for a batch of candidates whose cells (and committees,
    where there is one) have resolved; the 60-working-day deadline is shown for each."""

    template_name = "candidates/admission_decision.html"

    def queryset(self):
        waiting = (
            candidate_list(user=self.request.user)
            .filter(stage__in=[Stage.CELL_RESOLUTION, Stage.COMMITTEE_RESOLUTION])
            .select_related("unit__kind")
        )
        ready = [
            c.pk
            for c in waiting
            if c.stage == Stage.COMMITTEE_RESOLUTION or not needs_committee(c.unit)
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
        form = kwargs.get("form") or AdmissionDecisionForm(queryset=qs, initial={"dated": today()})
        people = list(qs)
        dues = candidates_due(people, today=today())
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
            today=today(),
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
        return self.render_to_response(
            self.get_context_data(refused=_refused_message(outcome.refused))
        )
