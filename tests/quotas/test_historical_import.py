"""Historical totals from Excel: the Board's page, the template, the check and the import."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import AuditEvent
from quotas.choices import Measure, PersonGroup
from quotas.history import (
    history_columns,
    history_read,
    history_read_xlsx,
    template_columns,
)
from quotas.models import HistoricalTotal
from quotas.services import historical_totals_import

pytestmark = pytest.mark.django_db

HEADINGS = ["Mã đơn vị", "Đơn vị", "Năm", "Chỉ tiêu kết nạp", "Kết nạp", "Học sinh", "Nữ"]
HEADINGS += ["Có tôn giáo", "Đoàn viên", "Giấy chứng nhận", "Nguồn"]
# Years before the demo's own totals (2019–2023).
GOOD = [
    ["THPT-HH1", "", 2017, 10, 9, 9, 6, 1, 9, 21, "Báo cáo 2017"],
    ["THPT-HH1", "", 2018, 10, 11, 11, 7, 0, 10, 24, "Báo cáo 2018"],
    ["", "Công ty Cổ phần may xuất khẩu Hà Phong", "2018", 3, 2, None, 1, None, 1, 5, ""],
    ["", "Công ty May Hà Thanh", 2016.0, None, 4, None, 3, None, 2, None, None],  # an alias
]


def xlsx(rows, headings=HEADINGS, *, title_rows=0) -> bytes:
    wb = Workbook()
    ws = wb.active
    for _ in range(title_rows):
        ws.append(["SỐ LIỆU KẾT NẠP ĐẢNG VIÊN CÁC NĂM"])
    ws.append(headings)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes, name="so-lieu.xlsx"):
    return SimpleUploadedFile(
        name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


URL = "quotas:historical_import"


def check(client, data: bytes):
    return client.post(reverse(URL), {"action": "check", "file": upload(data)})


def confirm(client, response):
    token = response.context["token"]
    return client.post(reverse(URL), {"action": "confirm", "token": token}, follow=True)


def snapshot():
    return sorted(
        HistoricalTotal.objects.values_list(
            "unit__code", "measure", "group", "dated", "count", "quota", "source"
        )
    )


def test_the_board_checks_then_imports_a_file(login, demo, board):
    client = login("bantochuc")
    before, audits = HistoricalTotal.objects.count(), AuditEvent.objects.count()
    response = check(client, xlsx(GOOD, title_rows=2))
    assert response.status_code == 200, response.context.get("problems")
    assert [line["row"].row for line in response.context["preview"]] == [4, 5, 6, 7]
    assert {line["status"] for line in response.context["preview"]} == {"new"}
    assert HistoricalTotal.objects.count() == before  # nothing saved before the confirmation

    page = confirm(client, response)
    assert page.redirect_chain[-1][0] == reverse("quotas:historical_list")
    hh1 = demo["THPT-HH1"]
    admitted = HistoricalTotal.objects.get(
        unit=hh1, measure=Measure.ADMISSIONS, group="", dated=date(2018, 12, 31)
    )
    assert (admitted.count, admitted.quota, admitted.source) == (11, 10, "Báo cáo 2018")
    assert admitted.recorded_by == board
    religion = HistoricalTotal.objects.get(
        unit=hh1, group=PersonGroup.RELIGION, dated=date(2017, 12, 31)
    )
    assert religion.count == 1 and religion.quota is None
    certified = HistoricalTotal.objects.get(
        unit=hh1, measure=Measure.CERTIFICATIONS, dated=date(2017, 12, 31)
    )
    assert certified.count == 21
    hathanh = HistoricalTotal.objects.filter(unit=demo["DN-HATHANH"], dated=date(2016, 12, 31))
    assert {(t.group, t.count) for t in hathanh} == {("", 4), ("women", 3), ("youth_union", 2)}
    # 6 + 6 numbers of THPT-HH1, 4 of Hà Phong (empty cells are not totals), 3 of Hà Thanh
    assert HistoricalTotal.objects.count() == before + 19
    assert AuditEvent.objects.count() == audits + 1
    event = AuditEvent.objects.latest("pk")
    assert event.action == "historical_totals_import" and event.details["created"] == 19
    messages = [str(m) for m in page.context["messages"]]
    assert messages == [
        "so-lieu.xlsx: Đã nhập 19 số liệu của 3 đơn vị, năm 2016–2018: 19 mới, 0 thay đổi, "
        "0 không đổi."
    ]
    # the list shows them
    html = client.get(reverse("quotas:historical_list") + "?nam=2018").content.decode()
    assert "Báo cáo 2018" in html and "Hà Phong" in html


def test_importing_the_same_file_again_changes_nothing(login, demo):
    client = login("bantochuc")
    confirm(client, check(client, xlsx(GOOD)))
    before, audits = snapshot(), AuditEvent.objects.count()
    again = check(client, xlsx(GOOD))
    assert {line["status"] for line in again.context["preview"]} == {"unchanged"}
    confirm(client, again)
    assert snapshot() == before
    assert AuditEvent.objects.count() == audits  # nothing written, nothing audited


def test_a_new_number_updates_the_total_and_an_empty_cell_keeps_it(board, demo):
    rows = [["THPT-HH1", "", 2018, 10, 11, 11, 7, 0, 10, 24, "Báo cáo 2018"]]
    historical_totals_import(actor=board, rows=_read(rows, board).rows)
    changed = [["THPT-HH1", "", 2018, None, 12, None, None, None, None, None, None]]
    plan = historical_totals_import(actor=board, rows=_read(changed, board).rows)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 1, 0)
    admitted = HistoricalTotal.objects.get(
        unit=demo["THPT-HH1"], group="", measure="admissions", dated=date(2018, 12, 31)
    )
    assert (admitted.count, admitted.quota, admitted.source) == (12, 10, "Báo cáo 2018")


def _read(rows, user, headings=HEADINGS):
    table = [(1, tuple(headings))] + [(n, tuple(r)) for n, r in enumerate(rows, start=2)]
    return history_read(table, user=user, today=date(2024, 6, 1))


def _problems(read):
    return {(p.row, p.column) for p in read.problems}


def test_every_problem_is_reported_with_its_row_and_column(board, demo):
    rows = [
        ["THPT-HH1", "", "20x3", 10, 9, None, None, None, None, None, None],  # 2
        ["THPT-HH1", "", 2024, 10, 9, None, None, None, None, None, None],  # 3: not over
        ["THPT-HH2", "", 2022, 4, -1, None, None, None, None, None, None],  # 4: one problem
        ["", "Trường THPT Không Có", 2022, None, 3, None, None, None, None, None, None],  # 5
        ["XX-99", "", 2022, None, 3, None, None, None, None, None, None],  # 6
        ["THPT-HH3", "", 2022, 5, None, None, None, None, None, None, None],  # 7: quota alone
        ["THPT-HH4", "", 2022, None, 3, 4, None, None, None, None, None],  # 8: 4 of 3
        ["THPT-HH5", "", 2022, None, "ba", None, None, None, None, None, None],  # 9
        ["THPT-HH6", "", 2022, None, 3, None, None, None, None, None, None],  # 10: fine
        ["THPT-HH6", "", 2022, None, 3, None, None, None, None, None, None],  # 11: twice
        ["THPT-HH6", "", None, None, 3, None, None, None, None, None, None],  # 12: no year
        ["THPT-HH6", "", 2021, None, None, None, None, None, None, None, "x"],  # 13: no number
        ["GDNN-GDTX", "", None, None, None, None, None, None, None, None, None],  # only a unit
    ]
    read = _read(rows, board)
    assert not read.ok and read.rows == []
    assert _problems(read) == {
        (2, "Năm"),
        (3, "Năm"),
        (4, "Kết nạp"),
        (5, "Đơn vị"),
        (6, "Mã đơn vị"),
        (7, "Chỉ tiêu kết nạp"),
        (8, "Học sinh"),
        (9, "Kết nạp"),
        (11, ""),
        (12, "Năm"),
        (13, ""),
    }
    unknown = next(p for p in read.problems if p.row == 5)
    assert "Trường THPT Không Có" in str(unknown)
    assert "XX-99" in str(next(p for p in read.problems if p.row == 6))
    said = [str(p) for p in read.problems]
    assert "Dòng 2, cột “Năm”: “20x3” không phải là năm." in said
    assert "Dòng 3, cột “Năm”: Năm 2024 chưa kết thúc" in said[1]
    assert "Dòng 4, cột “Kết nạp”: “-1”: Không được là số âm." in said
    assert [p.row for p in read.problems].count(4) == 1  # not also "a quota needs …"
    assert "Dòng 5, cột “Đơn vị”: Không có đơn vị nào tên là “Trường THPT Không Có”." in said
    assert "Dòng 8, cột “Học sinh”: 4 lớn hơn tổng số kết nạp (3)." in said
    assert "Dòng 11: Trường THPT Hiệp Hòa số 6, năm 2022 đã có ở dòng 10." in said


def test_a_file_with_errors_saves_nothing(login, demo):
    client = login("bantochuc")
    confirm(client, check(client, xlsx(GOOD)))
    before, audits = snapshot(), AuditEvent.objects.count()
    bad = [row[:] for row in GOOD]
    bad[0][4] = 99  # a good change...
    bad[3][2] = 2099  # ...and a year not over
    response = check(client, xlsx(bad))
    assert response.status_code == 400
    assert [(p.row, p.column) for p in response.context["problems"]] == [(5, "Năm")]
    assert "2099" in response.content.decode()
    assert snapshot() == before and AuditEvent.objects.count() == audits


def test_the_file_is_checked_again_on_confirmation(login, demo, monkeypatch):
    """A unit deleted or a rule changed between check and confirm: nothing is saved."""
    client = login("bantochuc")
    before = snapshot()
    response = check(client, xlsx(GOOD))
    monkeypatch.setattr(
        "quotas.history_views.history_read_xlsx",
        lambda data, **kw: history_read_xlsx(xlsx([["XX-1", "", 2022, 1, 1]]), **kw),
    )
    page = client.post(reverse(URL), {"action": "confirm", "token": response.context["token"]})
    assert page.status_code == 400 and snapshot() == before


def test_a_file_that_is_not_a_workbook_is_refused(login, demo):
    response = check(login("bantochuc"), b"Ma don vi;Nam\nTHPT-HH1;2022\n")
    assert response.status_code == 400
    assert len(response.context["problems"]) == 1 and response.context["problems"][0].row == 0


def test_unknown_and_missing_columns_are_named(board, demo):
    read = _read([["THPT-HH1", 2022, 3]], board, headings=["Mã đơn vị", "Năm", "Kết nạpp"])
    assert _problems(read) == {(1, "Kết nạpp"), (1, "")}  # unknown; no column of numbers
    read = _read([[1, "THPT-HH1", 3]], board, headings=["STT", "Mã đơn vị", "Kết nạp"])
    assert [p.row for p in read.problems] == [1]  # no "Năm"; "STT" is ignored


def test_the_template_reads_back_and_its_example_row_is_skipped(login, demo):
    client = login("bantochuc")
    response = client.get(reverse("quotas:historical_template"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    wb = load_workbook(BytesIO(data))
    ws = wb.worksheets[0]
    headings = [c.value for c in ws[1]]
    assert headings == [str(c.heading) for c in template_columns()]
    assert headings == [
        "Mã đơn vị",
        "Đơn vị",
        "Năm",
        "Chỉ tiêu kết nạp",
        "Kết nạp",
        "Học sinh",
        "Công nhân, người lao động",
        "Cán bộ quản lý, chủ doanh nghiệp",
        "Nữ",
        "Người dân tộc thiểu số",
        "Người có tôn giáo",
        "Đoàn viên",
        "Công nhân, người lao động doanh nghiệp ngoài nhà nước",
        "Giấy chứng nhận",
        "Nguồn",
    ]
    assert ws.cell(2, 1).value == "Ví dụ" and ws.cell(2, 2).value == demo["THPT-HH1"].name
    assert [c.value for c in wb.worksheets[1]["A"]][1:3] == ["HU-HIEPHOA", "THPT-HH1"]
    only_example = check(client, data)
    assert only_example.status_code == 400  # headings, no unit rows
    ws.cell(3, 1).value = "THPT-HH2"
    ws.cell(3, 3).value = 2022
    ws.cell(3, 5).value = 8
    out = BytesIO()
    wb.save(out)
    filled = check(client, out.getvalue())
    assert filled.status_code == 200
    assert [line["row"].unit.code for line in filled.context["preview"]] == ["THPT-HH2"]


def test_every_heading_belongs_to_one_column():
    from quotas.history.columns import column_spellings

    seen = {}
    for column in history_columns():
        for key in column_spellings(column):
            assert seen.setdefault(key, column.key) == column.key, key


@pytest.mark.parametrize("username", ["thuongtruc", "bithu.thpt1", "danguy.thang"])
def test_only_the_board_may_see_or_import(login, demo, username):
    client = login(username)
    before = snapshot()
    assert client.get(reverse("quotas:historical_list")).status_code == 403
    assert client.get(reverse("quotas:historical_template")).status_code == 403
    assert client.get(reverse(URL)).status_code == 403
    assert check(client, xlsx(GOOD)).status_code == 403
    assert snapshot() == before


def test_anonymous_users_go_to_the_login_page(client, demo):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and reverse("login") in response.url


def test_the_pages_open_for_the_board(login, demo, django_assert_max_num_queries):
    client = login("bantochuc")
    assert client.get(reverse(URL)).status_code == 200  # GET of the upload address
    assert client.get(reverse(URL) + "?x=1").status_code == 200
    stale = client.post(reverse(URL), {"action": "confirm", "token": "nope"}, follow=True)
    assert stale.redirect_chain[-1][0] == reverse(URL)
    empty = client.post(reverse(URL), {"action": "check"})
    assert empty.status_code == 400 and empty.context["form"].errors
    confirm(client, check(client, xlsx(GOOD)))
    with django_assert_max_num_queries(15):
        page = client.get(reverse("quotas:historical_list") + "?nam=2018")
    assert page.status_code == 200
    records = [row.record for row in page.context["table"].rows]
    rows = [(t.unit.code, t.measure, t.group) for t in records]
    assert len(rows) == 10  # 2018: THPT-HH1 6, Hà Phong 4
    assert rows[:6] == [  # in tree order, the groups in their order
        ("THPT-HH1", "admissions", ""),
        ("THPT-HH1", "admissions", "students"),
        ("THPT-HH1", "admissions", "women"),
        ("THPT-HH1", "admissions", "religion"),
        ("THPT-HH1", "admissions", "youth_union"),
        ("THPT-HH1", "certifications", ""),
    ]
    plans = client.get(reverse("quotas:plan_list")).content.decode()
    assert reverse("quotas:historical_list") in plans and "Số liệu các năm trước" in plans


def test_the_plan_list_links_the_page_only_for_the_board(login, demo):
    html = login("thuongtruc").get(reverse("quotas:plan_list")).content.decode()
    assert reverse("quotas:historical_list") not in html


def test_the_service_refuses_a_unit_and_year_given_twice(board, demo):
    from django.core.exceptions import ValidationError

    rows = _read([GOOD[0]], board).rows * 2
    before = snapshot()
    with pytest.raises(ValidationError, match="2017"):
        historical_totals_import(actor=board, rows=rows)
    assert snapshot() == before
