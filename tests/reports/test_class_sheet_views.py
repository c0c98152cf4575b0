"""The class roster and results list as downloads (``reports:class_sheet``)."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from training.models import Nomination, TrainingClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def april_class(demo_classes):
    """The students' class of April 2024, played through by the demo."""
    return TrainingClass.objects.filter(round__name__contains="4/2024").order_by("pk").first()


def _url(cls, kind, fmt):
    return reverse("reports:class_sheet", args=[cls.pk, kind, fmt])


def _names(data: bytes) -> set[str]:
    ws = load_workbook(BytesIO(data)).active
    return {str(c.value) for row in ws.iter_rows() for c in row if c.value}


def test_the_board_downloads_each_sheet_and_nothing_else(client, login, april_class):
    """One demo year for every download (playing the classes is slow)."""
    board = login("bantochuc")
    for kind in ("roster", "results"):
        for fmt, magic in (("pdf", b"%PDF-"), ("xlsx", b"PK")):
            response = board.get(_url(april_class, kind, fmt))
            assert response.status_code == 200, (kind, fmt)
            assert response.getvalue().startswith(magic)
            assert response["Content-Disposition"].startswith("attachment;")
            assert "no-store" in response["Cache-Control"]

    assert board.get(_url(april_class, "other", "pdf")).status_code == 404
    old = board.get(f"/lop-boi-duong/{april_class.pk}/results.xlsx")  # a bookmark from before
    assert old.status_code == 301 and old["Location"] == _url(april_class, "results", "xlsx")
    missing = TrainingClass.objects.order_by("-pk").first().pk + 1
    assert (
        board.get(reverse("reports:class_sheet", args=[missing, "roster", "pdf"])).status_code
        == 404
    )
    client.logout()
    response = client.get(_url(april_class, "roster", "pdf"))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_a_secretary_gets_only_their_own_units_people(login, april_class, demo):
    school = demo["THPT-HH1"]
    accepted = Nomination.objects.filter(training_class=april_class, status="accepted")
    own = {n.candidate.given_name for n in accepted.filter(nominee_list__unit=school)}
    others = {n.candidate.family_name + " " for n in accepted.exclude(nominee_list__unit=school)}
    assert own and others

    cells = _names(login("bithu.thpt1").get(_url(april_class, "roster", "xlsx")).getvalue())

    assert own <= cells
    assert not any(cell.startswith(tuple(others)) for cell in cells if " " in cell)
