"""Bootstrap look for every form rendered with ``{{ form }}`` (see templates/forms/)."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .dates import DMY


class BootstrapRenderer(TemplatesSetting):
    form_template_name = "forms/bootstrap_form.html"
    field_template_name = "forms/bootstrap_field.html"


class BootstrapFormMixin:
    """Gives every widget its Bootstrap class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


# Dates are typed and shown day first ("05/03/2024" is 5 March), see config/formats/vi.
DATE_WIDGET = forms.DateInput(
    format=DMY, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
)


class FilterForm(forms.Form):
    """The form of a list page's FilterSet: small Bootstrap controls in one row; a choice
    left empty reads "any", not "---------"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs["class"] = css
            if hasattr(field, "empty_label"):  # model choices, and django-filter's choices
                field.empty_label = _("any")
                field.widget.choices = field.choices  # the widget copied the old label
            elif isinstance(field, forms.ChoiceField):
                field.choices = [
                    ("", _("any")) if value == "" else (value, label)
                    for value, label in field.choices
                ]


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    """Django's own password change (old password, new one twice, the validators)."""
