"""A whole year in a real browser (issue 17): the demo district's 2024 under Plan
145/KH-HU (seed 001), on a fresh database, each step by the role that does it, only
through the pages.

1. Board staff open the demo's copy of the plan and its class rounds, change one quota
   through the grid's Excel round trip and open the April class for students.
2. The secretary of THPT Hiệp Hòa số 1 sees the open class and the school's gap on her home
   page, uploads the list from Excel, sees the one refused row and why, fixes it, submits.
3. Board staff find the list on their home page, accept it, record the whole class's
   attendance and results at once and issue the certificates.
4. The secretary records the introducers and the file's papers of three students, then one
   cell resolution for them: the one not 18 yet is refused with the reason.
5. Board staff record the admission decision; the secretary records the ceremony.
6. The secretary and the standing office see the school's 19/5 milestone on the dashboard.
7. Board staff issue the year-end report (the standing office reads and downloads: it
   changes nothing, README); the standing office downloads it as PDF, Excel and Word and
   finds the dashboard's figures in all three, and the issued file in the archive.

"Today" is the day each step is played: ``settings.PTDV_TODAY``, which the app's one
clock ``core.dates.today()`` answers (rules, deadlines, to-do items, default days); the
moments of the records (audit trail, "sent at") stay the real ones. Every step saves a
screenshot (``PTDV_SCREENSHOTS``); ``make screenshots`` also writes the README's pictures.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pdfplumber
from playwright.sync_api import expect

from candidates.choices import DocumentKind, Stage
from candidates.models import Candidate
from quotas.models import Plan, TargetValue
from reports.models import IssuedReport
from training.models import TrainingClass
from units.models import Unit

from .nominees import add_from_file, nominee_file, nominee_people, send_list
from .pages import (
    dashboard_figures,
    issue_report,
    log_out,
    readme_page,
    todo_group,
)

CLASS_NAME = "Lớp bồi dưỡng nhận thức về Đảng cho học sinh – đợt 1/2024"
ROUND_1 = "Đợt 1: giới thiệu dự lớp bồi dưỡng"
BY_19_MAY = "Kết nạp nhân dịp 19/5/2024"
YEAR_QUOTA = "Chỉ tiêu kết nạp Đảng viên"
SCHOOL = "Trường THPT Hiệp Hòa số 1"


@dataclass
class Year:
    """The browser, the server and the day being played."""

    page: object
    log_in: object
    base: str
    settings: object
    shot: object
    files: Path

    def as_user(self, username: str, day: date):
        self.settings.PTDV_TODAY = day
        if self.page is not None:
            log_out(self.page)
        self.page = self.log_in(username)
        return self.page

    def go(self, path: str):
        self.page.goto(f"{self.base}{path}")

    def download(self, link) -> Path:
        with self.page.expect_download() as info:
            link.click()
        path = self.files / info.value.suggested_filename
        info.value.save_as(path)
        return path


def full_name(person: dict) -> str:
    return f"{person['family_name']} {person['given_name']}"


def test_the_demo_districts_2024_from_plan_to_year_end_report(
    log_in, demo_site, screenshot, tmp_path, settings
):
    year = Year(None, log_in, demo_site.url, settings, screenshot, tmp_path)
    cls = board_opens_the_plan_and_the_class(year)
    people = secretary_sends_the_list(year, cls)
    board_accepts_and_certifies(year, cls)
    admitted, young = secretary_prepares_the_files(year, people)
    board_decides_and_cell_holds_the_ceremony(year, admitted)
    figures = everyone_sees_the_19_may_milestone(year, admitted)
    year_end_report_matches_the_dashboard(year, figures)
    assert Candidate.objects.get(citizen_id=young["citizen_id"]).stage == Stage.BACKGROUND_VERIFIED


def board_opens_the_plan_and_the_class(year: Year) -> TrainingClass:
    page = year.as_user("bantochuc", date(2024, 3, 21))
    plan = Plan.objects.get(number="145/KH-HU")
    page.get_by_role("link", name="Kế hoạch", exact=True).first.click()
    page.get_by_role("link", name="145/KH-HU").click()
    rounds = page.locator("section").filter(has_text="Các đợt bồi dưỡng").first
    assert "Đợt 1 – tháng 4/2024" in rounds.inner_text()
    assert "Đợt 2 – tháng 10/2024" in rounds.inner_text()
    year.shot("year-1-plan")

    # The grid's Excel round trip: Hà Phong (a trade-union enterprise, "2 each") sends 3.
    page.get_by_role("link", name="Bảng giao chỉ tiêu").click()
    grid = year.download(page.get_by_role("link", name="Tải Excel"))
    wb = openpyxl.load_workbook(grid)
    ws = wb.active
    column = [c.value for c in ws[3]].index(f"{ROUND_1} – tối thiểu")
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "DN-HAPHONG")
    assert row[column].value is None  # follows "every enterprise with a trade union: 2"
    row[column].value = 3
    wb.save(grid)
    page.get_by_role("button", name="Nhập từ Excel").click()
    page.get_by_label("Tệp bảng tính (.xlsx, .xls hoặc .ods)").set_input_files(str(grid))
    page.locator("#grid-import-form").get_by_role("button", name="Nhập từ Excel").click()
    assert "Kiểm tra rồi bấm Lưu để ghi 1 thay đổi." in page.locator("#grid-preview").inner_text()
    year.shot("year-1-grid-preview")
    page.locator("#grid-form").get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu 1 thay đổi.")).to_be_visible()
    haphong = Unit.objects.get(code="DN-HAPHONG")
    assert TargetValue.objects.get(target__name=ROUND_1, unit=haphong).minimum == 3

    # The April class for students: Sundays 7 and 14 April, lists by 31 March.
    page.get_by_role("link", name="145/KH-HU").click()
    page.get_by_role("link", name="Thêm lớp").click()
    page.locator("#id_round").select_option(label="Đợt 1 – tháng 4/2024")
    page.locator("#id_name").fill(CLASS_NAME)
    page.locator("#id_audience").select_option(value="students")
    page.locator("#id_organiser").select_option(str(Unit.objects.get(code="TTCT-HH").pk))
    page.locator("#id_venue").fill("Trung tâm Chính trị huyện Hiệp Hòa")
    page.locator("#id_capacity").fill("200")
    page.locator("#id_nomination_deadline").fill("31/03/2024")
    page.locator("#id_sessions").fill("07/04/2024, 14/04/2024")
    page.locator("#id_status").select_option(value="open")
    page.locator("#id_certificate_prefix").fill("HS1/2024-")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu lớp học.")).to_be_visible()
    year.shot("year-1-class")
    return TrainingClass.objects.get(plan=plan, name=CLASS_NAME)


def secretary_sends_the_list(year: Year, cls: TrainingClass) -> list[dict]:
    school = Unit.objects.get(code="THPT-HH1")
    people = nominee_people(20, born_from=date(2006, 1, 1), born_to=date(2006, 4, 10), seed=2024)
    people[4]["date_of_birth"] = date(2006, 8, 15)  # 18 only in August
    page = year.as_user("bithu.thpt1", date(2024, 3, 25))
    item = (
        todo_group(page, "Lớp đang nhận danh sách cử đi học")
        .locator(".todo-item")
        .filter(has_text=CLASS_NAME)
    )
    assert "còn thiếu 20" in item.inner_text() and "31/03/2024" in item.inner_text()
    year.shot("year-2-secretary-home")
    readme_page(page, "secretary-home", height=820)
    item.get_by_role("link").click()

    # One impossible date: that row is refused with the reason, nothing saved.
    broken = [dict(p) for p in people]
    broken[9]["date_of_birth"] = "30/02/2006"
    upload = page.locator("input[type=file][name=file]")
    upload.set_input_files(str(nominee_file(year.files, school, people=broken, name="loi.xlsx")))
    page.get_by_role("button", name="Kiểm tra và thêm").click()
    errors = page.locator("#import-errors").inner_text()
    assert "có 1 lỗi, chưa lưu gì" in errors and "“30/02/2006” không phải là ngày hợp lệ" in errors
    year.shot("year-2-upload-refused")
    assert not cls.nominations.exists()

    add_from_file(upload, nominee_file(year.files, school, people=people))
    send_list(page)
    year.shot("year-2-list-submitted")
    return people


def board_accepts_and_certifies(year: Year, cls: TrainingClass) -> None:
    page = year.as_user("bantochuc", date(2024, 4, 1))
    waiting = todo_group(page, "Danh sách cử đi học chờ xét duyệt")
    assert "THPT Hiệp Hòa số 1: 20 người chờ xét duyệt" in waiting.inner_text()
    year.shot("year-3-board-home")
    waiting.get_by_role("link", name="THPT Hiệp Hòa số 1", exact=False).first.click()
    page.get_by_role("button", name="Duyệt tất cả người đang chờ").click()
    expect(page.get_by_text("Đã duyệt 20 người.")).to_be_visible()
    # The day after the last session: the whole class at once.
    year.settings.PTDV_TODAY = date(2024, 4, 15)
    year.go(cls.get_absolute_url())
    page.get_by_role("link", name="Điểm danh và kết quả").click()
    for day in ("07/04/2024", "14/04/2024"):
        page.get_by_role("button", name=f"Tất cả có mặt ngày {day}").click()
    page.get_by_role("button", name="Tất cả đạt").click()
    page.get_by_role("button", name="Lưu điểm danh và kết quả").click()
    expect(page.get_by_text("Đã lưu điểm danh và kết quả.")).to_be_visible()
    page.get_by_label("Ngày cấp giấy chứng nhận").fill("14/04/2024")
    page.get_by_role("button", name="Cấp giấy chứng nhận").click()
    expect(page.get_by_text("Đã cấp 20 giấy chứng nhận.")).to_be_visible()
    year.shot("year-3-certificates")
    assert cls.nominations.filter(candidate__stage=Stage.CERTIFIED).count() == 20


PAPERS = {
    DocumentKind.APPLICATION: "15/04/2024",
    DocumentKind.BACKGROUND: "15/04/2024",
    DocumentKind.INTRODUCTION: "16/04/2024",
    DocumentKind.UNION_RESOLUTION: "16/04/2024",
    DocumentKind.OPINIONS: "18/04/2024",
    DocumentKind.VERIFICATION: "19/04/2024",
}


def step_for_many(year: Year, names, step, day, number="", votes=None):
    """Tick people on the candidate list and record one step for all of them."""
    page = year.page
    year.go("/doi-tuong/")
    for name in names:
        page.get_by_role("checkbox", name=f"Chọn {name}").check()
    page.locator("#buoc").select_option(step)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Ngày", exact=True).fill(day)
    page.get_by_label("Số văn bản").fill(number)
    if votes:
        page.get_by_label("Số phiếu tán thành").fill(str(votes[0]))
        page.get_by_label("Số đảng viên chính thức của chi bộ").fill(str(votes[1]))
    page.get_by_role("button", name="Ghi cho những người đã chọn").click()


def secretary_prepares_the_files(year: Year, people: list[dict]):
    page = year.as_user("bithu.thpt1", date(2024, 4, 22))
    young = people[4]
    three = [people[0], people[1], young]
    for person in three:
        year.go(Candidate.objects.get(citizen_id=person["citizen_id"]).get_absolute_url())
        box = page.locator("#introducers")
        for introducer in ("Nguyễn Văn Hùng", "Ngô Thị Hạnh"):
            box.get_by_text("Thêm người giới thiệu").click()
            box.locator("input[name=name]").fill(introducer)
            box.locator("input[name=unit_name]").fill("Chi bộ Trường THPT Hiệp Hòa số 1")
            box.locator("input[name=since]").fill("05/09/2021")  # since grade 10
            box.get_by_role("button", name="Thêm").click()
        expect(box.get_by_text("Ngô Thị Hạnh")).to_be_visible()
        page.get_by_role("link", name="Cập nhật giấy tờ").click()
        for kind, day in PAPERS.items():
            page.locator(f"#id_{kind}_dated").fill(day)
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_text("Đã lưu các giấy tờ trong hồ sơ.")).to_be_visible()
    year.shot("year-4-candidate-file")

    names = [full_name(p) for p in three]
    step_for_many(year, names, "file_preparation", "15/04/2024")
    expect(page.get_by_text("Đã ghi “Đang hoàn thiện hồ sơ” cho 3 người.")).to_be_visible()
    step_for_many(year, names, "background_verified", "19/04/2024")
    expect(page.get_by_text("Đã ghi “Đã thẩm tra lý lịch” cho 3 người.")).to_be_visible()
    step_for_many(year, names, "cell_resolution", "22/04/2024", "05-NQ/CB", votes=(17, 18))
    expect(page.get_by_text("Đã ghi “Chi bộ xét, đề nghị kết nạp” cho 2 người.")).to_be_visible()
    blocked = page.locator("#blocked").inner_text()
    assert full_name(young) in blocked
    assert "phải đủ 18 tuổi" in blocked and "đủ 18 tuổi vào ngày 15/08/2024" in blocked
    year.shot("year-4-resolution-one-refused")
    return three[:2], young


def board_decides_and_cell_holds_the_ceremony(year: Year, admitted: list[dict]) -> None:
    names = [full_name(p) for p in admitted]
    page = year.as_user("bantochuc", date(2024, 5, 6))
    year.go("/doi-tuong/")
    page.get_by_role("link", name="Quyết định kết nạp").click()
    for name in names:
        page.get_by_label(name).check()
    page.get_by_label("Số quyết định").fill("1234-QĐ/HU")
    page.get_by_label("Ngày quyết định").fill("06/05/2024")
    page.get_by_role("button", name="Ghi quyết định").click()
    expect(page.get_by_text("Đã ghi quyết định 1234-QĐ/HU cho 2 người.")).to_be_visible()
    year.shot("year-5-decision")

    year.as_user("bithu.thpt1", date(2024, 5, 15))
    step_for_many(year, names, "ceremony", "15/05/2024")
    expect(year.page.get_by_text("Đã ghi “Đã tổ chức lễ kết nạp” cho 2 người.")).to_be_visible()
    year.shot("year-5-ceremony")
    stages = {Candidate.objects.get(citizen_id=p["citizen_id"]).stage for p in admitted}
    assert stages == {Stage.PROBATIONARY}  # from the ceremony on


def everyone_sees_the_19_may_milestone(year: Year, admitted: list[dict]) -> dict[str, str]:
    """The school's milestone by 19/5, on the secretary's dashboard and the standing
    office's: the two admitted against "from 8 to 10"."""
    seen = []
    for username in ("bithu.thpt1", "thuongtruc"):
        page = year.as_user(username, date(2024, 5, 20))
        page.get_by_role("link", name="Tiến độ", exact=True).first.click()
        page.get_by_label("Tính đến ngày").fill("19/05/2024")
        page.get_by_role("button", name="Xem").click()
        milestone = page.locator(".card").filter(has_text="19/05/2024").filter(has_text=BY_19_MAY)
        expect(milestone.first).to_be_visible()
        seen.append(dashboard_figures(page, "THPT Hiệp Hòa số 1"))
        year.shot(f"year-6-dashboard-{username}")
    readme_page(year.page, "dashboard", height=900)
    assert seen[0][BY_19_MAY] == seen[1][BY_19_MAY]
    assert seen[0][BY_19_MAY] == f"{len(admitted)}/8–10"
    return seen[1]


def _figure(text: str) -> tuple[str, str]:
    """ "3/8–10" → ("3", "8–10"); "Σ 3/70" → ("3", "70")."""
    actual, bounds = text.removeprefix("Σ").strip().split("/")
    return actual, bounds


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(" – ", "–")).strip()


def year_end_report_matches_the_dashboard(year: Year, may: dict[str, str]) -> None:
    day = date(2024, 12, 20)
    page = year.as_user("bantochuc", day)
    year.go("/bao-cao/year_end/")
    issue_report(page, number="12-BC/HU", day="20/12/2024", signer="Nguyễn Văn An")
    assert "Đã ban hành Báo cáo số 12-BC/HU" in page.content()
    year.shot("year-7-issued")

    # The standing office: the dashboard on the same day, then the report in three files.
    page = year.as_user("thuongtruc", day)
    page.get_by_role("link", name="Tiến độ", exact=True).first.click()
    school = dashboard_figures(page, "THPT Hiệp Hòa số 1")
    district = dashboard_figures(page, "Huyện ủy Hiệp Hòa")
    assert school[BY_19_MAY] == may[BY_19_MAY]
    year.shot("year-7-dashboard")
    admitted, quota = _figure(school[YEAR_QUOTA])
    by_may, may_quota = _figure(school[BY_19_MAY])
    total, total_quota = _figure(district[YEAR_QUOTA])
    accepted, round_quota = _figure(school[ROUND_1])
    # Table 1: the 19/5 quota and actual, then the year's; Table 2: round 1's quota, the
    # people nominated, then those accepted (what the dashboard counts).
    table1 = f"{SCHOOL} {may_quota} {by_may} .* {quota} {admitted} "
    table2 = f"{SCHOOL} {round_quota} [0-9]+ {accepted} "
    summary = f"kết nạp {total} đảng viên, đạt [0-9,]+% chỉ tiêu \\({total_quota} đảng viên\\)"

    page.get_by_role("link", name="Báo cáo", exact=True).first.click()
    page.get_by_role("link", name=re.compile("Báo cáo tổng kết năm")).click()
    links = page.locator(".report-downloads")
    texts = {
        "pdf": _pdf_text(year.download(links.get_by_role("link", name="PDF"))),
        "xlsx": _xlsx_text(year.download(links.get_by_role("link", name="Excel"))),
        "docx": _docx_text(year.download(links.get_by_role("link", name="Word"))),
    }
    for fmt, text in texts.items():
        assert re.search(table1, text), (fmt, table1)
        assert re.search(table2, text), (fmt, table2)
        assert re.search(summary, text), (fmt, summary)

    # The archive keeps the issued file, number and date on it.
    page.get_by_role("link", name="Báo cáo", exact=True).first.click()
    page.get_by_role("link", name="Kho báo cáo").first.click()
    row = page.locator("table.archive tbody tr").filter(has_text="12-BC/HU")
    assert "20/12/2024" in row.inner_text() and "Nguyễn Văn An" in row.inner_text()
    row.get_by_role("link").first.click()
    issued = year.download(page.get_by_role("link", name=re.compile("Tải tệp PDF")))
    report = IssuedReport.objects.get(number="12-BC/HU")
    assert issued.read_bytes() == report.file.open("rb").read()
    first_page = _pdf_text(issued).split("BÁO CÁO")[0]
    assert "Số 12-BC/HU" in first_page and "ngày 20 tháng 12 năm 2024" in first_page
    year.shot("year-7-archive")


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return _flat("\n".join(p.extract_text() or "" for p in pdf.pages))


def _xlsx_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    lines = []
    for ws in wb:
        for row in ws.iter_rows(values_only=True):
            lines.append(" ".join(str(v) for v in row if v is not None))
    # Excel keeps numbers and shares as numbers: 0.375 is the 37,5% of the PDF.
    return _flat("\n".join(lines))


def _docx_text(path: Path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:  # a merged cell comes once for every grid column
                if not cells or cell._tc is not cells[-1]._tc:
                    cells.append(cell)
            parts.append(" ".join(c.text for c in cells))
    return _flat("\n".join(parts))
