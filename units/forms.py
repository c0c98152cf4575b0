from django import forms

from .models import Unit


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picked from the tree, indented by its depth."""

    def label_from_instance(self, obj: Unit) -> str:
        return "\u2003" * max(0, obj.depth - 1) + obj.name
