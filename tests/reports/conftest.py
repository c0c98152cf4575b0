import os
import shutil

import pytest

from documents.pdf import font_dir, font_faces, fonts_complete


def _required(what: str, hint: str):
    """Missing on a developer's machine: skip. In CI (PTDV_REQUIRE_BROWSER=1): fail."""
    message = f"{what} is missing ({hint})."
    if os.environ.get("PTDV_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " CI must run this test.")
    pytest.skip(message)


@pytest.fixture
def tinos():
    """The Tinos files fetched by `make` (scripts/fetch_assets.py)."""
    if not fonts_complete(font_faces()):
        _required(f"Tinos in {font_dir()}", "run: python3 scripts/fetch_assets.py")
    return font_dir()


@pytest.fixture
def pdftotext():
    path = shutil.which("pdftotext")
    if path is None:
        _required("pdftotext", "apt-get install poppler-utils")
    return path


@pytest.fixture(scope="module")
def plan(full_demo, django_db_blocker):
    """Plan 145/KH-HU of the whole demo (classes, candidates, past years)."""
    from quotas.models import Plan

    with django_db_blocker.unblock():
        return Plan.objects.get(number="145/KH-HU")


@pytest.fixture
def login(full_demo_login):
    """``login("thuongtruc")``: the test client logged in as a demo account."""
    return full_demo_login
