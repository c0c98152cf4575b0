from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html


def test_wrong_password_gets_a_vietnamese_message(client, demo):
    response = client.post(reverse("login"), {"username": "bantochuc", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_login_with_demo_account_lands_on_home(client, demo):
    response = client.post(
        reverse("login"), {"username": "bithu.thpt1", "password": "ptdv2024"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Xin chào đồng chí Lê Thị Lan" in html
    assert "Bí thư chi bộ" in html and "Trường THPT Hiệp Hòa số 1" in html


def test_pages_need_a_login(client, demo):
    for url in [reverse("home"), reverse("units:unit_list"), demo["THPT-HH1"].get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("username", "present", "absent"),
    [
        ("bantochuc", ["Trường THPT Hiệp Hòa số 6", "Công ty Cổ phần cấp nước Hiệp Hòa"], []),
        ("thuongtruc", ["Trung tâm GDNN - GDTX", "Đảng ủy xã Hoàng Thanh"], []),
        ("bithu.thpt1", ["Trường THPT Hiệp Hòa số 1"], ["Trường THPT Hiệp Hòa số 2", "Hà Phong"]),
        (
            "bithu.haphong",
            ["Công ty Cổ phần may xuất khẩu Hà Phong"],
            ["Trường THPT Hiệp Hòa", "KD Sports"],
        ),
        (
            "danguy.thang",
            ["Đảng ủy thị trấn Thắng", "KD Sports", "Uyên Sơn", "công nghệ mặt trời"],
            ["Hoàng Thanh", "Trường THPT Hiệp Hòa", "cấp nước"],
        ),
    ],
)
def test_unit_list_shows_exactly_the_users_scope(login, username, present, absent):
    html = login(username).get(reverse("units:unit_list")).content.decode()
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


def test_unit_list_search_ignores_accents(login):
    html = login("bantochuc").get(reverse("units:unit_list"), {"q": "hoang thanh"}).content.decode()
    assert "Đảng ủy xã Hoàng Thanh" in html
    assert "Trường THPT Hiệp Hòa số 1" not in html
    assert "Tìm thấy 1 trên tổng số 20 đơn vị." in html


def test_unit_list_query_count_does_not_grow_with_units(login, django_assert_max_num_queries):
    client = login("bantochuc")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("units:unit_list"))
    assert response.status_code == 200


def test_secretary_gets_404_on_another_units_page(login, demo):
    client = login("bithu.thpt1")
    assert client.get(demo["THPT-HH1"].get_absolute_url()).status_code == 200
    response = client.get(demo["DN-HAPHONG"].get_absolute_url())
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_unit_page_shows_particulars_children_and_holders(login, demo):
    html = login("danguy.thang").get(demo["DU-THANG"].get_absolute_url()).content.decode()
    assert "Đảng ủy thị trấn Thăng" in html  # the alias
    assert "Công ty TNHH KD Sports Việt Nam" in html  # a unit below
    assert "Ngô Quang Huy" in html and "Cán bộ đảng ủy" in html
    assert "Sửa trong trang quản trị" not in html


def test_board_gets_the_admin_link_and_the_admin(login, demo):
    client = login("bantochuc")
    html = client.get(demo["DU-THANG"].get_absolute_url()).content.decode()
    assert "Sửa trong trang quản trị" in html
    response = client.get(reverse("admin:units_unit_changelist"), {"q": "son uyen"})
    assert response.status_code == 200
    assert "Uyên Sơn" in response.content.decode()


@pytest.mark.parametrize("username", ["thuongtruc", "bithu.thpt1", "danguy.thang"])
def test_only_the_board_reaches_the_admin(login, username):
    response = login(username).get(reverse("admin:index"))
    assert response.status_code == 302  # to the admin login: not staff


def test_navigation_depends_on_the_role(login, demo):
    board = login("bantochuc").get(reverse("home")).content.decode()
    assert "Quản trị" in board
    secretary = login("bithu.thpt1").get(reverse("home")).content.decode()
    assert "Đơn vị của tôi" in secretary and ">Quản trị<" not in secretary
    assert f'href="{demo["THPT-HH1"].get_absolute_url()}"' in secretary
    office = login("thuongtruc").get(reverse("home")).content.decode()
    assert "Quyền chỉ xem" in office


def test_healthz_says_only_ok(client, db):
    """Anonymous callers learn ok / not ok, nothing else (no version, vendor or counts)."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_is_503_when_the_database_is_down(client, db):
    with mock.patch("units.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"not ok"


def test_board_adds_a_unit_under_a_committee_in_the_admin(login, demo):
    from units.models import Unit, UnitKind

    client = login("bantochuc")
    assert (
        client.get(reverse("admin:units_unit_change", args=[demo["DN-UYENSON"].pk])).status_code
        == 200
    )
    response = client.post(
        reverse("admin:units_unit_add"),
        {
            "kind": UnitKind.objects.get(code="enterprise").pk,
            "code": "DN-MINHPHAT",
            "name": "Công ty TNHH Minh Phát",
            "short_name": "",
            "admission_unit": demo["DU-THANG"].pk,
            "active_from": "01/07/2025",
            "treebeard_position": "first-child",
            "treebeard_ref_node": demo["DU-THANG"].pk,
            "aliases-TOTAL_FORMS": "1",
            "aliases-INITIAL_FORMS": "0",
            "aliases-0-name": "Cty Minh Phát",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    unit = Unit.objects.get(code="DN-MINHPHAT")
    assert Unit.objects.get_parent(unit) == demo["DU-THANG"]
    assert unit.active_from.isoformat() == "2025-07-01"
    assert [a.name for a in unit.aliases.all()] == ["Cty Minh Phát"]
    # committee staff of Thắng now see it; the THPT secretary does not
    assert unit_scope_codes("danguy.thang") >= {"DN-MINHPHAT"}
    assert "DN-MINHPHAT" not in unit_scope_codes("bithu.thpt1")


def unit_scope_codes(username):
    from django.contrib.auth import get_user_model

    from units.selectors import unit_list

    return {u.code for u in unit_list(user=get_user_model().objects.get(username=username))}


def test_a_board_role_given_in_the_admin_opens_the_admin(login, demo):
    from django.contrib.auth import get_user_model

    from core.models import AuditEvent

    newcomer = get_user_model().objects.create_user("bantochuc2", password="x-secret-123")
    client = login("bantochuc")
    response = client.post(
        reverse("admin:units_roleassignment_add"),
        {"user": newcomer.pk, "unit": demo["HU-HIEPHOA"].pk, "role": "board"},
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff and newcomer.has_perm("units.change_unit")
    assert AuditEvent.objects.filter(action="role_assign", details__user="bantochuc2").exists()


def test_unit_list_filters_by_kind_as_linked_from_home(login, demo):
    from units.models import UnitKind

    client = login("bantochuc")
    kind = UnitKind.objects.get(code="high_school")
    home = client.get(reverse("home")).content.decode()
    assert f"?kind={kind.pk}" in home
    html = client.get(reverse("units:unit_list"), {"kind": kind.pk}).content.decode()
    assert "Tìm thấy 6 trên tổng số 20 đơn vị." in html
    assert "Công ty Cổ phần may xuất khẩu Hà Phong" not in html


def test_server_error_page_is_vietnamese(client, db):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("vi"):
        html = render_to_string("500.html")
    assert "Đã xảy ra lỗi" in html and "Dữ liệu đã lưu không bị mất." in html
