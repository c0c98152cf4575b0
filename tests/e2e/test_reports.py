"""The reports section in a real browser: the standing office finds a report from the menu,
previews it and downloads it; the Board issues one and finds it in the archive."""

import re

from reports.models import IssuedReport

from .pages import issue_report


def test_standing_office_previews_and_downloads_the_year_end_report(log_in, screenshot):
    page = log_in("thuongtruc")
    page.get_by_role("link", name="Báo cáo", exact=True).first.click()
    page.get_by_role("link", name=re.compile("Báo cáo tổng kết năm")).click()
    preview = page.locator(".report-preview")
    assert "HUYỆN ỦY HIỆP HÒA" in preview.inner_text()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in preview.inner_text()
    assert "Trường THPT Hiệp Hòa số 1" in preview.inner_text()
    summary = page.locator(".report-summary textarea").input_value()
    assert summary.startswith("Năm 2024, toàn Đảng bộ kết nạp")
    screenshot("reports-year-end")

    with page.expect_download() as info:
        page.locator(".report-downloads").get_by_role("link", name="PDF").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_standing_office_chooses_a_quarter_for_an_interim_report(log_in, demo_site):
    page = log_in("thuongtruc")
    page.goto(f"{demo_site.url}/bao-cao/")
    page.get_by_role("link", name=re.compile("Báo cáo sơ kết")).click()
    page.get_by_label("Kỳ báo cáo").select_option(label="Quý II/2024")
    page.get_by_role("button", name="Xem báo cáo").click()
    assert "quý II năm 2024" in page.locator(".report-preview").inner_text()
    assert "ky=q2" in page.url


def test_board_issues_a_report_and_downloads_it_again_from_the_archive(
    log_in, demo_site, screenshot
):
    page = log_in("bantochuc")
    page.goto(f"{demo_site.url}/bao-cao/year_end/")
    issue_report(
        page,
        number="12-BC/HU",
        day="20/12/2024",
        signer="Nguyễn Văn An",
        recipients="Ban Tổ chức Tỉnh ủy (b/c),\nLưu Văn phòng.",
    )
    assert "Đã ban hành Báo cáo số 12-BC/HU" in page.content()
    screenshot("reports-issued")

    report = IssuedReport.objects.get(number="12-BC/HU")
    assert report.signer_name == "Nguyễn Văn An"
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Tải tệp PDF")).click()
    with open(info.value.path(), "rb") as fh:
        assert fh.read() == report.file.open("rb").read()

    page.goto(f"{demo_site.url}/bao-cao/luu-tru/")
    assert "12-BC/HU" in page.locator("table.archive").inner_text()
