"""Forms of the candidate pages: the person, a step, several at once, a transfer, the
introducers, the mentors and their comments, and the file's papers. The list's filters are
``filters.CandidateFilterSet``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import dates
from core.dates import dmy
from core.forms import DATE_WIDGET, BootstrapFormMixin, ConcurrentEditMixin
from core.text import mask_digits
from documents.spreadsheets import ACCEPT as SPREADSHEET_ACCEPT
from documents.spreadsheets import EXTENSIONS as SPREADSHEET_EXTENSIONS
from units.forms import UnitChoiceField
from units.models import Unit

from .choices import DocumentKind, Stage
from .models import Candidate, Introducer, Mentor
from .rules import citizen_id_normalise, citizen_id_problems

UPLOAD_MAX_MB = 5
DOCUMENT_NUMBER_WIDGET = forms.TextInput(attrs={"placeholder": _("e.g. 12-NQ/CB")})


class PersonForm(BootstrapFormMixin, forms.ModelForm):
    """A person typed in: on a nominee list, or a new candidate."""

    # Typed with spaces or dots as on the card ("024 206 000 123"); checked in clean().
    citizen_id = forms.CharField(
        label=_("citizen ID (CCCD)"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Candidate
        fields = [
            "family_name",
            "given_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "citizen_id",
            "phone",
            "school_class",
            "youth_union_member",
            "trade_union_member",
        ]
        widgets = {"date_of_birth": DATE_WIDGET}

    def validate_unique(self):
        """Everything but the citizen ID: a number on file is checked by the view
        (``services.citizen_id_check``), which says nothing of a record the user cannot
        see and alerts the Board."""
        exclude = {*self._get_validation_exclusions(), "citizen_id"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)

    def clean_citizen_id(self):
        value = citizen_id_normalise(self.cleaned_data.get("citizen_id"))
        if value and not value.isdigit():
            raise forms.ValidationError(_("A citizen ID has exactly 12 digits."))
        return value or None

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("citizen_id")
        if value and "citizen_id" not in self.errors:
            for problem in citizen_id_problems(
                value, born=cleaned.get("date_of_birth"), sex=cleaned.get("sex") or ""
            ):
                self.add_error("citizen_id", problem)
        born = cleaned.get("date_of_birth")
        if born and born >= dates.today():
            self.add_error("date_of_birth", _("The date of birth must be in the past."))
        return cleaned


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file (.xlsx, .xls or .ods)"),
        error_messages={
            "required": _("Choose the Excel file of the list."),
            "empty": _("The file is empty."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": SPREADSHEET_ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; a list of people is much smaller."),
                params={"mb": UPLOAD_MAX_MB},
            )
        if not upload.name.lower().endswith(SPREADSHEET_EXTENSIONS):
            raise forms.ValidationError(
                _(
                    "Only spreadsheet files are accepted: Excel (.xlsx, .xls) or LibreOffice "
                    "(.ods). In Excel, choose “Save As” → “Excel Workbook (.xlsx)”."
                )
            )
        return upload


class CandidateForm(ConcurrentEditMixin, PersonForm):
    """Everything about a candidate a cell types in (the stage comes from the steps)."""

    class Meta(PersonForm.Meta):
        fields = [
            "unit",
            "family_name",
            "given_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "religion",
            "citizen_id",
            "phone",
            "category",
            "school_class",
            "graduation_year",
            "education",
            "youth_union_member",
            "trade_union_member",
            "union_resolution",
            "planned_resolution_on",
        ]
        widgets = {"date_of_birth": DATE_WIDGET, "planned_resolution_on": DATE_WIDGET}
        field_classes = {"unit": UnitChoiceField}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.kept_citizen_id = self.instance.citizen_id if self.instance.pk else None
        if self.kept_citizen_id:
            # The number on file is not sent to the browser again (docs/personal-data.md):
            # its last digits show, an empty box keeps it, a number typed replaces it.
            self.initial["citizen_id"] = ""
            field = self.fields["citizen_id"]
            field.widget.attrs["placeholder"] = mask_digits(self.kept_citizen_id)
            field.help_text = _("Leave it empty to keep the number on file.")
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
            self.fields["unit"].empty_label = None
        if self.instance.pk:
            # A candidate changes unit by a transfer, which keeps the history.
            self.fields["unit"].disabled = True
            self.fields["unit"].help_text = _("Use “Transfer to another unit” to move them.")

    def clean_citizen_id(self):
        return super().clean_citizen_id() or self.kept_citizen_id


class StepForm(BootstrapFormMixin, forms.Form):
    """One step for one candidate, or the same step for several."""

    stage = forms.ChoiceField(label=_("Step"), choices=Stage.choices)
    dated = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    document_number = forms.CharField(
        label=_("Document number"), required=False, max_length=60, widget=DOCUMENT_NUMBER_WIDGET
    )
    votes_for = forms.IntegerField(
        label=_("Votes in favour"),
        required=False,
        min_value=0,
        max_value=999,
        help_text=_("For a cell resolution."),
    )
    full_members = forms.IntegerField(
        label=_("Full members of the cell"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("All the cell's full members, present or not."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing chosen beforehand: a side exit (withdrawn) must never be one click away.
        self.fields["stage"].choices = [
            ("", _("— choose the step —")),
            *((s, Stage(s).label) for s in stages),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stage") == Stage.CELL_RESOLUTION:
            for name in ("votes_for", "full_members"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Needed for a cell resolution."))
        return cleaned


class CertifyForm(BootstrapFormMixin, forms.Form):
    """A certificate from a class before the app or elsewhere."""

    id_prefix = "certify"  # beside the step form on the candidate's page

    number = forms.CharField(label=_("Certificate number"), max_length=40)
    dated = forms.DateField(label=_("Certificate date"), widget=DATE_WIDGET)


def _candidate_label(c: Candidate) -> str:
    return " · ".join(
        part
        for part in (
            c.full_name,
            dmy(c.date_of_birth),
            c.school_class,
            str(c.get_stage_display()),
        )
        if part
    )


class PickCandidatesMixin(forms.Form):
    """Tick boxes for several candidates, chosen among ``queryset``."""

    candidates = forms.ModelMultipleChoiceField(
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Candidates"),
        error_messages={"required": _("Tick at least one candidate.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = queryset
        self.fields["candidates"].label_from_instance = _candidate_label


class ManyStepForm(PickCandidatesMixin, StepForm):
    field_order = [*StepForm.base_fields, "candidates"]


class AdmissionDecisionForm(PickCandidatesMixin, BootstrapFormMixin, forms.Form):
    document_number = forms.CharField(
        label=_("Decision number"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 1234-QĐ/HU")}),
    )
    dated = forms.DateField(label=_("Decision date"), widget=DATE_WIDGET)


class TransferForm(BootstrapFormMixin, forms.Form):
    to_unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("New unit"))
    dated = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=60)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. graduated, now works at the new unit."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class IntroducerForm(BootstrapFormMixin, forms.ModelForm):
    id_prefix = "introducer"  # beside the step form on the candidate's page

    class Meta:
        model = Introducer
        fields = ["name", "full_member", "unit_name", "since"]
        widgets = {"since": DATE_WIDGET}


class MentorForm(BootstrapFormMixin, forms.ModelForm):
    """A full member the cell assigns to help the candidate or the probationary member."""

    id_prefix = "mentor"  # beside the step form on the candidate's page

    class Meta:
        model = Mentor
        fields = ["name", "unit_name", "phase", "assigned_on"]
        widgets = {"assigned_on": DATE_WIDGET}
        help_texts = {
            "phase": _(
                "From the ceremony the cell assigns a full member to help the probationary "
                "member (06-HD/TW 3.8c). A replacement for a mentor who moved is added here "
                "and the old one ended (06-HD/TW 3.10); the 12-month rule for introducers "
                "does not apply to them (294-QĐ/TW 3.2.2)."
            )
        }


class MentorEndForm(BootstrapFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("ended on"), widget=DATE_WIDGET)


class MentorCommentForm(BootstrapFormMixin, forms.Form):
    """A mentor's dated comment. The app asks for one about once a quarter: its own
    practice, not a rule."""

    id_prefix = "comment"  # beside the step form on the candidate's page

    mentor = forms.ModelChoiceField(label=_("mentor"), queryset=Mentor.objects.none())
    dated = forms.DateField(label=_("date"), widget=DATE_WIDGET)
    text = forms.CharField(
        label=_("comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "About once a quarter (the app's practice, not a rule). Before the cell considers "
            "recognition, the probationary member's mentor gives their written assessment "
            "(06-HD/TW 4.3)."
        ),
    )

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        mentors = candidate.mentors.filter(ended_on__isnull=True)
        self.fields["mentor"].queryset = mentors
        self.fields["mentor"].label_from_instance = lambda m: f"{m.name} · {m.get_phase_display()}"


class DocumentsForm(BootstrapFormMixin, forms.Form):
    """The file's papers: a date (and a number) for each one on file; an empty date takes
    it off."""

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        have = {d.kind: d for d in candidate.documents.all()}
        self.kinds = list(DocumentKind)
        for kind in self.kinds:
            doc = have.get(kind)
            self.fields[f"{kind}_dated"] = forms.DateField(
                label=kind.label,
                required=False,
                widget=DATE_WIDGET,
                initial=doc.dated if doc else None,
            )
            self.fields[f"{kind}_number"] = forms.CharField(
                label=_("Number"),
                required=False,
                max_length=60,
                initial=doc.number if doc else "",
            )

    def rows(self):
        return [(self[f"{kind}_dated"], self[f"{kind}_number"]) for kind in self.kinds]

    def clean(self):
        cleaned = super().clean()
        today = dates.today()
        for kind in self.kinds:
            dated = cleaned.get(f"{kind}_dated")
            if dated and dated > today:
                self.add_error(f"{kind}_dated", _("The date is in the future."))
        return cleaned


class ExtensionForm(BootstrapFormMixin, forms.Form):
    """The deciding committee extends the admission decision's deadline (294-QĐ/TW 4.3.1)."""

    working_days = forms.IntegerField(label=_("Working days added"), min_value=1, max_value=60)
    dated = forms.DateField(label=_("Date of the extension"), widget=DATE_WIDGET)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    reason = forms.CharField(
        label=_("Reason (special case)"), widget=forms.Textarea(attrs={"rows": 2})
    )
