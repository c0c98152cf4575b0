"""A unit's candidates imported from Excel by its secretary (or committee, or the Board).

Two steps: the upload is read and every row checked — the full list of problems, nothing
saved; or a preview (who is new, who is updated) with a button to confirm. The file waits in
the session between the two steps, so nobody uploads it twice; on confirm it is checked
again (the data may have changed) and written all at once or not at all.
"""

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from core import dates
from core.http import download
from units.forms import UnitChoiceField
from units.models import Unit

from ..forms import UploadForm
from ..imports import ROW_FIELDS, candidate_import, column_header, import_counts, import_units
from ..people_xlsx import CANDIDATE_COLUMNS, people_template_xlsx, read_people
from ..services import personal_data_download_record

SESSION_KEY = "candidate_import"
MAX_PENDING_MB = 2  # the file waits in the session between checking and confirming
UNIT_PARAM = "don_vi"


class ImportForm(UploadForm):
    unit = UnitChoiceField(
        label=gettext_lazy("Unit"),
        queryset=Unit.objects.none(),
        error_messages={"required": gettext_lazy("Choose the unit whose candidates these are.")},
    )

    field_order = ["unit", "file"]

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
            self.fields["unit"].empty_label = None

    def clean_file(self):
        upload = super().clean_file()
        if upload.size > MAX_PENDING_MB * 1024 * 1024:
            raise forms.ValidationError(
                _(
                    "The file is larger than %(mb)s MB; a list of people is much smaller. "
                    "Delete the pictures and the other sheets, or split the list into two files."
                )
                % {"mb": MAX_PENDING_MB}
            )
        return upload


def _token(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def _unit_from(units: list[Unit], pk) -> Unit | None:
    return next((u for u in units if str(u.pk) == str(pk)), None)


class CandidateImportView(LoginRequiredMixin, TemplateView):
    """Upload → every row checked → the problems, or a preview → confirm → all written."""

    template_name = "candidates/import.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.units = import_units(user=request.user)
        if not self.units:
            raise PermissionDenied(_("You may not import candidates."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form")
        if form is None:
            unit = _unit_from(self.units, self.request.GET.get(UNIT_PARAM))
            form = ImportForm(units=self.units, initial={"unit": unit.pk} if unit else None)
        context.update(
            form=form,
            units=self.units,
            only_unit=self.units[0] if len(self.units) == 1 else None,
            unit_param=UNIT_PARAM,
            max_mb=MAX_PENDING_MB,
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "check")
        if action == "cancel":
            request.session.pop(SESSION_KEY, None)
            messages.info(request, _("The file was not imported; nothing was saved."))
            return redirect(reverse("candidates:candidate_import"))
        if action == "confirm":
            return self._confirm(request)
        return self._check(request)

    def _check(self, request):
        request.session.pop(SESSION_KEY, None)
        chosen = request.POST.get("unit")
        if chosen and _unit_from(self.units, chosen) is None:
            raise PermissionDenied(_("You may not change this unit's candidates."))
        form = ImportForm(request.POST, request.FILES, units=self.units)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        unit, upload = form.cleaned_data["unit"], form.cleaned_data["file"]
        data = upload.read()
        sheet = read_people(data)
        outcome = candidate_import(actor=request.user, sheet=sheet, unit=unit)
        context = self.get_context_data(form=form, unit=unit, file_name=upload.name)
        if not outcome.ok:
            context["import_errors"] = outcome.errors
            return self.render_to_response(context, status=400)
        token = _token(data)
        request.session[SESSION_KEY] = {
            "unit": unit.pk,
            "name": upload.name,
            "data": base64.b64encode(data).decode("ascii"),
            "token": token,
        }
        context.update(
            outcome=outcome,
            token=token,
            preview=[
                (item, [column_header(sheet, name) for name in item.changes])
                for item in outcome.plan
            ],
        )
        return self.render_to_response(context)

    def _confirm(self, request):
        pending = request.session.get(SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("token"):
            messages.error(
                request,
                _(
                    "There is no checked file to import (it was imported or cancelled, or the "
                    "session ended). Upload the file again."
                ),
            )
            return redirect(reverse("candidates:candidate_import"))
        unit = _unit_from(self.units, pending["unit"])
        if unit is None:
            request.session.pop(SESSION_KEY, None)
            raise PermissionDenied(_("You may not change this unit's candidates."))
        sheet = read_people(base64.b64decode(pending["data"]))
        outcome = candidate_import(actor=request.user, sheet=sheet, unit=unit, write=True)
        request.session.pop(SESSION_KEY, None)
        if not outcome.written:
            context = self.get_context_data(
                form=ImportForm(units=self.units, initial={"unit": unit.pk}),
                unit=unit,
                file_name=pending["name"],
                import_errors=outcome.errors,
                changed_meanwhile=True,
            )
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            _("%(file)s was imported into %(unit)s: %(counts)s.")
            % {"file": pending["name"], "unit": unit.name, "counts": import_counts(outcome)},
        )
        return redirect(reverse("candidates:candidate_list"))


@require_safe
@login_required
def candidate_import_template(request):
    """The Excel template: the unit (``?don_vi=pk``) in the title line and its candidates
    filled in, to edit and upload again."""
    units = import_units(user=request.user)
    if not units:
        raise PermissionDenied(_("You may not import candidates."))
    unit = _unit_from(units, request.GET.get(UNIT_PARAM))
    if unit is None and request.GET.get(UNIT_PARAM):
        raise Http404
    unit = unit or (units[0] if len(units) == 1 else None)
    people = []
    lines = [_("Downloaded on %(day)s") % {"day": dates.dmy(dates.today())}]
    if unit is not None:
        lines.insert(0, _("Unit: %(name)s") % {"name": unit.name})
        people = [
            {name: getattr(c, name) for name in (*ROW_FIELDS, "category")}
            for c in unit.candidates.order_by("sort_key", "date_of_birth", "pk")
        ]
    lines.append(
        _(
            "Correct the rows or add people, then upload the file again; people are matched "
            "by citizen ID, so nobody is added twice."
        )
    )
    data = people_template_xlsx(
        title=_("LIST OF CANDIDATES FOR PARTY MEMBERSHIP"),
        lines=lines,
        people=people,
        extra_columns=CANDIDATE_COLUMNS,
    )
    if people:
        personal_data_download_record(
            actor=request.user,
            file="candidate_template",
            unit=unit,
            people=len(people),
            citizen_ids=sum(bool(p["citizen_id"]) for p in people),
        )
    stem = _("Candidates %(unit)s") % {"unit": unit.short_name or unit.name} if unit else ""
    return download(data, stem=stem or _("Candidates"), fmt="xlsx")
