"""Downloading a plan's annex: who may, and what they get."""

from io import BytesIO
from unittest import mock

import pytest
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from quotas.models import Target
from units.choices import Role
from units.models import UnitKind

from ..factories import UnitFactory, make_holder

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def annex_url(plan, fmt: str) -> str:
    return reverse("reports:plan_annex", kwargs={"pk": plan.pk, "fmt": fmt})


def holder(role: str, unit):
    user = make_holder(role=role, unit=unit)
    user.save()  # the factory sets the password after saving: keep the session valid
    return user


def test_url():
    assert reverse("reports:plan_annex", kwargs={"pk": 7, "fmt": "pdf"}) == (
        "/bao-cao/ke-hoach/7/phu-luc.pdf"
    )
    with pytest.raises(NoReverseMatch):
        reverse("reports:plan_annex", kwargs={"pk": 7, "fmt": "doc"})


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"), [("xlsx", XLSX, b"PK"), ("pdf", "application/pdf", b"%PDF-")]
)
def test_board_downloads_the_annex(login, plan145, fmt, content_type, magic):
    response = login("bantochuc").get(annex_url(plan145, fmt))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.getvalue().startswith(magic)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="Phu-luc-chi-tieu-145-KH-HU-2024.{fmt}"' in disposition
    assert (
        "filename*=utf-8''Ph%E1%BB%A5-l%E1%BB%A5c-ch%E1%BB%89-ti%C3%AAu-145-KH-HU-2024." + fmt
    ) in disposition
    assert "no-store" in response["Cache-Control"]


def test_a_secretary_in_the_district_downloads_the_whole_annex(login, plan145):
    response = login("bithu.thpt1").get(annex_url(plan145, "xlsx"))
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.getvalue())).active
    names = {c.value for c in ws["B"]}
    assert {"Trường THPT Hiệp Hòa số 1", "Công ty Cổ phần cấp nước Hiệp Hòa"} <= names


def test_the_plan_selector_decides(client, plan145):
    outsider_unit = UnitFactory(kind=UnitKind.objects.get(code="committee"), name="Huyện ủy khác")
    client.force_login(holder(Role.BOARD, outsider_unit))
    assert client.get(annex_url(plan145, "pdf")).status_code == 404

    with mock.patch("reports.views.plan_get", side_effect=Http404) as plan_get:
        client.force_login(holder(Role.BOARD, plan145.issuer))
        assert client.get(annex_url(plan145, "xlsx")).status_code == 404
    plan_get.assert_called_once()
    assert plan_get.call_args.kwargs["pk"] == plan145.pk


def test_anonymous_is_sent_to_login(client, plan145):
    response = client.get(annex_url(plan145, "pdf"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_unknown_plan_or_no_annex_is_404(login, plan145):
    client = login("bantochuc")
    assert (
        client.get(reverse("reports:plan_annex", kwargs={"pk": 999999, "fmt": "pdf"})).status_code
        == 404
    )
    Target.objects.filter(plan=plan145).update(in_annex=False)
    assert client.get(annex_url(plan145, "xlsx")).status_code == 404


def test_only_get(login, plan145):
    assert login("bantochuc").post(annex_url(plan145, "xlsx")).status_code == 405
