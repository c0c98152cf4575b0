from playwright.sync_api import expect

from units.models import Unit


def test_secretary_sees_their_unit_and_cannot_reach_ha_phong(log_in, demo_site, screenshot):
    page = log_in("bithu.thpt1")
    expect(page.get_by_role("heading", name="Xin chào đồng chí Lê Thị Lan")).to_be_visible()
    page.get_by_role("link", name="Đơn vị của tôi").click()
    # expect() waits for the page the click opens; is_visible() would look at once.
    expect(page.get_by_role("heading", name="Trường THPT Hiệp Hòa số 1")).to_be_visible()
    expect(page.get_by_text("THPT-HH1")).to_be_visible()
    screenshot("secretary-unit")

    ha_phong = Unit.objects.get(code="DN-HAPHONG")
    response = page.goto(f"{demo_site.url}{ha_phong.get_absolute_url()}")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    assert "Hà Phong" not in page.content()


def test_board_browses_the_tree_and_searches_without_accents(log_in, screenshot):
    page = log_in("bantochuc")
    page.get_by_role("link", name="Đơn vị", exact=True).click()
    expect(page.get_by_role("link", name="Công ty Cổ phần thời trang Hà Thanh")).to_be_visible()
    screenshot("board-unit-tree")

    page.get_by_label("Tìm kiếm").fill("son uyen")
    page.get_by_role("button", name="Tìm kiếm").click()
    rows = page.locator("table.unit-tree tbody tr")
    assert rows.count() == 1
    assert "Công ty Cổ phần đầu tư và thương mại Uyên Sơn" in rows.first.inner_text()


def test_logout_returns_to_the_login_page(log_in, demo_site):
    page = log_in("thuongtruc")
    expect(page.get_by_text("Quyền chỉ xem")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{demo_site.url}/dang-nhap/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
