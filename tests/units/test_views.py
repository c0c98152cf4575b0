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


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_is_down(client, db):
    with mock.patch("units.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
