"""The unit picker: every unit in a small tree's dropdown; in a province's, only the chosen
one and a search by name as one types (``units.forms.UnitPicker``, ``units:unit_search``)."""

from django.urls import reverse

import units.forms
from units.forms import UnitChoiceField
from units.models import Unit


def search(client, q, scope="visible"):
    return client.get(reverse("units:unit_search"), {"pham_vi": scope, "q": q})


def test_a_small_tree_lists_every_unit(demo):
    field = UnitChoiceField(queryset=Unit.objects.order_by("path"), empty_label="tất cả")
    html = field.widget.render("unit", None)
    assert "data-unit-search" not in html
    assert html.count("<option") == Unit.objects.count() + 1


def test_a_large_tree_lists_only_the_chosen_unit_and_searches(demo, monkeypatch):
    monkeypatch.setattr(units.forms, "UNIT_OPTIONS_INLINE", 5)
    field = UnitChoiceField(queryset=Unit.objects.order_by("path"), empty_label="tất cả")
    school = demo["THPT-HH3"]
    html = field.widget.render("unit", school.pk)
    assert f"{reverse('units:unit_search')}?pham_vi=visible" in html
    assert html.count("<option") == 2  # "tất cả" and the chosen school, with the unit above
    parent = Unit.objects.get(path=school.path[: -Unit.steplen])
    assert f'<option value="{school.pk}" selected>{school.name} · {parent.name}</option>' in html
    # Still a choice of the field's own units: what the search finds is validated by it.
    assert field.clean(str(school.pk)) == school


def test_the_search_folds_accents_and_keeps_to_the_users_units(login, demo):
    board = login("bantochuc")
    found = search(board, "hiep hoa so 3").json()["results"]
    assert [r["value"] for r in found] == [demo["THPT-HH3"].pk]
    assert found[0]["text"].startswith("Trường THPT Hiệp Hòa số 3 · ")
    every_school = {r["value"] for r in search(board, "HIỆP hòa").json()["results"]}
    assert {demo[f"THPT-HH{i}"].pk for i in range(1, 7)} <= every_school

    secretary = login("bithu.thpt1")
    mine = {r["value"] for r in search(secretary, "hiep hoa").json()["results"]}
    assert mine == {demo["THPT-HH1"].pk}
    assert search(secretary, "hiep", scope="nothing").status_code == 404


def test_the_search_answers_at_most_a_screenful(login, demo, monkeypatch):
    import units.views

    monkeypatch.setattr(units.views, "UNIT_SEARCH_RESULTS", 3)
    results = search(login("bantochuc"), "").json()["results"]
    assert len(results) == 3
    first = list(Unit.objects.order_by("path")[:3])
    assert [r["value"] for r in results] == [u.pk for u in first]
