"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium).

Playwright's own browser download does not work here, so the system Chromium is launched
by path. Without Chromium these tests are skipped on a developer's machine, but CI sets
PTDV_REQUIRE_BROWSER=1 (and installs Chromium), where a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django must allow ORM calls here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PTDV_CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = "ptdv2024"
SHOTS = Path(os.environ.get("PTDV_SCREENSHOTS", "/tmp/ptdv-screenshots"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    # A module that commits the demos once for all its tests (``shared_demo``) flushes the
    # database after them, as every test that commits does. pytest-django runs the tests that
    # roll back first, on the database as migrations leave it: these go last, after them.
    shared = [item for item in items if item.get_closest_marker("shared_demo")]
    if shared:
        items[:] = [item for item in items if not item.get_closest_marker("shared_demo")] + shared


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("PTDV_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must run the browser tests.")
        pytest.skip("Chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The demo district on a live server (load_demo restores the unit kinds a flush removes),
    without the generated classes: each test sets up what it needs."""
    call_command("load_demo", "--only", "district", "--no-classes", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


@pytest.fixture
def log_in(page, demo_site):
    def do(username: str):
        page.goto(f"{demo_site.url}/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{demo_site.url}/")
        return page

    return do


@pytest.fixture
def screenshot(page):
    def do(name: str):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return do
