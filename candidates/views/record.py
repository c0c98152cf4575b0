"""A candidate's record: who they are, their flags, the next step and its rules, the
timeline; adding and editing a person, a transfer, the introducers, the mentors and their
comments, the file's papers, and taking back the last step."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, TemplateView, UpdateView

from core import dates
from core.concurrency import StaleEdit
from core.dates import dmy
from units.models import Unit
from units.selectors import (
    deciding_unit,
    user_can_change,
    user_decides_for,
    user_sees_personal_data,
)

from ..choices import PIPELINE, DocumentKind, Stage
from ..forms import (
    CandidateForm,
    CertifyForm,
    DocumentsForm,
    ExtensionForm,
    IntroducerForm,
    MentorCommentForm,
    MentorEndForm,
    MentorForm,
    StepForm,
    TransferForm,
)
from ..models import Candidate, Introducer, Mentor, MentorComment
from ..pipeline import (
    MENTOR_PHASES,
    last_resolution_date,
    needs_committee,
    party_dates,
    planned_resolution,
    stage_next,
)
from ..rules import ruleset_on
from ..selectors import (
    candidate_get,
    candidate_list,
    candidate_others_visible,
    candidate_units_editable,
    candidates_flag,
    unit_category,
)
from ..services import (
    candidate_save,
    candidate_transfer,
    citizen_id_check,
    citizen_id_reveal,
    deadline_extend,
    document_set,
    introducer_delete,
    introducer_save,
    mentor_comment_add,
    mentor_comment_delete,
    mentor_end,
    mentor_save,
    name_and_birth_alert,
    step_undo,
    undo_problem,
)


def _timeline(candidate):
    return (
        candidate.events.select_related("unit", "to_unit", "recorded_by")
        .order_by("dated", "pk")
        .all()
    )


def _extension_allowance(candidate) -> dict:
    """How many working days the decision's deadline may be extended for the candidate's
    latest cell resolution, under the rules of its day, and how many are given."""
    since = last_resolution_date(candidate)
    if since is None:
        return {}
    rules = ruleset_on(since)
    used = sum(x.working_days for x in candidate.extensions.all() if x.since == since)
    return {
        "extension_allowed": rules.decision_extension_working_days,
        "extension_clause": rules.clause("decision_extension_working_days"),
        "extension_used": used,
    }


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
        on = dates.today()
        can_change = user_can_change(user=user, unit=c.unit)
        decides = user_decides_for(user=user, unit=c.unit)
        steps = stage_next(c, decides=decides) if can_change else []
        candidates_flag([c], today=on)
        last = c.events.order_by("-dated", "-pk").first()
        joined, full_from = party_dates(c)
        personal = user_sees_personal_data(user=user, unit=c.unit)
        c.hide_birth = not personal
        mentors = list(c.mentors.prefetch_related("comments"))
        context.update(
            candidate=c,
            can_change=can_change,
            decides=decides,
            decider=deciding_unit(c.unit),
            joined=joined,
            full_from=full_from,
            events=_timeline(c),
            introducers=c.introducers.all(),
            steps=steps,
            awaiting_decision=not decides
            and Stage.ADMISSION_DECISION in stage_next(c, decides=True),
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
            mentors=mentors,
            has_current_mentor=any(m.current for m in mentors),
            mentor_form=kwargs.get("mentor_form")
            or MentorForm(initial={"assigned_on": on, "phase": MENTOR_PHASES.get(c.stage)}),
            mentor_comment_form=kwargs.get("mentor_comment_form")
            or MentorCommentForm(candidate=c, initial={"dated": on}),
            mentor_end_form=MentorEndForm(initial={"ended_on": on}),
            documents=_checklist(c),
            duplicates=candidate_others_visible(user=user, candidate=c),
            personal=personal,
            citizen_id_shown=kwargs.get("citizen_id_shown"),
            rules=ruleset_on(on),
            needs_committee=needs_committee(c.unit),
            planned=planned_resolution(c),
            today=on,
            last_event=last if can_change and not undo_problem(c, last, decides=decides) else None,
            extensions=list(c.extensions.all()),
            **_extension_allowance(c),
            extension_form=kwargs.get("extension_form")
            or (
                ExtensionForm(prefix="ext", initial={"dated": on})
                if can_change
                and decides
                and c.stage in (Stage.CELL_RESOLUTION, Stage.COMMITTEE_RESOLUTION)
                else None
            ),
        )
        return context


def _checklist(candidate) -> list[dict]:
    """The admission file, paper by paper: the certificate, the papers ticked off, and the
    resolutions and decisions recorded as steps."""
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


class ChangeMixin(LoginRequiredMixin):
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
            % {"step": removed.get_stage_display(), "day": dmy(removed.dated)},
        )
    return redirect(candidate.get_absolute_url() + "#timeline")


@method_decorator(never_cache, name="dispatch")
class CitizenIdShowView(LoginRequiredMixin, View):
    """ "Show" on the candidate's page: the page again with the full citizen ID, for a user
    who keeps the unit's files (403 for the standing office, 404 outside the user's units),
    recorded in the audit (``citizen_id_show``). A POST, so that the number is never in an
    address, a history or a proxy's cache."""

    http_method_names = ["post"]

    def post(self, request, pk):
        candidate = candidate_get(user=request.user, pk=pk)
        number = citizen_id_reveal(actor=request.user, candidate=candidate)
        return _detail_again(request, candidate, status=200, citizen_id_shown=number or "—")


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
            candidate.category = unit_category(candidate.unit)
        user = self.request.user
        problem = citizen_id_check(actor=user, candidate=candidate)
        if problem:
            form.add_error("citizen_id", problem)
            return self.form_invalid(form)
        creating = candidate.pk is None
        try:
            candidate_save(actor=user, candidate=candidate, opened_as=form.opened_as)
        except StaleEdit as exc:
            form.refuse(exc)
            return self.form_invalid(form)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        self.object = candidate
        if creating or {"family_name", "given_name", "date_of_birth"} & set(form.changed_data):
            self.name_and_birth_check(candidate)
        messages.success(self.request, _("%(name)s is saved.") % {"name": candidate.full_name})
        return redirect(self.back_url() or candidate.get_absolute_url())

    def back_url(self) -> str:
        """Where the form was opened from when it says so (``?next=``, e.g. a class's
        nominee list that the Board returned the person on): a path of this site only."""
        back = self.request.POST.get("next") or self.request.GET.get("next", "")
        allowed = url_has_allowed_host_and_scheme(
            back, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return back if allowed and back.startswith("/") and not back.startswith("//") else ""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "back": self.back_url()}

    def name_and_birth_check(self, candidate) -> None:
        """Warn of the records the user sees with the same name and date of birth (never
        the candidate itself); alert the Board, silently, of the others."""
        user = self.request.user
        if candidate_others_visible(user=user, candidate=candidate):
            messages.warning(
                self.request,
                _(
                    "Another record you can see has the same name and date of birth. "
                    "Check that it is not the same person."
                ),
            )
        name_and_birth_alert(actor=user, candidate=candidate)


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


class TransferView(ChangeMixin, TemplateView):
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
            form=kwargs.get("form")
            or TransferForm(units=self.units(), initial={"dated": dates.today()}),
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
                    today=dates.today(),
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


class IntroducerAddView(ChangeMixin, View):
    def post(self, request, pk):
        form = IntroducerForm(request.POST)
        if form.is_valid():
            introducer = form.save(commit=False)
            introducer.candidate = self.candidate
            introducer_save(actor=request.user, introducer=introducer)
            messages.success(request, _("The introducer is added."))
            return self.back("#introducers")
        return _detail_again(request, self.candidate, introducer_form=form)


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


def _detail_again(request, candidate, status=422, **forms):
    """The candidate's page again, with the form that did not validate."""
    detail = CandidateDetailView(request=request, kwargs={"pk": candidate.pk})
    detail.candidate = candidate
    return render(request, detail.template_name, detail.get_context_data(**forms), status=status)


class MentorAddView(ChangeMixin, View):
    """Assign a full member to help the candidate or the probationary member."""

    def post(self, request, pk):
        form = MentorForm(request.POST)
        if form.is_valid():
            mentor = form.save(commit=False)
            mentor.candidate = self.candidate
            try:
                mentor_save(actor=request.user, mentor=mentor, today=dates.today())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(name)s is assigned.") % {"name": mentor.name})
                return self.back("#mentors")
        return _detail_again(request, self.candidate, mentor_form=form)


class MentorEndView(ChangeMixin, View):
    """The mentor stops (moved, replaced, or the help is over); their record stays."""

    def post(self, request, pk, mentor_pk):
        mentor = get_object_or_404(Mentor, pk=mentor_pk, candidate=self.candidate)
        form = MentorEndForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the date the mentor stopped (dd/mm/yyyy)."))
            return self.back("#mentors")
        try:
            mentor_end(
                actor=request.user,
                mentor=mentor,
                ended_on=form.cleaned_data["ended_on"],
                today=dates.today(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s no longer helps.") % {"name": mentor.name})
        return self.back("#mentors")


class MentorCommentAddView(ChangeMixin, View):
    """Keep a mentor's dated comment on the record."""

    def post(self, request, pk):
        form = MentorCommentForm(request.POST, candidate=self.candidate)
        if form.is_valid():
            data = form.cleaned_data
            try:
                mentor_comment_add(
                    actor=request.user,
                    mentor=data["mentor"],
                    dated=data["dated"],
                    text=data["text"],
                    today=dates.today(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The comment is kept on the record."))
                return self.back("#mentors")
        return _detail_again(request, self.candidate, mentor_comment_form=form)


class MentorCommentDeleteView(ChangeMixin, View):
    def post(self, request, pk, comment_pk):
        comment = get_object_or_404(
            MentorComment.objects.select_related("mentor__candidate"),
            pk=comment_pk,
            mentor__candidate=self.candidate,
        )
        mentor_comment_delete(actor=request.user, comment=comment)
        messages.success(request, _("The comment is removed."))
        return self.back("#mentors")


class DocumentsView(ChangeMixin, TemplateView):
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


class ExtensionView(ChangeMixin, View):
    """The deciding committee extends the deadline of the admission decision."""

    def post(self, request, pk):
        form = ExtensionForm(request.POST, prefix="ext")
        if form.is_valid():
            data = form.cleaned_data
            try:
                deadline_extend(
                    actor=request.user,
                    candidate=self.candidate,
                    working_days=data["working_days"],
                    reason=data["reason"],
                    dated=data["dated"],
                    document_number=data["document_number"],
                    today=dates.today(),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The deadline is extended."))
                return self.back("#deadline")
        detail = CandidateDetailView(request=request, kwargs={"pk": pk})
        detail.candidate = self.candidate
        return render(
            request, detail.template_name, detail.get_context_data(extension_form=form), status=422
        )
