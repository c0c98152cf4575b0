"""A unit's nominee list for a class: the page, adding people (typed, picked, from Excel),
taking them off, submitting, and the Excel template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from candidates.people_xlsx import people_template_xlsx, read_people
from candidates.selectors import unit_category
from candidates.services import citizen_id_check, personal_data_download_record
from core.dates import dmy, today
from core.http import download
from units.selectors import unit_list, user_can_change, user_is_board, user_sees_personal_data

from ..choices import NominationStatus
from ..filters import NominationFilterSet
from ..forms import PersonForm, PickForm, UploadForm
from ..imports import nominee_list_import
from ..models import Nomination, TrainingClass
from ..rules import ListState, list_change_problem, list_state, quota_missing
from ..selectors import (
    class_get,
    class_places_taken,
    nomination_list,
    nominations_of,
    nominee_list_get,
    unit_round_bounds,
)
from ..services import (
    nomination_resubmit,
    nominee_add_new,
    nominee_list_open,
    nominee_list_submit,
    nominee_remove,
    nominees_add,
)
from ..tables import NominationTable


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# An action on the whole list (submit it; accept or return everyone) carries the list as the
# page showed it, signed, and is refused if the list changed since (docs/security.md, 4).
LIST_SALT = "ptdv.nominee-list"


def list_token(nominee_list, rows: list[Nomination]) -> str:
    state = list_state(nominee_list.status, ((n.candidate_id, n.status) for n in rows))
    return signing.dumps(state, salt=LIST_SALT)


def list_opened_as(request) -> ListState | None:
    """The list as the page that posted showed it; None for a page from before this check."""
    try:
        state = signing.loads(request.POST.get("opened_as", ""), salt=LIST_SALT)
    except signing.BadSignature:
        return None
    return state if isinstance(state, dict) else None


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

    @cached_property
    def personal(self) -> bool:
        """Whether the user sees the citizen IDs, phones and dates of birth of the unit's
        people (not the standing office)."""
        return user_sees_personal_data(user=self.request.user, unit=self.unit)

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

    def check_change(self) -> None:
        problem = self.change_problem()
        if problem:
            raise PermissionDenied(problem)

    def list_for_change(self):
        self.check_change()
        return self.nominee_list or nominee_list_open(
            actor=self.request.user, training_class=self.training_class, unit=self.unit
        )

    def list_url(self) -> str:
        return reverse("training:list_detail", args=[self.training_class.pk, self.unit.pk])


class NomineeListView(UnitListMixin, TemplateView):
    """A unit's list for a class: what the secretary builds, submits and reads back."""

    template_name = "training/list_detail.html"

    def get_table(self, rows: list[Nomination]) -> NominationTable:
        """The people on the list; the status filter narrows the table, not the counts."""
        if any(self.request.GET.get(name) for name in NominationFilterSet.base_filters):
            queryset = nomination_list(nominee_list=self.nominee_list)
            rows = list(NominationFilterSet(self.request.GET, queryset=queryset).qs)
        table = NominationTable(rows, personal=self.personal)
        RequestConfig(self.request, paginate=False).configure(table)
        return table

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
            table=self.get_table(rows) if nl else NominationTable([], personal=self.personal),
            opened_as=list_token(nl, rows) if nl else "",
            counted=len(on_list),
            bounds=bounds,
            missing=quota_missing(bounds, len(on_list)),
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
            places_taken=(
                class_places_taken(self.training_class) if self.training_class.capacity else None
            ),
        )
        return context


class NomineeAddView(UnitListMixin, TemplateView):
    """Add a new person typed in the browser."""

    template_name = "training/list_detail.html"

    def get(self, request, *args, **kwargs):
        """The forms post here; opened as a page (a bookmark, a reload after an error), the
        address leads back to the list instead of a broken page."""
        return redirect(self.list_url())

    def post(self, request, *args, **kwargs):
        self.check_change()
        form = PersonForm(request.POST, prefix="p", instance=None)
        form.instance.unit = self.unit
        form.instance.category = unit_category(self.unit) or "other"
        if form.is_valid():
            problem = citizen_id_check(actor=request.user, candidate=form.instance)
            if problem:
                form.add_error("citizen_id", problem)
        if form.is_valid():
            candidate = form.instance
            try:
                with transaction.atomic():
                    # The list is opened for this person: a refused add leaves none behind.
                    nl = self.list_for_change()
                    nominee_add_new(actor=request.user, nominee_list=nl, candidate=candidate)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
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
        self.check_change()
        queryset = self.unit.candidates.exclude(nominations__training_class=self.training_class)
        form = PickForm(request.POST, queryset=queryset, prefix="pick")
        if form.is_valid():
            picked = list(form.cleaned_data["candidates"])
            try:
                with transaction.atomic():  # a refused pick leaves no list behind either
                    nl = self.list_for_change()
                    nominees_add(actor=request.user, nominee_list=nl, candidates=picked)
            except ValidationError as exc:
                for error in exc.messages:
                    form.add_error(None, error)
            else:
                messages.success(
                    request, _("%(n)s people were added to the list.") % {"n": len(picked)}
                )
                return redirect(self.list_url())
        return self._render(pick_form=form)


class NomineeUploadView(NomineeAddView):
    """Add the people of an Excel file: all rows checked first, then all or nothing."""

    def post(self, request, *args, **kwargs):
        self.check_change()
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(upload_form=form)
        sheet = read_people(form.cleaned_data["file"].read())
        with transaction.atomic():
            # The list is opened for the file's people; a refused file leaves no list behind.
            nl = self.list_for_change()
            outcome = nominee_list_import(actor=request.user, nominee_list=nl, sheet=sheet)
            if not outcome.ok:
                transaction.set_rollback(True)
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


def _unit_list_view(request, pk, unit_pk) -> UnitListMixin:
    view = UnitListMixin()
    view.request, view.kwargs = request, {"pk": pk, "unit_pk": unit_pk}
    return view


@login_required
@require_POST
def nominee_remove_view(request, pk, unit_pk, nomination_pk):
    view = _unit_list_view(request, pk, unit_pk)
    nl = view.list_for_change()
    nomination = Nomination.objects.filter(pk=nomination_pk, nominee_list=nl).first()
    try:
        if nomination is None:  # taken off by someone else since the page was opened
            raise ValidationError(_("This person is no longer on the list: someone took them off."))
        nominee_remove(actor=request.user, nomination=nomination)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(name)s was taken off the list.") % {"name": nomination.candidate.full_name},
        )
    return redirect(view.list_url())


@login_required
@require_POST
def nominee_list_submit_view(request, pk, unit_pk):
    view = _unit_list_view(request, pk, unit_pk)
    nl = view.list_for_change()
    try:
        sent = nominee_list_submit(
            actor=request.user, nominee_list=nl, opened_as=list_opened_as(request)
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("The list was sent to the Organization Board (%(n)s people to review).")
            % {"n": sent},
        )
    return redirect(view.list_url())


@login_required
@require_POST
def nomination_resubmit_view(request, pk, unit_pk, nomination_pk):
    """Send one person the Board returned back for review, alone."""
    view = _unit_list_view(request, pk, unit_pk)
    nl = view.list_for_change()
    nomination = get_object_or_404(Nomination, pk=nomination_pk, nominee_list=nl)
    try:
        nomination_resubmit(actor=request.user, nomination=nomination)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(name)s was sent to the Organization Board again.")
            % {"name": nomination.candidate.full_name},
        )
    return redirect(view.list_url())


@login_required
def nominee_template_view(request, pk, unit_pk):
    """The Excel template, filled in with the unit, the class and the people on the list."""
    view = _unit_list_view(request, pk, unit_pk)
    if not view.personal:
        raise PermissionDenied(_("The template holds citizen IDs and phones of the people."))
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
            _("Deadline: %(day)s") % {"day": dmy(cls.nomination_deadline)},
        ],
        people=people,
    )
    if people:
        personal_data_download_record(
            actor=request.user,
            file="nominee_template",
            unit=unit,
            people=len(people),
            citizen_ids=sum(bool(p["citizen_id"]) for p in people),
            training_class=cls.pk,
        )
    stem = _("Nominees %(unit)s %(round)s") % {
        "unit": unit.short_name or unit.name,
        "round": cls.round.name,
    }
    return download(data, stem=stem, fmt="xlsx")
