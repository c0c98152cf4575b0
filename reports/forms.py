"""The report page's two forms: what to report (read from the address, so a report can be
bookmarked and sent), and the letterhead typed once when a report is issued."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import today
from core.forms import DATE_WIDGET, BootstrapFormMixin
from quotas.selectors import plan_list
from units.forms import UnitChoiceField
from units.selectors import unit_list

from .figures import milestone_targets
from .kinds import PERIOD_DAY, PERIOD_MILESTONE, PERIOD_RANGE, PERIOD_YEARS, ReportKind
from .models import IssuedReport, ReportFormat
from .periods import preset_choices, preset_period
from .scope import Letterhead

MAX_YEARS = 20


class ReportParamsForm(BootstrapFormMixin, forms.Form):
    """Plan, unit and period of a report. Field names are the address's query parameters."""

    ke_hoach = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Plan"))
    don_vi = UnitChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Unit"),
        empty_label=gettext_lazy("All the units you see"),
    )
    ky = forms.ChoiceField(required=False, label=gettext_lazy("Period"))
    tu_ngay = forms.DateField(required=False, label=gettext_lazy("From"), widget=DATE_WIDGET)
    den_ngay = forms.DateField(required=False, label=gettext_lazy("To"), widget=DATE_WIDGET)
    moc = forms.ChoiceField(required=False, label=gettext_lazy("Milestone"))
    tu_nam = forms.IntegerField(required=False, label=gettext_lazy("From year"))
    den_nam = forms.IntegerField(required=False, label=gettext_lazy("To year"))

    def __init__(self, *args, user, kind: ReportKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        plans = plan_list(user=user)
        self.fields["ke_hoach"].queryset = plans
        self.fields["ke_hoach"].label_from_instance = lambda p: f"{p.number} ({p.year})"
        self.fields["don_vi"].queryset = unit_list(user=user)
        keep = {"ke_hoach", "don_vi"} | {
            PERIOD_RANGE: {"ky", "tu_ngay", "den_ngay"},
            PERIOD_DAY: {"den_ngay"},
            PERIOD_MILESTONE: {"moc"},
            PERIOD_YEARS: {"tu_nam", "den_nam"},
        }.get(kind.period, set())
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        plan = self._chosen_plan(plans)
        if "ky" in self.fields:
            self.fields["ky"].choices = preset_choices(plan.year if plan else today().year)
        if "den_ngay" in self.fields and kind.period == PERIOD_DAY:
            self.fields["den_ngay"].label = _("On the day")
        if "moc" in self.fields:
            self.fields["moc"].choices = [
                (f"{t.ends_on:%Y-%m-%d}", f"{t.name} ({t.ends_on:%d/%m/%Y})")
                for t in (milestone_targets(plan) if plan else [])
            ]

    def _chosen_plan(self, plans):
        raw = self.data.get("ke_hoach") if self.is_bound else self.initial.get("ke_hoach")
        try:
            return plans.get(pk=getattr(raw, "pk", raw))
        except (ValueError, TypeError, plans.model.DoesNotExist):
            return None

    def clean(self):
        data = super().clean()
        plan = data.get("ke_hoach")
        if plan is None:
            return data
        start, end = self._period(plan, data)
        if start and end and end < start:
            raise ValidationError(_("The end of the period is before its start."))
        if self.kind.period in (PERIOD_RANGE, PERIOD_DAY) and not (
            start.year == end.year == plan.year
        ):
            raise ValidationError(
                _("The period must lie within the plan's year, %(year)s.") % {"year": plan.year}
            )
        data["start"], data["end"] = start, end
        return data

    def _period(self, plan, data) -> tuple[date | None, date | None]:
        period = self.kind.period
        if period == PERIOD_RANGE:
            preset = data.get("ky")
            if preset and preset != "custom":
                return preset_period(preset, plan.year)
            start, end = data.get("tu_ngay"), data.get("den_ngay")
            if not start or not end:
                raise ValidationError(
                    _("Choose a period, or give both its first and its last day.")
                )
            return start, end
        if period == PERIOD_DAY:
            return date(plan.year, 1, 1), data.get("den_ngay") or min(
                today(), date(plan.year, 12, 31)
            )
        if period == PERIOD_MILESTONE:
            chosen = data.get("moc")
            if chosen:
                return date(plan.year, 1, 1), date.fromisoformat(chosen)
            return None, None
        if period == PERIOD_YEARS:
            first = data.get("tu_nam") or plan.year - 4
            last = data.get("den_nam") or plan.year
            if last < first:
                raise ValidationError(_("The last year is before the first."))
            if last - first >= MAX_YEARS:
                raise ValidationError(_("A summary covers at most %(n)s years.") % {"n": MAX_YEARS})
            if first < 1930 or last > today().year + 1:
                raise ValidationError(_("Give years between 1930 and next year."))
            return date(first, 1, 1), date(last, 12, 31)
        return None, None


class LetterheadForm(BootstrapFormMixin, forms.ModelForm):
    """The number, date, signer and recipients of a report being issued."""

    class Meta:
        model = IssuedReport
        fields = [
            "fmt",
            "number",
            "issued_on",
            "mandate",
            "signer_title",
            "signer_name",
            "recipients",
        ]
        widgets = {
            "issued_on": DATE_WIDGET,
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "number": gettext_lazy('As it will be written after "Số", e.g. 12-BC/HU.'),
            "recipients": gettext_lazy("One per line, as under “Nơi nhận”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fmt"].choices = ReportFormat.choices
        self.fields["fmt"].label = _("File to keep")
        for name in ("number", "issued_on", "signer_name"):
            self.fields[name].required = True

    def letterhead(self) -> Letterhead:
        data = self.cleaned_data
        return Letterhead(
            number=data["number"].strip(),
            issued_on=data["issued_on"],
            mandate=data["mandate"].strip(),
            signer_title=data["signer_title"].strip(),
            signer_name=data["signer_name"].strip(),
            recipients=tuple(
                line.strip() for line in data["recipients"].splitlines() if line.strip()
            ),
        )


def default_issue_day(end: date) -> date:
    return min(today(), end + timedelta(days=20))
