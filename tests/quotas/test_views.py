"""Plan pages, forms and the dashboard: happy paths, forbidden paths, query bounds."""

import re
from datetime import date, datetime

import pytest
from django.urls import reverse

from core.dates import today
from core.models import AuditEvent
from quotas.choices import PersonGroup
from quotas.forms import TARGET_HELP
from quotas.models import Plan, Target, TargetValue
from units.models import UnitKind

pytestmark = pytest.mark.django_db


def dashboard_url(plan, **params):
    url = reverse("quotas:plan_dashboard", kwargs={"pk": plan.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.mark.parametrize("username", ["bantochuc", "thuongtruc", "bithu.thpt1", "danguy.thang"])
def test_every_role_reads_the_plan_and_its_progress(login, plan145, username):
    client = login(username)
    assert client.get(reverse("quotas:plan_list")).status_code == 200
    page = client.get(plan145.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chỉ tiêu kết nạp Đảng viên" in html and "Thông tin kế hoạch" in html
    assert client.get(dashboard_url(plan145)).status_code == 200


def test_the_dashboard_shows_what_actual_means_and_who_is_behind(login, plan145, record, demo):
    record(demo["THPT-HH3"], 9, date(2024, 3, 1), group=PersonGroup.STUDENTS)
    html = login("bantochuc").get(dashboard_url(plan145, ngay="26/04/2024")).content.decode()
    assert "Tình hình đến ngày <strong>26/04/2024</strong>" in html
    assert "số quyết định kết nạp ký ngày 01/01/2024–19/05/2024" in html.lower()
    assert "còn 23 ngày" in html  # 19/5 milestone
    assert "Đơn vị chậm, chưa đạt" in html
    assert "Trường THPT" in html and "Chậm" in html and "Đạt" in html


def test_a_secretary_sees_only_their_unit(login, plan145):
    response = login("bithu.thpt1").get(dashboard_url(plan145, ngay="26/04/2024"))
    rows = response.context["dashboard"].rows
    assert [r.unit.code for r in rows] == ["THPT-HH1"]
    assert "Hà Phong" not in response.content.decode()


def test_dashboard_home_opens_the_plan_in_force(login, plan145):
    response = login("bantochuc").get(reverse("dashboard") + "?ngay=01/05/2024")
    assert response.status_code == 302
    assert response.url == dashboard_url(plan145) + "?ngay=01%2F05%2F2024"


def test_a_bad_day_keeps_the_page_and_says_why(login, plan145):
    response = login("bantochuc").get(dashboard_url(plan145, ngay="31/02/2024"))
    assert response.status_code == 200
    assert "Nhập một ngày hợp lệ" in response.content.decode()


def test_the_dashboard_runs_a_bounded_number_of_queries(
    login, plan145, django_assert_max_num_queries
):
    client = login("bantochuc")
    with django_assert_max_num_queries(40):
        assert client.get(dashboard_url(plan145, ngay="26/04/2024")).status_code == 200


@pytest.mark.parametrize("username", ["thuongtruc", "bithu.thpt1", "danguy.thang"])
def test_only_the_board_changes_plans(login, plan145, username):
    client = login(username)
    for name, kwargs in [
        ("quotas:plan_create", {}),
        ("quotas:plan_update", {"pk": plan145.pk}),
        ("quotas:target_create", {"pk": plan145.pk}),
        ("quotas:round_create", {"pk": plan145.pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
        assert client.post(reverse(name, kwargs=kwargs), {}).status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(client, plan145):
    response = client.get(dashboard_url(plan145))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_board_creates_a_plan(login, demo):
    client = login("bantochuc")
    response = client.post(
        reverse("quotas:plan_create"),
        {
            "number": "159-KH/HU",
            "title": "Phát triển đảng viên trong học sinh, doanh nghiệp không có vốn Nhà nước",
            "issuer": demo["HU-HIEPHOA"].pk,
            "issued_on": "25/12/2023",
            "year": 2024,
            "status": "in_force",
        },
    )
    plan = Plan.objects.get(number="159-KH/HU")
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert plan.issued_on == date(2023, 12, 25) and plan.area == demo["HU-HIEPHOA"]
    assert AuditEvent.objects.filter(action="plan_create", details__pk=plan.pk).exists()


def test_a_plan_with_errors_is_not_saved_and_says_why(login, demo):
    client = login("bantochuc")
    response = client.post(
        reverse("quotas:plan_create"),
        {
            "number": "145/KH-HU",
            "title": "x",
            "issuer": demo["HU-HIEPHOA"].pk,
            "issued_on": "20/3/2024",
            "year": 2031,
            "status": "draft",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đơn vị này đã có kế hoạch mang số này." in html
    assert "Năm thực hiện cách xa ngày ban hành" in html
    assert Plan.objects.count() == 1


def test_board_adds_a_target_for_every_unit_of_a_kind(login, plan145, demo):
    client = login("bantochuc")
    kind = UnitKind.objects.get(code="high_school")
    response = client.post(
        reverse("quotas:target_create", kwargs={"pk": plan145.pk}),
        {
            "name": "Mỗi trường THPT ít nhất 01",
            "measure": "admissions",
            "starts_on": "01/01/2024",
            "ends_on": "31/12/2024",
            "group": "students",
            "each_kind": kind.pk,
            "each_min": 1,
            "position": 9,
        },
    )
    assert response.status_code == 302
    target = plan145.targets.get(name="Mỗi trường THPT ít nhất 01")
    assert (target.each_kind, target.each_min, target.each_party_organisation) == (kind, 1, None)


def test_a_target_with_bad_numbers_says_why_in_vietnamese(login, plan145):
    client = login("bantochuc")
    before = Target.objects.count()
    response = client.post(
        reverse("quotas:target_create", kwargs={"pk": plan145.pk}),
        {
            "name": "Tỷ lệ",
            "measure": "admissions",
            "starts_on": "31/12/2024",
            "ends_on": "01/01/2024",
            "is_share": "on",
            "area_min": 120,
            "each_min": -1,
            "position": 1,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tỷ lệ tính bằng phần trăm: không quá 100." in html
    assert "Hạn không được trước ngày bắt đầu tính." in html
    assert "Không được là số âm." in html
    assert Target.objects.count() == before


def test_a_whole_area_number_is_saved_with_the_target(login, plan145, demo):
    client = login("bantochuc")
    client.post(
        reverse("quotas:target_create", kwargs={"pk": plan145.pk}),
        {
            "name": "Giới thiệu 250",
            "measure": "introductions",
            "starts_on": "01/01/2024",
            "ends_on": "31/12/2024",
            "area_min": 250,
            "position": 7,
        },
    )
    target = plan145.targets.get(name="Giới thiệu 250")
    value = TargetValue.objects.get(target=target)
    assert (value.unit, value.minimum, value.maximum) == (demo["HU-HIEPHOA"], 250, None)
    edit = client.get(
        reverse("quotas:target_update", kwargs={"pk": plan145.pk, "target_pk": target.pk})
    )
    assert edit.context["form"]["area_min"].value() == 250


def test_deleting_a_target_asks_first_and_records_it(login, plan145):
    client = login("bantochuc")
    target = plan145.targets.get(name="Kết nạp tại các chi bộ doanh nghiệp")
    url = reverse("quotas:target_delete", kwargs={"pk": plan145.pk, "target_pk": target.pk})
    assert "Không thể hoàn tác" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()
    assert AuditEvent.objects.filter(action="target_delete", details__pk=target.pk).exists()


def test_the_kind_filter_offers_the_kinds_shown_and_keeps_them_when_used(login, plan145, demo):
    client = login("bantochuc")
    kind = demo["THPT-HH1"].kind
    response = client.get(dashboard_url(plan145, ngay="26/04/2024", loai=kind.pk))
    offered = set(response.context["form"].fields["loai"].queryset.values_list("code", flat=True))
    assert offered == {
        "committee",
        "high_school",
        "vocational_centre",
        "commune_committee",
        "agency_committee",
        "enterprise",
    }
    assert {r.unit.kind_id for r in response.context["dashboard"].rows} == {kind.pk}
    secretary = login("bithu.thpt1").get(dashboard_url(plan145))
    assert not secretary.context["show_kind_filter"]
    # A school's secretary does not get the committees' column.
    names = [tp.target.name for tp in secretary.context["dashboard"].targets]
    assert "Kết nạp tại các chi bộ doanh nghiệp" not in names


def test_the_home_page_sums_up_the_latest_plan(login, plan145):
    response = login("bithu.thpt1").get("/")
    html = response.content.decode()
    assert response.context["plan"] == plan145
    # No plan for this year: the latest, closed since its year ended.
    assert "plan-status-closed" in html and "Đã kết thúc" in html and "Xem tiến độ" in html
    counts = response.context["counts"]
    # Shown as the plan ended (after 31/12/2024), nothing recorded: all four missed.
    assert sum(counts.values()) == 4 and counts["missed"] == 4


def test_the_plan_page_offers_the_annex_downloads(login, plan145):
    html = login("thuongtruc").get(plan145.get_absolute_url()).content.decode()
    for fmt in ("pdf", "xlsx"):
        assert reverse("reports:plan_annex", kwargs={"pk": plan145.pk, "fmt": fmt}) in html


def test_after_the_plan_the_chart_shows_the_target_with_the_most_units(login, plan145):
    response = login("bantochuc").get(dashboard_url(plan145))  # today: long after 2024
    chart = response.context["chart"]
    assert chart["target"].in_annex  # the annex: all thirteen cells
    assert len(chart["items"]) == plan145.targets.get(in_annex=True).values.count()


def test_the_attached_plan_is_uploaded_and_read_only_by_those_who_may(
    login, plan145, demo, settings, tmp_path, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import UnitFactory, make_holder
    from units.choices import Role

    settings.MEDIA_ROOT = tmp_path
    board = login("bantochuc")
    data = {
        "number": plan145.number,
        "title": plan145.title,
        "issuer": demo["HU-HIEPHOA"].pk,
        "issued_on": "20/03/2024",
        "year": 2024,
        "status": "in_force",
    }
    bad = board.post(
        reverse("quotas:plan_update", kwargs={"pk": plan145.pk}),
        {**data, "attachment": SimpleUploadedFile("virus.exe", b"MZ")},
    )
    assert bad.status_code == 200 and "virus.exe" not in str(Plan.objects.get().attachment)
    assert "Không nhận tệp loại “exe”" in bad.content.decode()
    response = board.post(
        reverse("quotas:plan_update", kwargs={"pk": plan145.pk}),
        {**data, "attachment": SimpleUploadedFile("145-KH-HU.pdf", b"%PDF-1.4 plan")},
    )
    assert response.status_code == 302
    url = reverse("quotas:plan_attachment", kwargs={"pk": plan145.pk})
    assert url in board.get(plan145.get_absolute_url()).content.decode()
    secretary = login("bithu.thpt1").get(url)
    assert secretary.status_code == 200
    assert b"".join(secretary.streaming_content) == b"%PDF-1.4 plan"
    outsider = make_holder(role=Role.SECRETARY, unit=UnitFactory(name="Chi bộ ngoài địa bàn"))
    client.force_login(outsider)
    assert client.get(url).status_code == 404


# --- the plan list: a table with a filter, sorting and an Excel export ----------------------


def _plans(demo, n: int, **fields) -> list[Plan]:
    """``n`` more plans, issued by different units so that a query per row would show."""
    issuers = [demo[code] for code in ("HU-HIEPHOA", "THPT-HH1", "THPT-HH2", "THPT-HH3")]
    return [
        Plan.objects.create(
            **{
                "number": f"{100 + i}-KH/TEST",
                "title": f"Kế hoạch thử {i}",
                "issuer": issuers[i % len(issuers)],
                "area": issuers[i % len(issuers)],
                "issued_on": date(2023, 1 + i % 12, 1 + i % 27),
                "year": 2023,
                **fields,
            }
        )
        for i in range(n)
    ]


def test_plan_list_is_a_table_with_the_same_columns_and_links(login, plan145):
    html = login("bantochuc").get(reverse("quotas:plan_list")).content.decode()
    for header in ("Số", "Trích yếu", "Cơ quan ban hành", "Ngày", "Tình trạng"):
        assert f">{header}</a>" in html  # every column sorts
    assert f'<a class="fw-semibold" href="{plan145.get_absolute_url()}">145/KH-HU</a>' in html
    assert reverse("quotas:plan_dashboard", args=[plan145.pk]) in html
    assert reverse("quotas:plan_create") in html
    assert "?xuat=xlsx" in html


def test_plan_list_runs_a_bounded_number_of_queries(login, demo, django_assert_max_num_queries):
    _plans(demo, 30)
    client = login("bantochuc")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("quotas:plan_list"))
    assert page.status_code == 200
    assert "Kế hoạch thử 29" in page.content.decode()


def test_plan_list_filters_and_sorts(login, plan145, demo):
    (draft,) = _plans(demo, 1)
    client = login("bantochuc")
    html = client.get(reverse("quotas:plan_list") + "?status=draft").content.decode()
    assert draft.title in html and plan145.title not in html
    # the filter form shows what is filtered; an empty choice reads "any"
    assert 'role="search"' in html and '<option value="draft" selected>' in html
    assert '<option value="">bất kỳ</option>' in html
    nothing = client.get(reverse("quotas:plan_list") + "?year=1990").content.decode()
    assert "Không có mục nào khớp với bộ lọc." in nothing
    assert "Chưa nhập kế hoạch nào" not in nothing
    assert '<option value="" selected>bất kỳ</option>' in nothing  # status: any
    assert "---------" not in nothing
    rows = client.get(reverse("quotas:plan_list") + "?sap_xep=issued_on").context["table"].rows
    days = [row.record.issued_on for row in rows]
    assert days == sorted(days)


def _sheet(response):
    from io import BytesIO

    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(BytesIO(b"".join(response.streaming_content))).active


def test_plan_list_exports_the_filtered_list_to_excel(login, plan145, demo):
    _plans(demo, 60)  # more than a page: the export has every row
    client = login("bantochuc")
    ws = _sheet(client.get(reverse("quotas:plan_list") + "?xuat=xlsx"))
    rows = list(ws.iter_rows(values_only=True))
    # every column but the button
    assert rows[0] == ("Số", "Trích yếu", "Cơ quan ban hành", "Ngày", "Tình trạng")
    assert len(rows) == 1 + 61
    # ready to print: A4 landscape, the heading row on every page, the heading frozen
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "landscape")  # 9: A4
    assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
    assert ("145/KH-HU", plan145.title, "Huyện ủy Hiệp Hòa", datetime(2024, 3, 20)) in [
        r[:4] for r in rows
    ]
    ws = _sheet(client.get(reverse("quotas:plan_list") + "?year=2024&xuat=xlsx"))
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["145/KH-HU"]


@pytest.mark.parametrize("title", ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)"])
def test_text_that_looks_like_a_formula_stays_text_in_the_export(login, demo, title):
    (plan,) = _plans(demo, 1, title=title)
    ws = _sheet(login("bantochuc").get(reverse("quotas:plan_list") + "?xuat=xlsx"))
    cell = next(row[1] for row in ws.iter_rows(min_row=2) if row[0].value == plan.number)
    assert cell.value == title  # unchanged, not a formula
    assert cell.data_type == "s" and cell.quotePrefix


def test_tablibs_own_escape_would_change_the_text():
    """Why the export writes its cells itself: tablib's ``escape`` drops the "=" of a
    formula (the text changes) and leaves "+", "-" and "@" as they are."""
    from io import BytesIO

    import tablib
    from openpyxl import load_workbook

    data = tablib.Dataset(["=1+1"], ["+1"], headers=["x"]).export("xlsx", escape=True)
    ws = load_workbook(BytesIO(data)).active
    assert ws["A2"].value == "1+1"
    assert ws["A3"].value == "+1" and not ws["A3"].quotePrefix


# --- plans over time (issue 15, item 8) ----------------------------------------------------


def copy_url(plan):
    return reverse("quotas:plan_copy", args=[plan.pk])


def test_the_board_copies_last_years_plan_and_lands_on_the_new_plans_form(login, plan145):
    client = login("bantochuc")
    detail = client.get(plan145.get_absolute_url()).content.decode()
    assert f'action="{copy_url(plan145)}"' in detail  # a POST form: works without JavaScript
    response = client.post(copy_url(plan145))
    new = Plan.objects.get(issuer=plan145.issuer, year=2025)
    assert response.status_code == 302
    assert response.url == reverse("quotas:plan_update", args=[new.pk])
    assert new.status == "draft" and new.targets.count() == plan145.targets.count()
    form = client.get(response.url).content.decode()
    assert "alert-success" in form and new.title in form


def test_copying_again_says_why_and_changes_nothing(login, plan145):
    client = login("bantochuc")
    client.post(copy_url(plan145))
    plans = Plan.objects.count()
    response = client.post(copy_url(plan145), follow=True)
    assert response.redirect_chain[-1][0] == plan145.get_absolute_url()
    assert Plan.objects.count() == plans
    html = response.content.decode()
    assert "alert-danger" in html
    assert "2025" in html and "145/KH-HU" in html
    # The plan page now leads to next year's plan instead of offering the copy again.
    new = Plan.objects.get(issuer=plan145.issuer, year=2025)
    assert f'href="{new.get_absolute_url()}"' in html and copy_url(plan145) not in html


@pytest.mark.parametrize("username", ["thuongtruc", "bithu.thpt1", "danguy.thang"])
def test_only_the_board_copies_a_plan(login, plan145, username):
    client = login(username)
    assert client.post(copy_url(plan145)).status_code == 403
    assert "sao-chep" not in client.get(plan145.get_absolute_url()).content.decode()
    assert not Plan.objects.filter(year=2025).exists()


def test_progress_in_the_menu_opens_the_plan_of_the_year_looked_at(login, plan145, demo):
    (plan2025,) = _plans(demo, 1, issued_on=date(2025, 1, 10), year=2025, status="issued")
    client = login("bantochuc")
    # Nothing picked, no plan for this year: the latest plan.
    assert client.get(reverse("dashboard")).url == dashboard_url(plan2025)
    assert client.get(reverse("dashboard") + "?nam=2024").url.startswith(dashboard_url(plan145))
    # Opening the 2024 plan makes 2024 the year looked at.
    client.get(plan145.get_absolute_url())
    assert client.get(reverse("dashboard")).url == dashboard_url(plan145)
    page = client.get(dashboard_url(plan145)).content.decode()
    assert f'href="{dashboard_url(plan2025)}"' in page  # the other year, one click away
    assert "plan-years" in page and "plan-status-closed" in page
    # The plan list filtered by a year does the same.
    client.get(reverse("quotas:plan_list") + "?year=2025")
    assert client.get(reverse("dashboard")).url == dashboard_url(plan2025)


def test_the_plan_list_filters_by_the_status_the_dates_give(login, plan145, demo):
    year = today().year
    (current,) = _plans(demo, 1, issued_on=date(year, 1, 1), year=year, status="issued")
    client = login("bantochuc")
    closed = client.get(reverse("quotas:plan_list") + "?status=closed").content.decode()
    assert plan145.title in closed and current.title not in closed
    in_force = client.get(reverse("quotas:plan_list") + "?status=in_force").content.decode()
    assert current.title in in_force and plan145.title not in in_force
    assert "plan-status-in_force" in in_force
    sorted_page = client.get(reverse("quotas:plan_list") + "?sap_xep=status")
    assert sorted_page.status_code == 200


def test_the_target_form_explains_each_shape_without_javascript(login, plan145):
    response = login("bantochuc").get(reverse("quotas:target_create", args=[plan145.pk]))
    html = response.content.decode()
    for shape in ("unit", "each", "count", "area"):
        assert f'class="target-shape-{shape}"' in html
    fields = response.context["form"].fields
    for name, text in TARGET_HELP.items():
        assert str(fields[name].help_text) == str(text) and str(text) in html, name
    assert {"measure", "each_kind", "count_kind"} <= set(TARGET_HELP)  # the puzzling ones


def test_a_large_area_lists_its_top_levels_and_opens_a_unit_below(login, plan145, monkeypatch):
    client = login("bantochuc")
    everything = client.get(dashboard_url(plan145, ngay="26/04/2024")).context["dashboard"]
    assert everything.shown == everything.rows and everything.hidden == 0
    assert everything.row_count == len(everything.rows)
    below_top = sum(1 for r in everything.rows if r.depth <= 1)
    assert below_top < len(everything.rows)  # the demo's tree has a third level

    monkeypatch.setattr("quotas.dashboard.ROWS_SHOWN", below_top)
    response = client.get(dashboard_url(plan145, ngay="26/04/2024"))
    board, html = response.context["dashboard"], response.content.decode()
    top = [r.unit.pk for r in everything.rows if r.depth <= 1]
    assert [r.unit.pk for r in board.shown] == [r.unit.pk for r in board.rows] == top
    assert board.row_count == everything.row_count
    assert board.hidden == everything.row_count - below_top
    assert sum(r.below for r in board.shown) == board.hidden  # every unit left out is counted
    assert "dashboard-hidden" in html
    # The counts and the attention list still cover every unit, not only those listed.
    assert board.counts == everything.counts
    assert board.attention_count == everything.attention_count
    # The chart has a bar for a listed unit only.
    listed = {r.unit.pk for r in board.shown}
    assert {item["progress"].unit.pk for item in response.context["chart"]["items"]} <= listed

    opened = next(r for r in board.shown if r.below)
    assert f"don_vi={opened.unit.pk}" in html
    part = client.get(dashboard_url(plan145, ngay="26/04/2024", don_vi=opened.unit.pk))
    focused = part.context["dashboard"]
    assert focused.focus == opened.unit
    assert focused.rows[0].unit == opened.unit and focused.rows[0].depth == 0
    assert focused.row_count == len(focused.rows) == opened.below + 1
    assert all(r.unit.path.startswith(opened.unit.path) for r in focused.rows)
    assert "dashboard-all" in part.content.decode()


def test_a_unit_the_user_may_not_see_does_not_narrow_the_dashboard(login, plan145, demo):
    client = login("bithu.thpt1")
    other = demo["THPT-HH3"]
    response = client.get(dashboard_url(plan145, ngay="26/04/2024", don_vi=other.pk))
    board = response.context["dashboard"]
    assert board.focus is None and [r.unit.code for r in board.rows] == ["THPT-HH1"]


def test_the_drawn_dashboard_is_kept_with_its_figures(login, plan145, demo, settings):
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    from quotas.models import HistoricalTotal
    from quotas.services import historical_total_record

    settings.PROGRESS_CACHE_SECONDS = 60
    cache.clear()
    client = login("bantochuc")
    url = dashboard_url(plan145, ngay="26/04/2024")
    first = client.get(url)
    key = first.context["fragment_key"]
    assert first.context["fragment_seconds"] == 60
    assert cache.get(make_template_fragment_key("quotas_dashboard", [key])) is not None
    again = client.get(url)
    assert again.context["fragment_key"] == key
    assert without_token(again) == without_token(first)  # the masked CSRF token differs
    # Another query (another part of the tree) is drawn on its own.
    school = demo["THPT-HH1"]
    assert client.get(url + f"&don_vi={school.pk}").context["fragment_key"] != key

    # A write through a service: new figures, drawn again.
    tp = next(tp for tp in first.context["dashboard"].targets if school.pk in tp.own)
    before = tp.own[school.pk].actual
    historical_total_record(
        actor=first.wsgi_request.user,
        total=HistoricalTotal(
            unit=school,
            measure=tp.target.measure,
            group=tp.target.group,
            dated=tp.target.starts_on,
            count=3,
        ),
    )
    after = client.get(url)
    assert after.context["fragment_key"] != key
    fresh = next(t for t in after.context["dashboard"].targets if t.target == tp.target)
    assert fresh.own[school.pk].actual == before + 3
    assert without_token(after) != without_token(first)
    cache.clear()


def without_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


def test_the_limit_cuts_a_long_level_without_sending_its_units_elsewhere():
    from types import SimpleNamespace

    from quotas.dashboard import DashboardRow, rows_shown

    def row(path):
        unit = SimpleNamespace(path=path)
        return DashboardRow(unit, len(path) // 4 - 1, [], [])

    # A committee with three cells, each with a unit under it.
    rows = [row("0001")]
    for cell in ("0001", "0002", "0003"):
        rows += [row("0001" + cell), row("0001" + cell + "0001")]
    shown = rows_shown(rows, limit=3)
    assert [r.unit.path for r in shown] == ["0001", "00010001", "00010002"]
    # The units under the listed cells are counted on them; the third cell, cut by the
    # limit, and its unit are counted on nobody (the committee's link would list the same).
    assert [r.below for r in shown] == [0, 1, 1]
    assert rows_shown(rows, limit=len(rows)) == rows
    assert all(r.below == 0 for r in rows)


def test_the_admins_plan_list_shows_the_status_of_today_beside_the_setting(login, plan145):
    """Plan 145 is issued ("follows its dates") and its year is over: closed today."""
    page = login("bantochuc").get(reverse("admin:quotas_plan_changelist")).content.decode()
    assert "Tình trạng hôm nay" in page
    row = page[page.index("145/KH-HU") :]
    row = row[: row.index("</tr>")]
    assert "Đã kết thúc" in row and "Đã ban hành: hiệu lực theo thời gian của kế hoạch" in row


def test_on_a_phone_the_chart_is_a_list_of_named_bars(login, plan145):
    """The bar chart's SVG shrinks its labels on a phone: a small screen gets the same bars
    as a list, each unit's name above its bar, and the SVG from "sm" up."""
    url = reverse("quotas:plan_dashboard", args=[plan145.pk])
    page = login("bantochuc").get(url, {"ngay": "15/05/2024"}).content.decode()
    assert 'class="chart d-none d-sm-block"' in page
    phone = page[page.index('<ul class="chart-list d-sm-none') :]
    phone = phone[: phone.index("</ul>")]
    start = page.index('class="chart d-none d-sm-block"')
    svg = page[start : page.index("</svg>", start)]
    assert phone.count('<li class="pcell-') == svg.count('class="chart-label"') > 0
    labels = re.findall(r'class="chart-label">([^<]+)<', svg)
    assert all(label in phone for label in labels if "…" not in label)
    assert phone.count('class="pbar chart-list-bar"') == len(labels)
