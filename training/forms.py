import re
from datetime import date, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from candidates.rules import citizen_id_normalise, citizen_id_problems
from config.forms import BootstrapFormMixin
from quotas.forms import DATE_WIDGET, UnitChoiceField
from quotas.models import Round
from units.models import Unit

from .models import TrainingClass

UPLOAD_MAX_MB = 5


def parse_day_list(text: str) -> list[date]:
    """ "07/04/2024, 14/04/2024" (commas, semicolons, spaces or new lines between) → dates.
    Raises ``forms.ValidationError`` naming the first piece that is not a dd/mm/yyyy date."""
    days = []
    for piece in re.split(r"[\s,;]+", text.strip()):
        if not piece:
            continue
        try:
            days.append(
                datetime.strptime(piece.replace("-", "/").replace(".", "/"), "%d/%m/%Y").date()
            )
        except ValueError:
            raise forms.ValidationError(
                _("“%(value)s” is not a date; write the days as dd/mm/yyyy, separated by commas."),
                params={"value": piece},
            ) from None
    return sorted(set(days))


class ClassForm(BootstrapFormMixin, forms.ModelForm):
    """A class's particulars and the days of its sessions."""

    sessions = forms.CharField(
        label=_("Session days"),
        help_text=_("dd/mm/yyyy, separated by commas; Sunday classes are normal."),
        widget=forms.TextInput(attrs={"placeholder": "07/04/2024, 14/04/2024"}),
    )
    organiser = UnitChoiceField(queryset=Unit.objects.none(), label=_("organiser"))

    class Meta:
        model = TrainingClass
        fields = [
            "round",
            "name",
            "audience",
            "organiser",
            "venue",
            "capacity",
            "nomination_deadline",
            "status",
            "certificate_prefix",
            "note",
        ]
        widgets = {"nomination_deadline": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["round"].queryset = Round.objects.filter(plan=plan)
        self.fields["round"].empty_label = None
        self.fields["organiser"].queryset = units
        if self.instance.pk and not self.is_bound:
            self.initial["sessions"] = ", ".join(
                f"{s.dated:%d/%m/%Y}" for s in self.instance.sessions.all()
            )

    def clean_sessions(self) -> list[date]:
        days = parse_day_list(self.cleaned_data["sessions"])
        if not days:
            raise forms.ValidationError(_("A class has at least one session."))
        return days

    def clean(self):
        cleaned = super().clean()
        days, deadline = cleaned.get("sessions"), cleaned.get("nomination_deadline")
        if days and deadline and deadline > days[0]:
            self.add_error(
                "nomination_deadline",
                _("The deadline must not be after the first session (%(day)s).")
                % {"day": f"{days[0]:%d/%m/%Y}"},
            )
        return cleaned


class PersonForm(BootstrapFormMixin, forms.ModelForm):
    """A new person typed in on a nominee list."""

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
        if born and born >= date.today():
            self.add_error("date_of_birth", _("The date of birth must be in the past."))
        return cleaned


class PickForm(forms.Form):
    """Candidates of the unit already on file, to put on the list."""

    candidates = forms.ModelMultipleChoiceField(
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Candidates on file"),
        error_messages={"required": _("Tick at least one person.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = queryset
        self.fields["candidates"].label_from_instance = lambda c: (
            f"{c.full_name} · {c.date_of_birth:%d/%m/%Y}"
            + (f" · {c.school_class}" if c.school_class else "")
        )


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        error_messages={
            "required": _("Choose the Excel file of the list."),
            "empty": _("The file is empty."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; a list of people is much smaller."),
                params={"mb": UPLOAD_MAX_MB},
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _(
                    "Only Excel .xlsx files are accepted. In Excel, choose “Save As” → "
                    "“Excel Workbook (.xlsx)”."
                )
            )
        return upload


class ReturnForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Write the reason for returning, for the unit to read.")},
    )


class CertificateForm(BootstrapFormMixin, forms.Form):
    dated = forms.DateField(label=_("Certificate date"), widget=DATE_WIDGET)
