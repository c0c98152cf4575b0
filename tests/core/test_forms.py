"""``core.forms.QuickSelect`` writes the HTML Django's ``Select`` writes, faster."""

import re

import pytest
from django import forms

from core.forms import QuickSelect

CHOICES = [
    ("", "any"),
    (1, "Huyện ủy <Hiệp Hòa>"),
    (2, "\u2003Chi bộ \"Trường\" THPT & 'GDNN'"),
    (30, "Đảng ủy xã Thắng"),
]


@pytest.mark.parametrize("value", [None, "", "2", 30, "999"])
def test_the_same_html_as_django_select(value):
    attrs = {"class": "form-select form-select-sm", "id": "id_unit"}
    quick = QuickSelect(attrs=attrs, choices=CHOICES).render("unit", value)
    django = forms.Select(attrs=attrs, choices=CHOICES).render("unit", value)
    assert quick == re.sub(r">\s+<", "><", django)  # Django indents the options
    assert quick.count("<option") == len(CHOICES)
    assert quick.count(" selected") == (1 if value in {None, "", "2", 30} else 0)


@pytest.mark.django_db
def test_a_model_choice_field_gives_its_rows_and_keeps_the_choice(demo):
    from units.forms import UnitChoiceField
    from units.models import Unit

    units = Unit.objects.filter(depth__lte=2).order_by("path")
    field = UnitChoiceField(queryset=units, widget=QuickSelect)
    chosen = units[1]
    html = field.widget.render("unit", chosen.pk)
    assert html.count("<option") == units.count() + 1
    assert f'<option value="{chosen.pk}" selected>' in html
    assert html == re.sub(
        r">\s+<", "><", forms.Select(choices=field.choices).render("unit", chosen.pk)
    )
