"""Usable by everyone (issue 17, item 3; docs/accessibility.md).

axe-core (the npm package fetched by ``make install``, scripts/fetch_assets.py) runs inside
the main pages of every role of both demos, and nothing it finds may be serious or critical.
Each page also has a Vietnamese title, the page's language, and no id used twice. A refused
form keeps the user's place, and the day's first steps — log in, open the menu, filter the
candidate list — work with Tab and Enter alone, with a focus ring one can see.

The demos are loaded once for the module (both, with their classes and people) and served by
a live server of its own: every page is only read, so the tests share the data, and the
database is flushed afterwards, as after any test that commits.
"""

import os
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD
from .pages import AXE, FAILING_IMPACTS, axe_violations, describe

# Each test in a transaction rolled back after it (what a page writes — sessions, a refused
# login — goes with it); the demos under it are committed once by ``site``, which flushes
# them after the module: so the module runs after the tests that need the database as
# migrations leave it (``shared_demo``, tests/e2e/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.shared_demo]

DISTRICT_PLAN, COMMUNE_PLAN = "145/KH-HU", "12-KH/ĐU"

# user: (the demo's plan, Board staff (the audit log), may edit candidates)
ROLES = {
    "bantochuc": (DISTRICT_PLAN, True, True),
    "thuongtruc": (DISTRICT_PLAN, False, False),
    "bithu.thpt1": (DISTRICT_PLAN, False, True),
    "danguy.thang": (DISTRICT_PLAN, False, True),
    "banxaydung": (COMMUNE_PLAN, True, True),
    "bithu.thon": (COMMUNE_PLAN, False, True),
}
PAGES = (
    "home",
    "plan_list",
    "plan",
    "dashboard",
    "candidate_list",
    "candidate",
    "candidate_form",
    "candidate_form_refused",
    "class_list",
    "class",
    "nominee_list",
    "reports",
    "audit",
    "reminders",
)


def role_pages(role: str) -> list[str]:
    _, board, edits = ROLES[role]
    skip = set()
    if not edits:
        skip |= {"candidate_form", "candidate_form_refused"}
    if not board:
        skip.add("audit")
    return [p for p in PAGES if p not in skip]


CASES = [("anonymous", "login"), ("anonymous", "login_refused")] + [
    (role, page) for role in ROLES for page in role_pages(role)
]


def _required(what: str):
    message = f"{what} is missing (run: make install, or python3 scripts/fetch_assets.py)."
    if os.environ.get("PTDV_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " CI must run the accessibility checks.")
    pytest.skip(message)


def urls_of(username: str) -> dict[str, str]:
    """Each main page of this user, on the demo's data: their plan, and the first candidate
    and nominee list of their units."""
    from django.contrib.auth import get_user_model

    from candidates.models import Candidate
    from quotas.models import Plan
    from training.models import NomineeList
    from units.selectors import unit_list

    user = get_user_model().objects.get(username=username)
    units = unit_list(user=user)
    plan = Plan.objects.get(number=ROLES[username][0])
    candidate = Candidate.objects.filter(unit__in=units).order_by("pk").first()
    nominees = NomineeList.objects.filter(unit__in=units).order_by("pk").first()
    assert candidate and nominees, f"the demo gives {username} candidates and a nominee list"
    form = reverse("candidates:candidate_update", args=[candidate.pk])
    return {
        "home": reverse("home"),
        "plan_list": reverse("quotas:plan_list"),
        "plan": plan.get_absolute_url(),
        "dashboard": reverse("quotas:plan_dashboard", args=[plan.pk]),
        "candidate_list": reverse("candidates:candidate_list"),
        "candidate": candidate.get_absolute_url(),
        "candidate_form": form,
        "candidate_form_refused": form,
        "class_list": reverse("training:class_list"),
        "class": reverse("training:class_detail", args=[nominees.training_class_id]),
        "nominee_list": reverse(
            "training:list_detail", args=[nominees.training_class_id, nominees.unit_id]
        ),
        "reports": reverse("reports:index"),
        "audit": reverse("audit:log"),
        "reminders": reverse("reminder_settings"),
    }


@pytest.fixture(scope="module")
def site(browser, django_db_setup, django_db_blocker):
    """Both demos, committed, behind a live server of this module; per role the URLs of its
    pages and its logged-in browser state."""
    from pytest_django.live_server_helper import LiveServer

    if not AXE.is_file():
        _required(f"axe-core ({AXE})")
    server = None
    with django_db_blocker.unblock():
        try:
            call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            server = LiveServer("localhost")
            urls = {role: urls_of(role) for role in ROLES}
            states = {}
            for role in ROLES:
                context = browser.new_context(locale="vi-VN")
                page = context.new_page()
                log_in_with_keyboard(page, server.url, role)
                states[role] = context.storage_state()
                context.close()
            yield {"url": server.url, "urls": urls, "states": states}
        finally:
            if server is not None:
                server.stop()
            call_command("flush", verbosity=0, interactive=False)


def log_in_with_keyboard(page, base: str, username: str):
    page.goto(f"{base}/dang-nhap/")
    page.keyboard.type(username)  # the user name box has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


@pytest.fixture
def context_of(browser, site):
    """A browser context as this role (``"anonymous"``: logged out). The Content-Security-
    Policy allows no inline script, and Playwright injects axe-core as one: the test's
    browser bypasses it (the app's own pages still run under it everywhere else)."""
    contexts = []

    def make(role: str, **options):
        state = site["states"].get(role)
        context = browser.new_context(
            viewport=options.pop("viewport", {"width": 1366, "height": 768}),
            locale="vi-VN",
            bypass_csp=True,
            storage_state=state,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for context in contexts:
        context.close()


def refuse_candidate_form(page):
    """Submit the candidate form with the family name cleared and an impossible date."""
    page.locator("#id_family_name").fill("")
    page.locator("#id_date_of_birth").fill("31/02/2000")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("role", "name"), CASES)
def test_main_page_passes_axe(context_of, site, role, name):
    page = context_of(role)
    if role == "anonymous":
        response = page.goto(f"{site['url']}/dang-nhap/")
        if name == "login_refused":
            page.locator("#id_username").fill(role)
            page.locator("#id_password").fill("not the password")
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_load_state()
            expect(page.locator("#login-error")).to_be_visible()
    else:
        response = page.goto(site["url"] + site["urls"][role][name])
        if name == "candidate_form_refused":
            refuse_candidate_form(page)
            expect(page.locator("[data-error-summary]")).to_be_visible()
    assert response.ok, f"{role} {name}: HTTP {response.status}"

    # The page's language and a Vietnamese title of its own (not the app's default).
    assert page.locator("html").get_attribute("lang") == "vi"
    title = page.title()
    own = title.removesuffix(" · PTĐV")
    with translation.override("vi"):
        default = translation.gettext("Party member development")
    assert own != title and own.strip() and own != default, f"{role} {name}: title {title!r}"
    assert re.search(r"[À-ỹĐđ]", own), f"{role} {name}: title {title!r} is not Vietnamese"

    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert not [i for i, n in Counter(ids).items() if n > 1], f"{role} {name}: duplicate ids"

    violations = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    assert not violations, f"{role} {name} ({page.url}):\n{describe(violations)}"


def focus_ring(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {tag: el.tagName, text: (el.innerText || el.value || el.name || "").trim(),
                    cls: el.getAttribute("class") || "",
                    href: el.getAttribute("href") || "", id: el.id,
                    style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }"""
    )


def tab_to(page, wanted, most: int = 60) -> dict:
    """Press Tab until ``wanted(focused)`` holds; every element passed on the way shows a
    focus ring at least 2 px wide."""
    for _ in range(most):
        page.keyboard.press("Tab")
        focused = focus_ring(page)
        assert focused["style"] != "none" and focused["width"] >= 2, f"no focus ring: {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached with {most} presses of Tab")


def test_log_in_open_the_menu_and_filter_candidates_with_the_keyboard(context_of, site):
    # A laptop window made narrow, as on a phone: the menu sits behind its button.
    page = context_of("anonymous", viewport={"width": 800, "height": 700})
    base = site["url"]
    log_in_with_keyboard(page, base, "bithu.thpt1")

    # The first Tab stop is the skip link, and it shows.
    first = tab_to(page, lambda f: True)
    assert first["href"] == "#main"
    expect(page.get_by_role("link", name="Đến nội dung chính")).to_be_visible()
    menu = page.locator("#mainnav")
    expect(menu).to_be_hidden()
    tab_to(page, lambda f: "navbar-toggler" in f["cls"])
    page.keyboard.press("Enter")
    menu.locator("a").first.wait_for(state="visible")
    assert page.locator(".navbar-toggler").get_attribute("aria-expanded") == "true"

    tab_to(page, lambda f: f["href"] == "/doi-tuong/")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/doi-tuong/")
    rows = page.locator("main table tbody tr")
    everyone = rows.count()
    name = rows.last.locator("a").first.inner_text().strip()

    tab_to(page, lambda f: f["id"] == "id_q")  # the filter's search box
    page.keyboard.type(name)
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Lọc")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/doi-tuong/\?"))
    assert page.locator("#id_q").input_value() == name
    found = page.locator("main table tbody tr")
    assert 0 < found.count() < everyone
    assert all(name in row for row in found.all_inner_texts())


def test_a_refused_form_keeps_the_users_place(context_of, site):
    page = context_of("bithu.thpt1")
    page.goto(site["url"] + site["urls"]["bithu.thpt1"]["candidate_form"])
    page.locator("#id_school_class").fill("12A9")
    refuse_candidate_form(page)

    # Nothing typed is lost, and the focus is on the summary of what to correct.
    assert page.locator("#id_school_class").input_value() == "12A9"
    assert page.locator("#id_date_of_birth").input_value() == "31/02/2000"
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("el => el === document.activeElement")
    links = summary.get_by_role("link")
    assert {a.get_attribute("href") for a in links.all()} == {
        "#id_family_name",
        "#id_date_of_birth",
    }
    for field in ("family_name", "date_of_birth"):
        box = page.locator(f"#id_{field}")
        assert box.get_attribute("aria-invalid") == "true"
        error = page.locator(f"#id_{field}_error")
        expect(error).to_be_visible()
        assert f"id_{field}_error" in box.get_attribute("aria-describedby")

    # Enter on a link of the summary puts the cursor in its field.
    tab_to(page, lambda f: f["href"] == "#id_family_name")
    page.keyboard.press("Enter")
    assert page.locator("#id_family_name").evaluate("el => el === document.activeElement")
