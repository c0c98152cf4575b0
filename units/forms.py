from collections.abc import Callable

from django import forms
from django.db.models import QuerySet
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import QuickSelect

from .models import Unit
from .selectors import unit_labels_with_parent

# A unit dropdown lists every unit up to this many; a larger tree (a province's thousands)
# gets a search-as-you-type picker instead (``UnitPicker``).
UNIT_OPTIONS_INLINE = 300

# The units a picker may offer, by name: what ``units:unit_search`` answers from. Apps
# register their own (``unit_scope_register``) from their ``AppConfig.ready``.
UnitScope = Callable[..., QuerySet]
_SCOPES: dict[str, UnitScope] = {}


def unit_scope_register(name: str, scope: UnitScope) -> None:
    """``scope(user=...)`` gives the units a picker of that name may offer the user."""
    _SCOPES[name] = scope


def unit_scope(name: str) -> UnitScope | None:
    return _SCOPES.get(name)


class UnitPicker(QuickSelect):
    """The dropdown of a ``UnitChoiceField``: every unit while they are few; above
    ``UNIT_OPTIONS_INLINE`` only the chosen one, and the page's script (tom-select, from
    npm) turns it into a box that searches the units of ``scope`` by name as one types
    (``units:unit_search``). The field's own query still validates what is sent."""

    def __init__(self, *, scope: str = "visible", attrs=None):
        super().__init__(attrs=attrs)
        self.scope = scope

    def render(self, name, value, attrs=None, renderer=None):
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return super().render(name, value, attrs, renderer)
        field = self.choices.field
        every = [("", field.empty_label)] if field.empty_label is not None else []
        small = QuickSelect(attrs=self.attrs)
        head = list(queryset[: UNIT_OPTIONS_INLINE + 1])
        if len(head) <= UNIT_OPTIONS_INLINE:
            small.choices = every + [(unit.pk, field.label_from_instance(unit)) for unit in head]
            return small.render(name, value, attrs, renderer)
        chosen = [v for v in self.format_value(value) if v.isdigit()]
        picked = list(queryset.filter(pk__in=chosen).only("path", "depth", "name"))
        labels = unit_labels_with_parent(picked)
        small.choices = every + [(unit.pk, labels[unit.pk]) for unit in picked]
        hint = _("type part of a name")
        attrs = {
            **(attrs or {}),
            "data-unit-search": f"{reverse('units:unit_search')}?pham_vi={self.scope}",
            "data-picker-js": static("vendor/tom-select/tom-select.complete.min.js"),
            "data-picker-css": static("vendor/tom-select/tom-select.bootstrap5.min.css"),
            "data-placeholder": (
                f"{field.empty_label} — {hint}"
                if field.empty_label
                else _("Type part of a unit's name")
            ),
            "data-clear": _("Clear the choice"),
            "data-no-results": _("No unit of that name"),
        }
        return small.render(name, value, attrs, renderer)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picked from the tree, indented by its depth (``UnitPicker``: searched by name
    in a province's tree)."""

    widget = UnitPicker

    def label_from_instance(self, obj: Unit) -> str:
        return "\u2003" * max(0, obj.depth - 1) + obj.name
