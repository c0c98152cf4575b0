from datetime import date

from django import forms
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core import dates
from core.forms import DATE_WIDGET, BootstrapFormMixin, ConcurrentEditMixin, StoredFileInput
from documents.spreadsheets import ACCEPT as SPREADSHEET_ACCEPT
from units.forms import UnitChoiceField
from units.models import Unit, UnitKind

from .models import FLAG_CHOICES, Plan, Round, Target

FLAG_FORM_CHOICES = [("", _("any")), ("1", _("yes")), ("0", _("no"))]


class FlagField(forms.TypedChoiceField):
    """Any / yes / no, stored as None / True / False."""

    def __init__(self, **kwargs):
        kwargs.pop("choices", None)
        kwargs.pop("coerce", None)
        kwargs.pop("empty_value", None)
        kwargs.pop("max_length", None)
        super().__init__(
            choices=FLAG_FORM_CHOICES,
            coerce=lambda v: v == "1",
            empty_value=None,
            required=False,
            **kwargs,
        )

    def prepare_value(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return value
        return "1" if value else "0"


def _flag_formfield(field, **kwargs):
    if field.choices == FLAG_CHOICES:
        return FlagField(label=capfirst(field.verbose_name))
    return field.formfield(**kwargs)


class PlanForm(ConcurrentEditMixin, BootstrapFormMixin, forms.ModelForm):
    """A plan's particulars. The area defaults to the issuing unit."""

    class Meta:
        model = Plan
        fields = [
            "number",
            "title",
            "issuer",
            "issuer_label",
            "area",
            "issued_on",
            "year",
            "status",
            "implements",
            "attachment",
        ]
        widgets = {
            "issued_on": DATE_WIDGET,
            "title": forms.Textarea(attrs={"rows": 2}),
            "implements": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"issuer": UnitChoiceField, "area": UnitChoiceField}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units if units is not None else Unit.objects.all()
        self.fields["issuer"].queryset = units
        self.fields["area"].queryset = units
        self.fields["area"].required = False
        if not self.instance.pk:
            self.fields["year"].initial = dates.today().year
        else:
            self.fields["attachment"].widget = StoredFileInput(
                attrs=self.fields["attachment"].widget.attrs,
                download_url=reverse("quotas:plan_attachment", args=[self.instance.pk]),
            )

    def clean(self):
        data = super().clean()
        if not data.get("area") and data.get("issuer"):
            data["area"] = data["issuer"]
            self.instance.area = data["issuer"]
        return data


class RoundForm(ConcurrentEditMixin, BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Round
        fields = ["number", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}


# Plain words for the fields that puzzle a new Board member ("Tính số", "Chỉ tính tại",
# "Mọi đơn vị loại"), each with an example from Plan 145/KH-HU (seed 001).
TARGET_HELP = {
    "measure": _(
        "What is counted. Plan 145 has two kinds: people sent to the awareness classes "
        "(“each school sends at least 20 to round 1”) and new members admitted "
        "(“THPT Hiệp Hòa số 1 admits 8 to 10 by 19/5/2024”)."
    ),
    "round": _(
        "Only for people sent to classes: just the classes of this round count. "
        "Plan 145: round 1 in April, round 2 in October."
    ),
    "starts_on": _(
        "Records dated from this day count. For a whole-year target, 01/01 of the plan's year."
    ),
    "ends_on": _(
        "The milestone: counted up to this day. Plan 145: 19/05/2024 for the admissions "
        "“on Uncle Hồ's birthday”, 31/12/2024 for the year's annex."
    ),
    "group": _(
        "Only people of this group count; leave “Everyone” to count all. Plan 145: the "
        "schools' admissions by 19/5 count students only."
    ),
    "each_kind": _(
        "The same number for every unit of this kind in the plan's area, units added later "
        "included: no need to type it unit by unit. Plan 145: “every enterprise with a trade "
        "union sends 2 people to each round”: kind “Công ty, doanh nghiệp”, with a trade "
        "union “yes”, each at least 2."
    ),
    "each_min": _(
        "Every such unit must reach at least this number. A unit's own number in the quota "
        "grid wins (Plan 145: Công ty May Hà Thanh sends 10, not 2)."
    ),
    "each_max": _(
        "Leave empty when there is no ceiling; “from 8 to 10” is at least 8, at most 10."
    ),
    "count_kind": _(
        "For a committee's number: only people in the units of this kind under the "
        "committee count. Plan 145: “Đảng ủy thị trấn Thắng admits at least 10 in enterprise "
        "cells”: give the committee 10 in the quota grid and choose “Công ty, doanh nghiệp” "
        "here."
    ),
}


class TargetForm(ConcurrentEditMixin, BootstrapFormMixin, forms.ModelForm):
    """One target of a plan. The numbers per unit are entered in the plan's grid; the
    number for the whole area and the number for every unit of a kind are entered here."""

    area_min = forms.IntegerField(label=_("whole area: at least"), required=False, min_value=0)
    area_max = forms.IntegerField(label=_("whole area: at most"), required=False, min_value=0)

    class Meta:
        model = Target
        fields = [
            "name",
            "measure",
            "round",
            "starts_on",
            "ends_on",
            "group",
            "is_share",
            "each_kind",
            "each_party_organisation",
            "each_trade_union",
            "each_non_state",
            "each_min",
            "each_max",
            "count_kind",
            "count_party_organisation",
            "count_trade_union",
            "count_non_state",
            "in_annex",
            "position",
            "source_text",
        ]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "source_text": forms.Textarea(attrs={"rows": 3}),
        }
        formfield_callback = _flag_formfield

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        self.fields["round"].queryset = plan.rounds.all()
        for name, text in TARGET_HELP.items():
            self.fields[name].help_text = text
        kinds = UnitKind.objects.all()
        self.fields["each_kind"].queryset = kinds
        self.fields["count_kind"].queryset = kinds
        for name in ("each_min", "each_max", "area_min", "area_max", "position"):
            self.fields[name].widget.attrs["min"] = 0
            self.fields[name].error_messages["min_value"] = _("Must not be negative.")
        if not self.instance.pk:
            self.fields["starts_on"].initial = date(plan.year, 1, 1)
            self.fields["ends_on"].initial = date(plan.year, 12, 31)
            self.fields["position"].initial = plan.targets.count() + 1
        else:
            value = self.instance.values.filter(unit_id=plan.area_id).first()
            if value is not None:
                self.fields["area_min"].initial = value.minimum
                self.fields["area_max"].initial = value.maximum

    def clean(self):
        data = super().clean()
        lo, hi = data.get("area_min"), data.get("area_max")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("area_max", _("The minimum must not be larger than the maximum."))
        if data.get("is_share"):
            for name in ("area_min", "area_max"):
                value = data.get(name)
                if value is not None and value > 100:
                    self.add_error(name, _("A share is a percentage: at most 100."))
        return data

    @property
    def area_bounds(self) -> tuple[int | None, int | None]:
        return self.cleaned_data.get("area_min"), self.cleaned_data.get("area_max")


class DashboardFilterForm(BootstrapFormMixin, forms.Form):
    """The day to show progress for, the kind of unit and the part of the tree to show."""

    ngay = forms.DateField(label=_("As of"), required=False, widget=DATE_WIDGET)
    loai = forms.ModelChoiceField(
        label=_("Kind of unit"),
        queryset=UnitKind.objects.all(),
        required=False,
        empty_label=_("All kinds"),
    )
    chi_tieu = forms.IntegerField(required=False, widget=forms.HiddenInput)
    don_vi = forms.IntegerField(required=False, widget=forms.HiddenInput)


HISTORY_MAX_MB = 2  # the file waits in the session between checking and confirming


class HistoricalImportForm(BootstrapFormMixin, forms.Form):
    """The upload of a file of historical totals (``quotas.history``)."""

    file = forms.FileField(
        label=_("Spreadsheet file (.xlsx, .xls or .ods)"),
        error_messages={
            "required": _("Choose the Excel file of the totals."),
            "empty": _("The file is empty."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": SPREADSHEET_ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > HISTORY_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _(
                    "The file is larger than %(mb)s MB; a table of totals is much smaller. "
                    "Delete the pictures and the other sheets."
                ),
                params={"mb": HISTORY_MAX_MB},
            )
        return upload
