"""Bootstrap look for every form rendered with ``{{ form }}`` (see templates/forms/)."""

import html
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth import forms as auth_forms
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .concurrency import OpenedAs, StaleEdit
from .dates import DMY


class BootstrapRenderer(TemplatesSetting):
    form_template_name = "forms/bootstrap_form.html"
    field_template_name = "forms/bootstrap_field.html"


class BootstrapFormMixin:
    """Gives every widget its Bootstrap class. A form that shares its page with others sets
    ``id_prefix``: its boxes' ids are then ``<id_prefix>_<field>``, so that no id is used
    twice on the page and each label points at its own box."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
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


class _LinkedFile:
    """A stored file as a file widget shows it: its name, linked to ``url``."""

    def __init__(self, file, url: str):
        self.file, self.url = file, url

    def __str__(self) -> str:
        return PurePosixPath(self.file.name).name


class StoredFileLinkMixin:
    """A file widget whose "Currently: …" link is the app's own download view
    (``download_url``), which checks who may read the file, never the storage's address:
    a file in a bucket has no public address, and a local one is not served
    (docs/deploy.md)."""

    # Django's "Clear" is the filters' "Xóa lọc" in this catalogue.
    clear_checkbox_label = _("Remove")

    def __init__(self, *args, download_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.download_url = download_url

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "name", None))

    def format_value(self, value):
        if self.is_initial(value):
            return _LinkedFile(value, self.download_url)
        return None


class StoredFileInput(StoredFileLinkMixin, forms.ClearableFileInput):
    pass


class AdminStoredFileInput(StoredFileLinkMixin, AdminFileWidget):
    pass


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
    (``core.concurrency.OpenedAs``). On save, if the record now holds other values in those
    fields, the form is refused naming the fields the other person changed and their new
    values; what this user typed stays in the form, which now carries the new fingerprint, so
    pressing Save again overwrites them knowingly. The form checks the record its request
    read; give ``opened_as`` to the service, which checks again under a row lock, and show its
    refusal with ``refuse``."""

    OPENED = "opened_as"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.OPENED] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.opened_as: OpenedAs | None = None  # what the posted form was opened with
        if self.instance.pk:
            self.initial[self.OPENED] = OpenedAs.of(self.instance, self._labels()).dumps()

    def _labels(self) -> dict[str, Any]:
        """The model fields the form edits, with their labels."""
        names = {f.name for f in self.instance._meta.concrete_fields}
        return {
            name: field.label
            for name, field in self.fields.items()
            if name in names and not field.disabled
        }

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            token = self.data.get(self.add_prefix(self.OPENED))
            self.opened_as = OpenedAs.load(token, self._labels())
        if self.opened_as is not None:
            try:
                self.opened_as.check(self.instance)
            except StaleEdit as exc:
                self.refuse(exc)
        return cleaned

    def refuse(self, exc: StaleEdit) -> None:
        """Show that the record changed after the form was opened (found by the form, or by
        the service under its lock): the message, what was typed kept, and the record as it
        is now remembered for the next press."""
        if exc.token:
            self.data = self.data.copy()
            self.data[self.add_prefix(self.OPENED)] = exc.token
        self.add_error(None, exc)


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    """Django's own password change (old password, new one twice, the validators)."""


class QuickSelect(forms.Select):
    """A ``Select`` of flat choices written in one pass of Python rather than one template
    per option: the same HTML (escaped as ``django.utils.html.escape`` does), for lists of
    thousands (a province's units: about a second of templates per page)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{html.escape(str(choice))}"'
            f"{' selected' if str(choice) in chosen else ''}>{html.escape(str(label))}</option>"
            for choice, label in self.choices
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attrs, mark_safe(options))  # noqa: S308
