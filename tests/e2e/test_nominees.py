"""A secretary uploads and submits a nominee list; the Board returns one person with a
reason and accepts the rest; the secretary reads the reason."""

from playwright.sync_api import expect

from units.models import Unit

from .nominees import add_from_file, send_list
from .nominees import nominee_file as _file
from .nominees import open_class as _open_class


def test_upload_submit_review(log_in, demo_site, screenshot, tmp_path, django_user_model):
    board = django_user_model.objects.get(username="bantochuc")
    cls = _open_class(board)
    unit = Unit.objects.get(code="THPT-HH1")

    page = log_in("bithu.thpt1")
    page.get_by_role("link", name="Lớp bồi dưỡng").first.click()
    page.get_by_role("link", name=cls.name).click()
    page.get_by_role("link", name="Mở danh sách").click()
    expect(page.get_by_text("ít nhất 20")).to_be_visible()
    # a file with errors: every row's problem is listed, nothing saved
    page.locator("input[type=file][name=file]").set_input_files(
        str(_file(tmp_path, unit, bad=True))
    )
    page.get_by_role("button", name="Kiểm tra và thêm").click()
    errors = page.locator("#import-errors")
    expect(errors).to_be_visible()
    assert "chưa lưu gì" in errors.inner_text()
    assert "31/02/2008" in errors.inner_text() and "12 chữ số" in errors.inner_text()
    screenshot("secretary-upload-errors")
    assert cls.nominations.count() == 0

    # the corrected file
    add_from_file(page.locator("input[type=file][name=file]"), _file(tmp_path, unit))
    expect(page.get_by_text("Đã đủ chỉ tiêu")).to_be_visible()
    send_list(page)
    screenshot("secretary-list-submitted")

    # the Board returns one person with a reason and accepts the others
    page.get_by_role("button", name="Đăng xuất").click()
    page = log_in("bantochuc")
    page.goto(f"{demo_site.url}{cls.get_absolute_url()}")
    page.get_by_role("link", name="Xét duyệt").click()
    first = cls.nominations.order_by("candidate__sort_key").first().candidate.full_name
    page.get_by_role("checkbox", name=first).check()
    page.get_by_label("Lý do trả lại").fill("Chưa có bản nhận xét của Ban Chấp hành Đoàn trường.")
    page.get_by_role("button", name="Trả lại những người đã đánh dấu").click()
    expect(page.get_by_text("Đã trả lại 1 người cho đơn vị, kèm lý do.")).to_be_visible()
    # the people of the file will not be 18 by the end of the plan's year: the Board is
    # warned and must say it has seen the warnings before accepting
    expect(page.get_by_text("Cần xem trước khi duyệt")).to_be_visible()
    page.get_by_role("button", name="Duyệt tất cả người đang chờ").click()
    expect(page.get_by_text("Tôi đã xem các cảnh báo").first).to_be_visible()
    assert cls.nominations.filter(status="accepted").count() == 0
    screenshot("board-review-warnings")
    page.get_by_label("Tôi đã xem các cảnh báo").check()
    page.get_by_role("button", name="Duyệt tất cả người đang chờ").click()
    expect(page.get_by_text("Đã duyệt 19 người.")).to_be_visible()
    screenshot("board-review")

    # the secretary reads the reason
    page.get_by_role("button", name="Đăng xuất").click()
    page = log_in("bithu.thpt1")
    page.goto(f"{demo_site.url}/lop-boi-duong/{cls.pk}/don-vi/{unit.pk}/")
    warning = page.locator(".alert-warning")
    assert "Chưa có bản nhận xét của Ban Chấp hành Đoàn trường." in warning.inner_text()
    assert first in warning.inner_text()
    screenshot("secretary-list-returned")
