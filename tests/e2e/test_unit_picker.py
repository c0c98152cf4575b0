"""A province's Board finds a unit among thousands by typing part of its name: the unit
picker (tom-select, from npm) searches as one types and the list filters to that unit.
The demo district is small, so the picker's threshold is lowered for the test."""

import random
from datetime import date

from django.urls import reverse

import units.forms
from candidates.models import Candidate
from demo.people import demo_person
from units.models import Unit

from .pages import FAILING_IMPACTS, axe_violations, describe


def test_the_board_picks_a_unit_by_typing_its_name(log_in, demo_site, screenshot, monkeypatch):
    monkeypatch.setattr(units.forms, "UNIT_OPTIONS_INLINE", 5)
    rng = random.Random(5)
    people = {}
    for serial, code in enumerate(("THPT-HH3", "THPT-HH3", "THPT-HH1")):
        person = demo_person(
            rng, serial=9100 + serial, born_from=date(2006, 1, 1), born_to=date(2006, 12, 31)
        )
        Candidate.objects.create(unit=Unit.objects.get(code=code), category="student", **person)
        people.setdefault(code, []).append(f"{person['family_name']} {person['given_name']}")
    page = log_in("bantochuc")
    page.goto(demo_site.url + reverse("candidates:candidate_list"))
    unit = page.locator("select[name=unit]")
    assert unit.locator("option").count() == 1  # only "all units" is sent, not the tree
    box = page.locator(".ts-wrapper .ts-control input")
    box.click()
    box.press_sequentially("hiep hoa so 3", delay=30)
    school = Unit.objects.get(code="THPT-HH3")
    choice = page.locator(f".ts-dropdown [data-value='{school.pk}']")
    choice.wait_for()
    assert choice.inner_text().startswith(school.name)
    screenshot("unit-picker-search")
    box.press("Enter")
    page.get_by_role("button", name="Lọc", exact=True).click()
    page.wait_for_url(f"**unit={school.pk}**")
    assert page.locator(".ts-wrapper .item").inner_text().startswith(school.name)
    shown = page.locator("#candidates tbody").inner_text()
    assert all(name in shown for name in people["THPT-HH3"])
    assert people["THPT-HH1"][0] not in shown
    screenshot("unit-picker-filtered")
    # The picker as the page has it (tom-select, under the app's Content-Security-Policy):
    # nothing serious for axe-core, with the box open.
    page.locator(".ts-wrapper .ts-control").click()
    violations = [
        v for v in axe_violations(page, served_from=demo_site.url) if v["impact"] in FAILING_IMPACTS
    ]
    assert not violations, describe(violations)
