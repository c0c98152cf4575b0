import re
from datetime import date, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.forms import PersonForm, UploadForm  # noqa: F401 - shared with the candidates
from candidates.models import Candidate
from core.dates import DMY, dmy
from core.forms import DATE_WIDGET, BootstrapFormMixin, ConcurrentEditMixin
from quotas.models import Round
from units.forms import UnitChoiceField
from units.models import Unit

from .models import TrainingClass
from .rules import sessions_outside_round


def parse_day_list(text: str) -> list[date]:
    """ "07/04/2024, 14/04/2024" (commas, semicolons, spaces or new lines between) → dates.
    Raises ``forms.ValidationError`` naming the first piece that is not a dd/mm/yyyy date."""
    days = []
    for piece in re.split(r"[\s,;]+", text.strip()):
        if not piece:
            continue
        try:
            days.append(datetime.strptime(piece.replace("-", "/").replace(".", "/"), DMY).date())
        except ValueError:
            raise forms.ValidationError(
                _("“%(value)s” is not a date; write the days as dd/mm/yyyy, separated by commas."),
                params={"value": piece},
            ) from None
    return sorted(set(days))


class ClassForm(ConcurrentEditMixin, BootstrapFormMixin, forms.ModelForm):
    """A class's particulars and the days of its sessions."""

    sessions = forms.CharField(
        label=_("Session days"),
        help_text=_("dd/mm/yyyy, separated by commas; Sunday classes are normal."),
        widget=forms.TextInput(attrs={"placeholder": "07/04/2024, 14/04/2024"}),
    )
    organiser = UnitChoiceField(queryset=Unit.objects.none(), label=_("organiser"))
    # Shown only when a session falls outside the round's period (``clean``).
    outside_round = forms.BooleanField(
        required=False,
        label=_("Hold the class on these days, outside its round's period"),
        widget=forms.HiddenInput,
    )

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
            self.initial["sessions"] = ", ".join(dmy(s.dated) for s in self.instance.sessions.all())

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
                % {"day": dmy(days[0])},
            )
        self._check_round(days, cleaned.get("round"), cleaned.get("outside_round"))
        return cleaned

    def _check_round(self, days, round_, confirmed: bool) -> None:
        """A class keeps to its round's period unless the Board ticks that it means it."""
        if not days or round_ is None:
            return
        outside = sessions_outside_round(
            days=days, starts_on=round_.starts_on, ends_on=round_.ends_on
        )
        if not outside:
            return
        field = self.fields["outside_round"]
        field.widget = forms.CheckboxInput()
        if not confirmed:
            self.add_error(
                "sessions",
                _(
                    "%(days)s: outside %(round)s (%(start)s–%(end)s). Correct the days, or "
                    "tick the box below to hold the class then."
                )
                % {
                    "days": ", ".join(dmy(day) for day in outside),
                    "round": round_.name,
                    "start": dmy(round_.starts_on),
                    "end": dmy(round_.ends_on),
                },
            )


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
            f"{c.full_name} · {dmy(c.date_of_birth)}"
            + (f" · {c.school_class}" if c.school_class else "")
        )


class ReturnForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": _("Write the reason for returning, for the unit to read.")},
    )


class CertificateForm(BootstrapFormMixin, forms.Form):
    dated = forms.DateField(label=_("Certificate date"), widget=DATE_WIDGET)
