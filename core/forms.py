"""Bootstrap look for every form rendered with ``{{ form }}`` (see templates/forms/)."""

from datetime import date

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core import signing
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .dates import DMY, dmy


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


class ConcurrentEditMixin:
    """A ModelForm that will not save over a change someone else made since it was opened.

    The form carries a signed fingerprint of the values its fields had when it was opened
    (keyed hashes, so no value travels to the browser that the page does not show). On save,
    if the record now holds other values in those fields, the form is refused naming the
    fields the other person changed and their new values; what this user typed stays in the
    form, which now carries the new fingerprint, so pressing Save again overwrites them
    knowingly."""

    OPENED = "opened_as"
    _SALT = "ptdv.concurrent-edit"
    # Shown by name only: their values are masked on the pages.
    PRIVATE = frozenset({"citizen_id"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.OPENED] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk:
            self.initial[self.OPENED] = signing.dumps(self._fingerprint(), salt=self._SALT)

    def _watched(self) -> list[str]:
        names = {f.name for f in self.instance._meta.concrete_fields}
        return [name for name in self.fields if name in names and not self.fields[name].disabled]

    def _fingerprint(self) -> dict[str, str]:
        """{field: keyed hash of its value} of the record as it is now."""
        prints = {}
        for name in self._watched():
            field = self.instance._meta.get_field(name)
            if isinstance(field, models.FileField):
                raw = getattr(self.instance, name).name or ""
            else:
                raw = field.value_to_string(self.instance)
            prints[name] = salted_hmac(self._SALT, f"{name}={raw}").hexdigest()[:20]
        return prints

    def _shown(self, name: str) -> str:
        if name in self.PRIVATE:
            return str(_("changed"))
        field = self.instance._meta.get_field(name)
        value = getattr(self.instance, name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        if isinstance(value, date):
            return dmy(value)
        if isinstance(field, models.FileField):
            return value.name or "–"
        return "–" if value in (None, "") else str(value)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        try:
            opened = signing.loads(self.data.get(self.add_prefix(self.OPENED), ""), salt=self._SALT)
        except signing.BadSignature:
            return cleaned  # a form from before this check: nothing to compare with
        now = self._fingerprint()
        changed = [name for name in now if name in opened and opened[name] != now[name]]
        if changed:
            self.data = self.data.copy()
            self.data[self.add_prefix(self.OPENED)] = signing.dumps(now, salt=self._SALT)
            raise forms.ValidationError(
                _(
                    "Someone else changed this record after you opened it: %(changes)s. "
                    "What you typed is still below: check it and press Save again to keep it."
                )
                % {
                    "changes": "; ".join(
                        f"{self.fields[name].label}: “{self._shown(name)}”" for name in changed
                    )
                },
                code="stale",
            )
        return cleaned


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    """Django's own password change (old password, new one twice, the validators)."""
