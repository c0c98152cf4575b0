"""The day's work from the home pages (issue 15): a secretary sees the open class and the
quota gap under "Việc cần làm", follows it and submits the list; the Board sees the list
waiting on its home page and returns one person; the secretary sees who was returned and
why, fixes that person in place and sends them alone again."""

from playwright.sync_api import expect

from training.choices import NominationStatus
from units.models import Unit

from .nominees import add_from_file, nominee_file, open_class, send_list
from .pages import todo_group


def test_from_the_home_page_to_a_resubmitted_person(
    log_in, demo_site, screenshot, tmp_path, django_user_model
):
    board = django_user_model.objects.get(username="bantochuc")
    cls = open_class(board)
    unit = Unit.objects.get(code="THPT-HH1")

    # The secretary's home page: the open class, its deadline and the school's gap.
    page = log_in("bithu.thpt1")
    todo = page.locator("#todo-heading")
    assert todo.inner_text() == "Việc cần làm"
    classes = todo_group(page, "Lớp đang nhận danh sách cử đi học")
    item = classes.locator(".todo-item").filter(has_text=cls.name)
    assert "còn thiếu 20" in item.inner_text()
    assert cls.nomination_deadline.strftime("%d/%m/%Y") in item.inner_text()
    screenshot("daily-secretary-home")
    item.get_by_role("link").click()
    page.wait_for_url(f"**/lop-boi-duong/{cls.pk}/don-vi/{unit.pk}/")

    add_from_file(page.locator("input[type=file]").first, nominee_file(tmp_path, unit))
    send_list(page)
    page.goto(f"{demo_site.url}/")
    assert not todo_group(page, "Lớp đang nhận danh sách cử đi học").count()  # nothing missing

    # The Board's home page: the list waiting for review, one click from the review page.
    page.get_by_role("button", name="Đăng xuất").click()
    page = log_in("bantochuc")
    waiting = todo_group(page, "Danh sách cử đi học chờ xét duyệt")
    assert "20 người chờ xét duyệt" in waiting.inner_text()
    screenshot("daily-board-home")
    waiting.get_by_role("link", name="THPT Hiệp Hòa số 1", exact=False).first.click()
    page.wait_for_url(f"**/lop-boi-duong/{cls.pk}/don-vi/{unit.pk}/xet-duyet/")
    returned = cls.nominations.order_by("candidate__sort_key").first().candidate
    page.get_by_role("checkbox", name=returned.full_name).check()
    reason = "Sai lớp: em học lớp 12A2."
    page.get_by_label("Lý do trả lại").fill(reason)
    page.get_by_role("button", name="Trả lại những người đã đánh dấu").click()
    expect(page.get_by_text("Đã trả lại 1 người cho đơn vị, kèm lý do.")).to_be_visible()
    page.get_by_label("Tôi đã xem các cảnh báo").check()  # they are under 18 in 2024
    page.get_by_role("button", name="Duyệt tất cả người đang chờ").click()
    expect(page.get_by_text("Đã duyệt 19 người.")).to_be_visible()
    # The secretary's home page: who was returned and why; the name opens the form in place.
    page.get_by_role("button", name="Đăng xuất").click()
    page = log_in("bithu.thpt1")
    back = todo_group(page, "Người bị trả lại")
    assert reason in back.inner_text()
    screenshot("daily-secretary-returned")
    back.get_by_role("link", name=f"{returned.full_name} bị Ban Tổ chức trả lại").click()
    page.get_by_role("link", name=f"Sửa thông tin của {returned.full_name}").click()
    page.locator("#id_school_class").fill("12A2")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**/lop-boi-duong/{cls.pk}/don-vi/{unit.pk}/")  # back on the list
    page.get_by_role("button", name="Gửi lại").click()
    expect(page.get_by_text(f"{returned.full_name} đã được gửi lại Ban Tổ chức.")).to_be_visible()
    screenshot("daily-secretary-resent")

    returned.refresh_from_db()
    nomination = cls.nominations.get(candidate=returned)
    assert (returned.school_class, nomination.status) == ("12A2", NominationStatus.PENDING)
    assert cls.nominations.filter(status=NominationStatus.ACCEPTED).count() == 19

    # Back on the Board's home page, the one person waits again.
    page.get_by_role("button", name="Đăng xuất").click()
    page = log_in("bantochuc")
    assert (
        "1 người chờ xét duyệt"
        in todo_group(page, "Danh sách cử đi học chờ xét duyệt").inner_text()
    )
