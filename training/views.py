"""Awareness classes: the class pages, a unit's nominee list, the Board's review, attendance
and results, and the roster / results downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, TemplateView

from candidates.people_xlsx import people_template_xlsx, read_people
from candidates.selectors import candidate_same_person, unit_category
from candidates.services import candidate_save
from core.dates import today
from core.http import download
from quotas.selectors import plan_get
from units.access import BoardRequiredMixin
from units.selectors import unit_list, user_can_change, user_is_board

from .choices import ClassStatus, NominationStatus, Result
from .forms import CertificateForm, ClassForm, PersonForm, PickForm, ReturnForm, UploadForm
from .imports import nominee_list_import
from .models import Nomination, TrainingClass
from .rules import list_change_problem
from .selectors import (
    class_get,
    class_list,
    class_lists,
    class_roster,
    nominating_units,
    nominations_of,
    nominee_list_get,
    round_progress,
    unit_round_bounds,
)
from .services import (
    attendance_set,
    certificates_issue,
    class_save,
    nominations_review,
    nominee_add,
    nominee_list_open,
    nominee_list_return,
    nominee_list_submit,
    nominee_remove,
    results_set,
)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- classes ----------------------------------------------------------------------------


class ClassListView(LoginRequiredMixin, ListView):
    template_name = "training/class_list.html"
    context_object_name = "classes"

    def get_queryset(self):
        return class_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["is_board"] = user_is_board(user=user)
        for cls in context["classes"]:
            cls.my_units = nominating_units(user=user, training_class=cls)
        return context


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
            )
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
    template_name = "training/class_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        cls = class_get(user=user, pk=self.kwargs["pk"])
        lists = class_lists(user=user, training_class=cls)
        by_unit = {nl.unit_id: nl for nl in lists}
        mine = nominating_units(user=user, training_class=cls)
        context.update(
            cls=cls,
            sessions=list(cls.sessions.all()),
            is_board=user_is_board(user=user),
            lists=lists,
            my_lists=[(u, by_unit.get(u.pk)) for u in mine],
            progress=round_progress(user=user, round_=cls.round),
            roster_count=len(class_roster(user=user, training_class=cls)),
        )
        return context


# --- a unit's list ---------------------------------------------------------------------------


class UnitListMixin(LoginRequiredMixin):
    """The class and the unit from the URL, both in the user's scope."""

    @cached_property
    def training_class(self) -> TrainingClass:
        return class_get(user=self.request.user, pk=self.kwargs["pk"])

    @cached_property
    def unit(self):
        return get_object_or_404(unit_list(user=self.request.user), pk=self.kwargs["unit_pk"])

    @cached_property
    def nominee_list(self):
        return nominee_list_get(
            user=self.request.user, training_class=self.training_class, unit_pk=self.unit.pk
        )

    def change_problem(self) -> str | None:
        user = self.request.user
        if not user_can_change(user=user, unit=self.unit):
            return _("You can read this list but not change it.")
        return list_change_problem(
            today=today(),
            deadline=self.training_class.nomination_deadline,
            class_status=self.training_class.status,
            is_board=user_is_board(user=user),
        )

    def list_for_change(self):
        problem = self.change_problem()
        if problem:
            raise PermissionDenied(problem)
        return self.nominee_list or nominee_list_open(
            actor=self.request.user, training_class=self.training_class, unit=self.unit
        )

    def list_url(self) -> str:
        return reverse("training:list_detail", args=[self.training_class.pk, self.unit.pk])


class NomineeListView(UnitListMixin, TemplateView):
    """A unit's list for a class: what the secretary builds, submits and reads back."""

    template_name = "training/list_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nl = self.nominee_list
        rows = nominations_of(nl) if nl else []
        on_list = [n for n in rows if n.status != NominationStatus.RETURNED]
        on_file = (
            self.unit.candidates.exclude(nominations__training_class=self.training_class)
            .exclude(certificate_date__isnull=False)
            .order_by("sort_key")
        )
        bounds = unit_round_bounds(unit=self.unit, round_=self.training_class.round)
        context.update(
            cls=self.training_class,
            unit=self.unit,
            nominee_list=nl,
            rows=rows,
            counted=len(on_list),
            bounds=bounds,
            missing=max(0, (bounds[0] or 0) - len(on_list)) if bounds else 0,
            change_problem=self.change_problem(),
            is_board=user_is_board(user=self.request.user),
            returned=[n for n in rows if n.status == NominationStatus.RETURNED],
            unsent=sum(
                n.status in (NominationStatus.DRAFT, NominationStatus.RETURNED) for n in rows
            ),
            person_form=kwargs.get("person_form") or PersonForm(prefix="p"),
            pick_form=kwargs.get("pick_form") or PickForm(queryset=on_file, prefix="pick"),
            upload_form=kwargs.get("upload_form") or UploadForm(),
            import_errors=kwargs.get("import_errors"),
            has_on_file=on_file.exists(),
        )
        return context


class NomineeAddView(UnitListMixin, TemplateView):
    """Add a new person typed in the browser."""

    template_name = "training/list_detail.html"

    def post(self, request, *args, **kwargs):
        nl = self.list_for_change()
        form = PersonForm(request.POST, prefix="p", instance=None)
        form.instance.unit = self.unit
        form.instance.category = unit_category(self.unit) or "other"
        if form.is_valid():
            data = form.cleaned_data
            same = candidate_same_person(
                citizen_id=None,
                name=f"{data['family_name']} {data['given_name']}",
                born=data["date_of_birth"],
            ).filter(unit=self.unit)
            if same.exists():
                form.add_error(
                    None,
                    _(
                        "%(name)s, born %(born)s, is already on file at your unit: tick them "
                        "under “Choose from the unit's candidates”."
                    )
                    % {"name": same[0].full_name, "born": f"{same[0].date_of_birth:%d/%m/%Y}"},
                )
        if form.is_valid():
            try:
                with transaction.atomic():
                    candidate = candidate_save(actor=request.user, candidate=form.instance)
                    nominee_add(actor=request.user, nominee_list=nl, candidate=candidate)
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(
                    request, _("%(name)s was added to the list.") % {"name": candidate.full_name}
                )
                return redirect(self.list_url())
        return self._render(person_form=form)

    def _render(self, **forms):
        view = NomineeListView()
        view.setup(self.request, **self.kwargs)
        context = view.get_context_data(**forms)
        context["open_panel"] = next(iter(forms))
        return render(self.request, "training/list_detail.html", context, status=400)


class NomineePickView(NomineeAddView):
    """Put candidates already on file on the list."""

    def post(self, request, *args, **kwargs):
        nl = self.list_for_change()
        queryset = self.unit.candidates.exclude(nominations__training_class=self.training_class)
        form = PickForm(request.POST, queryset=queryset, prefix="pick")
        if form.is_valid():
            errors = []
            with transaction.atomic():
                for candidate in form.cleaned_data["candidates"]:
                    try:
                        with transaction.atomic():
                            nominee_add(actor=request.user, nominee_list=nl, candidate=candidate)
                    except ValidationError as exc:
                        errors.append(f"{candidate.full_name}: {_errors(exc)}")
                if errors:
                    transaction.set_rollback(True)
            if not errors:
                messages.success(
                    request,
                    _("%(n)s people were added to the list.")
                    % {"n": len(form.cleaned_data["candidates"])},
                )
                return redirect(self.list_url())
            for error in errors:
                form.add_error(None, error)
        return self._render(pick_form=form)


class NomineeUploadView(NomineeAddView):
    """Add the people of an Excel file: all rows checked first, then all or nothing."""

    def post(self, request, *args, **kwargs):
        nl = self.list_for_change()
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(upload_form=form)
        sheet = read_people(form.cleaned_data["file"].read())
        outcome = nominee_list_import(actor=request.user, nominee_list=nl, sheet=sheet)
        if not outcome.ok:
            view = NomineeListView()
            view.setup(request, **self.kwargs)
            context = view.get_context_data(upload_form=form, import_errors=outcome.errors)
            context["open_panel"] = "upload_form"
            context["upload_name"] = form.cleaned_data["file"].name
            return render(request, "training/list_detail.html", context, status=400)
        text = _("%(added)s people from the file were added to the list.") % {
            "added": outcome.added
        }
        if outcome.already:
            text += " " + _("%(n)s were already on it (their details were updated).") % {
                "n": outcome.already
            }
        messages.success(request, text)
        return redirect(self.list_url())


@login_required
@require_POST
def nominee_remove_view(request, pk, unit_pk, nomination_pk):
    view = UnitListMixin()
    view.request, view.kwargs = request, {"pk": pk, "unit_pk": unit_pk}
    nl = view.list_for_change()
    nomination = get_object_or_404(Nomination, pk=nomination_pk, nominee_list=nl)
    try:
        nominee_remove(actor=request.user, nomination=nomination)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("%(name)s was taken off the list.") % {"name": nomination.candidate.full_name},
        )
    return redirect(view.list_url())


@login_required
@require_POST
def nominee_list_submit_view(request, pk, unit_pk):
    view = UnitListMixin()
    view.request, view.kwargs = request, {"pk": pk, "unit_pk": unit_pk}
    nl = view.list_for_change()
    try:
        sent = nominee_list_submit(actor=request.user, nominee_list=nl)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("The list was sent to the Organization Board (%(n)s people to review).")
            % {"n": sent},
        )
    return redirect(view.list_url())


@login_required
def nominee_template_view(request, pk, unit_pk):
    """The Excel template, filled in with the unit, the class and the people on the list."""
    view = UnitListMixin()
    view.request, view.kwargs = request, {"pk": pk, "unit_pk": unit_pk}
    cls, unit, nl = view.training_class, view.unit, view.nominee_list
    people = []
    for n in nominations_of(nl) if nl else []:
        c = n.candidate
        people.append(
            {
                "family_name": c.family_name,
                "given_name": c.given_name,
                "date_of_birth": c.date_of_birth,
                "sex": c.get_sex_display(),
                "ethnicity": c.ethnicity,
                "religion": c.religion,
                "citizen_id": c.citizen_id or "",
                "phone": c.phone,
                "school_class": c.school_class,
                "youth_union_member": c.youth_union_member,
                "trade_union_member": c.trade_union_member,
            }
        )
    data = people_template_xlsx(
        title=_("LIST OF NOMINEES FOR THE PARTY-AWARENESS CLASS").upper(),
        lines=[
            _("Unit: %(name)s") % {"name": unit.name},
            _("Class: %(name)s") % {"name": cls.name},
            _("Deadline: %(day)s") % {"day": f"{cls.nomination_deadline:%d/%m/%Y}"},
        ],
        people=people,
    )
    stem = _("Nominees %(unit)s %(round)s") % {
        "unit": unit.short_name or unit.name,
        "round": cls.round.name,
    }
    return download(data, stem=stem, fmt="xlsx")


# --- the Board's review ------------------------------------------------------------------------


class ReviewView(BoardRequiredMixin, UnitListMixin, TemplateView):
    template_name = "training/list_review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nl = self.nominee_list
        if nl is None:
            raise Http404
        rows = nominations_of(nl)
        context.update(
            cls=self.training_class,
            unit=self.unit,
            nominee_list=nl,
            rows=rows,
            bounds=unit_round_bounds(unit=self.unit, round_=self.training_class.round),
            accepted=sum(n.status == NominationStatus.ACCEPTED for n in rows),
            pending=sum(n.status == NominationStatus.PENDING for n in rows),
            return_form=kwargs.get("return_form") or ReturnForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        nl = self.nominee_list
        if nl is None:
            raise Http404
        action = request.POST.get("action")
        ids = [int(i) for i in request.POST.getlist("nomination") if i.isdigit()]
        chosen = list(nl.nominations.filter(pk__in=ids).select_related("candidate"))
        form = ReturnForm(request.POST) if action in ("return", "return_list") else None
        try:
            if action == "accept_all":
                pending = list(nl.nominations.filter(status=NominationStatus.PENDING))
                done = nominations_review(actor=request.user, nominations=pending, accept=True)
                messages.success(request, _("%(n)s people were accepted.") % {"n": done})
            elif action == "accept":
                if not chosen:
                    raise ValidationError(_("Tick the people first."))
                done = nominations_review(actor=request.user, nominations=chosen, accept=True)
                messages.success(request, _("%(n)s people were accepted.") % {"n": done})
            elif action in ("return", "return_list"):
                if not form.is_valid():
                    context = self.get_context_data(return_form=form)
                    return self.render_to_response(context, status=400)
                reason = form.cleaned_data["reason"]
                if action == "return_list":
                    done = nominee_list_return(actor=request.user, nominee_list=nl, reason=reason)
                else:
                    if not chosen:
                        raise ValidationError(_("Tick the people to return first."))
                    done = nominations_review(
                        actor=request.user, nominations=chosen, accept=False, reason=reason
                    )
                messages.success(
                    request,
                    _("%(n)s people were returned to the unit with the reason.") % {"n": done},
                )
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect(reverse("training:list_review", args=[nl.training_class_id, nl.unit_id]))


# --- attendance, results, certificates -------------------------------------------------------


class AttendanceView(BoardRequiredMixin, TemplateView):
    template_name = "training/attendance.html"

    @cached_property
    def training_class(self):
        return class_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cls = self.training_class
        sessions = list(cls.sessions.all())
        roster = class_roster(user=self.request.user, training_class=cls)
        for n in roster:
            here = {a.session_id for a in n.attendance.all() if a.present}
            n.cells = [(s, s.pk in here) for s in sessions]
        context.update(
            cls=cls,
            sessions=sessions,
            roster=roster,
            results=Result.choices,
            certificate_form=kwargs.get("certificate_form")
            or CertificateForm(initial={"dated": cls.last_day}),
            passed_without=sum(
                1 for n in roster if n.result == Result.PASSED and not n.certificate_number
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        cls = self.training_class
        if request.POST.get("action") == "certificates":
            form = CertificateForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(
                    self.get_context_data(certificate_form=form), status=400
                )
            try:
                issued = certificates_issue(
                    actor=request.user, training_class=cls, dated=form.cleaned_data["dated"]
                )
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("%(n)s certificates were issued.") % {"n": issued})
            return redirect(reverse("training:attendance", args=[cls.pk]))
        roster = class_roster(user=request.user, training_class=cls)
        sessions = list(cls.sessions.all())
        present = {
            s.pk: [n.pk for n in roster if request.POST.get(f"present-{s.pk}-{n.pk}")]
            for s in sessions
        }
        results = {
            n.pk: request.POST.get(f"result-{n.pk}", "")
            for n in roster
            if f"result-{n.pk}" in request.POST
        }
        try:
            with transaction.atomic():
                attendance_set(actor=request.user, training_class=cls, present=present)
                results_set(actor=request.user, training_class=cls, results=results)
                if cls.status in (ClassStatus.PLANNED, ClassStatus.OPEN):
                    cls.status = ClassStatus.IN_PROGRESS
                    cls.save(update_fields=["status"])
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Attendance and results were saved."))
        return redirect(reverse("training:attendance", args=[cls.pk]))
