"""The quota grid of a plan: the page, saving, validation, access, and the Excel round trip.

Vietnamese messages come from locale/vi (the grid's strings are English msgids).
"""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from core.models import AuditEvent
from documents.spreadsheets import Limits, SpreadsheetRefused, open_workbook
from quotas.grid import MAX_UPLOAD_BYTES, baseline_decode, baseline_encode, parse_number
from quotas.models import Plan, Target, TargetValue
from tests.factories import UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db

HEADER_ROW = 3  # title, note, headings


# --- helpers --------------------------------------------------------------------------


@pytest.fixture
def plan(demo):
    return Plan.objects.get(number="145/KH-HU")


@pytest.fixture
def board(login):
    return login("bantochuc")


def grid_url(plan):
    return reverse("quotas:plan_grid", kwargs={"pk": plan.pk})


def export_url(plan):
    return reverse("quotas:plan_grid_export", kwargs={"pk": plan.pk})


def target_due(plan, day: date) -> Target:
    return plan.targets.get(ends_on=day)


def values_snapshot():
    return sorted(TargetValue.objects.values_list("target_id", "unit_id", "minimum", "maximum"))


def form_data(response) -> dict[str, str]:
    """Every box of the grid as the page shows it, like a browser without JavaScript."""
    grid = response.context["grid"]
    data = {"baseline": grid.baseline, "save": "1"}
    for cell in grid.cells:
        data[cell.name("min")], data[cell.name("max")] = cell.texts
    return data


def field(target, unit, side="min") -> str:
    return f"n-{target.pk}-{unit.pk}-{side}"


def html_of(response) -> str:
    return response.content.decode()


def share_target(plan) -> Target:
    return Target.objects.create(
        plan=plan,
        name="Tỉ lệ đoàn viên",
        measure="admissions",
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
        is_share=True,
        position=99,
    )


def exported(client, plan) -> Workbook:
    response = client.get(export_url(plan))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.getvalue()))


def to_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, plan, content: bytes, name="chi-tieu.xlsx"):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(grid_url(plan), {"import": "1", "file": file})


def column_of(ws, heading_start: str, side: str) -> int:
    """The column (1-based) whose heading is "<heading_start…> – tối thiểu" (side "min") or
    "… – tối đa" (side "max")."""
    words = {"min": ("tối thiểu", "minimum"), "max": ("tối đa", "maximum")}[side]
    for cell in ws[HEADER_ROW]:
        text = str(cell.value or "")
        if text.startswith(heading_start) and text.endswith(words):
            return cell.column
    raise AssertionError(f"no column {heading_start!r} {side!r}")


def row_of(ws, code: str) -> int:
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        if row[0].value == code:
            return row[0].row
    raise AssertionError(f"no row {code}")


# --- pure helpers (no database) --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number", "ok"),
    [
        (None, None, True),
        ("", None, True),
        ("  ", None, True),
        ("10", 10, True),
        (" 10 ", 10, True),
        ("10.0", 10, True),
        ("10,0", 10, True),
        (10, 10, True),
        (10.0, 10, True),
        ("0", 0, True),
        ("１２", 12, True),  # full-width digits from a Vietnamese IME
        ("abc", None, False),
        ("8,5", None, False),
        (8.5, None, False),
        ("1.000", None, False),  # one or one thousand? refused, not guessed
        ("-3", None, False),
        (-3, None, False),
        ("=1+1", None, False),
        (True, None, False),
        (date(2024, 5, 19), None, False),
        ("99999999", None, False),
        ("9" * 5000, None, False),  # int() would raise: more than 4,300 digits
        ("0" * 5000 + "7", 7, True),
        (1e300, None, False),
        (float("inf"), None, False),
    ],
)
def test_parse_number(raw, number, ok):
    value, error = parse_number(raw)
    assert value == number
    assert (error is None) == ok


def test_baseline_round_trips_and_refuses_garbage():
    values = {(1, 2): (8, 10), (1, 3): (None, 5), (2, 2): (None, None)}
    assert baseline_decode(baseline_encode(values)) == {(1, 2): (8, 10), (1, 3): (None, 5)}
    assert baseline_decode("") == {}
    assert baseline_decode(None) is None
    assert baseline_decode("1.x:1,2") is None


# --- the page --------------------------------------------------------------------------


def test_board_sees_every_unit_and_target_with_the_saved_numbers(board, plan, demo):
    response = board.get(grid_url(plan))
    assert response.status_code == 200
    html = html_of(response)
    grid = response.context["grid"]
    assert [row.unit.pk for row in grid.rows][:2] == [plan.area_id, grid.rows[1].unit.pk]
    assert len(grid.rows) == Unit.objects.count()  # the demo district is one plan area
    assert [c.target for c in grid.columns] == list(plan.targets.order_by("position", "pk"))

    t195 = target_due(plan, date(2024, 5, 19))
    school = demo["THPT-HH1"]
    saved = TargetValue.objects.get(target=t195, unit=school)
    assert (saved.minimum, saved.maximum) == (8, 10)  # "from 8 to 10 by 19/5" (seed 001)
    assert f'id="{field(t195, school)}" value="{saved.minimum}"' in html
    assert f'id="{field(t195, school, "max")}" value="{saved.maximum}"' in html
    # headers: name, deadline dd/mm/yyyy
    assert t195.name in html and "19/05/2024" in html
    assert "Bảng giao chỉ tiêu" in html and "tối thiểu" in html and "tối đa" in html


def test_inherited_number_is_a_greyed_placeholder(board, plan, demo):
    round1 = plan.targets.filter(each_min__isnull=False).order_by("position").first()
    kd = demo["DN-KDSPORTS"]  # an enterprise with a trade union and no number of its own
    assert not TargetValue.objects.filter(target=round1, unit=kd).exists()
    response = board.get(grid_url(plan))
    cell = next(c for c in response.context["grid"].cells if c.key == (round1.pk, kd.pk))
    assert cell.inherited == (round1.each_min, round1.each_max)
    assert cell.texts == ["", ""] and cell.inherits
    html = html_of(response)
    box = f'id="{field(round1, kd)}" value="" data-base="" data-saved=""'
    assert f'{box} placeholder="{round1.each_min}"' in html
    # a school does not match "every enterprise with a trade union"
    school_cell = next(
        c for c in response.context["grid"].cells if c.key == (round1.pk, demo["THPT-HH1"].pk)
    )
    assert school_cell.inherited is None


def test_grid_get_query_count_is_bounded(board, plan, demo, django_assert_max_num_queries):
    # 3 of them: the session saved on every request (savepoint, UPDATE, release).
    with django_assert_max_num_queries(13):
        assert board.get(grid_url(plan)).status_code == 200
    for n in range(15):  # more units and numbers: the same number of queries
        unit = UnitFactory(parent=demo["DU-THANG"], name=f"Chi bộ thêm {n}")
        TargetValue.objects.create(target=plan.targets.first(), unit=unit, minimum=n)
    # 3 of them: the session saved on every request (savepoint, UPDATE, release).
    with django_assert_max_num_queries(13):
        response = board.get(grid_url(plan))
    assert len(response.context["grid"].rows) == Unit.objects.count()


def test_a_plan_without_targets_says_what_to_do(board, plan):
    empty = Plan.objects.create(
        number="9/KH-HU",
        title="Kế hoạch trống",
        issuer=plan.issuer,
        area=plan.area,
        issued_on=date(2024, 1, 2),
        year=2024,
    )
    response = board.get(grid_url(empty))
    assert response.status_code == 200
    assert 'id="grid-form"' not in html_of(response)
    assert "Kế hoạch chưa có chỉ tiêu nào" in html_of(response)


# --- access ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["thuongtruc", "bithu.thpt1", "danguy.thang"])
def test_only_board_staff_may_open_the_grid(login, plan, username):
    client = login(username)
    assert client.get(grid_url(plan)).status_code == 403
    assert client.post(grid_url(plan), {"save": "1"}).status_code == 403
    assert client.get(export_url(plan)).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client, plan):
    for url in (grid_url(plan), export_url(plan)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_unknown_plan_is_404(board, plan):
    url = reverse("quotas:plan_grid", kwargs={"pk": plan.pk + 999})
    assert board.get(url).status_code == 404


# --- saving ----------------------------------------------------------------------------


def test_saving_a_changed_cell_writes_it_and_audits(board, plan, demo):
    t195, school = target_due(plan, date(2024, 5, 19)), demo["THPT-HH1"]
    data = form_data(board.get(grid_url(plan)))
    data[field(t195, school)] = "9"
    data[field(t195, school, "max")] = "12"
    before = AuditEvent.objects.filter(action="target_values_set").count()

    response = board.post(grid_url(plan), data, follow=True)

    assert response.redirect_chain[-1][0] == grid_url(plan)
    value = TargetValue.objects.get(target=t195, unit=school)
    assert (value.minimum, value.maximum) == (9, 12)
    event = AuditEvent.objects.filter(action="target_values_set").latest("created_at")
    assert AuditEvent.objects.filter(action="target_values_set").count() == before + 1
    assert event.details == {"plan": plan.pk, "changed": 1}
    assert event.actor.username == "bantochuc"
    assert "Đã lưu 1 thay đổi." in html_of(response)


def test_a_number_of_100000_digits_typed_in_the_grid_is_too_large(board, plan, demo):
    """It answered 500: Python refuses to turn more than 4,300 digits into a number."""
    t195, school = target_due(plan, date(2024, 5, 19)), demo["THPT-HH1"]
    data = form_data(board.get(grid_url(plan)))
    data[field(t195, school)] = "9" * 100_000
    before = values_snapshot()

    response = board.post(grid_url(plan), data)

    assert response.status_code == 200
    assert "Số quá lớn: tối đa 999.999." in html_of(response)
    assert values_snapshot() == before


def test_new_number_and_removed_number(board, plan, demo):
    t195 = target_due(plan, date(2024, 5, 19))
    school, new_unit = demo["THPT-HH1"], demo["TTCT-HH"]
    assert not TargetValue.objects.filter(target=t195, unit=new_unit).exists()
    data = form_data(board.get(grid_url(plan)))
    data[field(t195, school)] = data[field(t195, school, "max")] = ""  # empty both: remove
    data[field(t195, new_unit, "max")] = "3"

    response = board.post(grid_url(plan), data)

    assert response.status_code == 302
    assert not TargetValue.objects.filter(target=t195, unit=school).exists()
    value = TargetValue.objects.get(target=t195, unit=new_unit)
    assert (value.minimum, value.maximum) == (None, 3)


def test_nothing_changed_says_so(board, plan):
    before = values_snapshot()
    response = board.post(grid_url(plan), form_data(board.get(grid_url(plan))), follow=True)
    assert "Không có thay đổi nào." in html_of(response)
    assert values_snapshot() == before


def test_only_changed_boxes_need_to_be_sent(board, plan, demo):
    """With JavaScript, unchanged boxes are left out of the POST: they stay as they are."""
    t195, school = target_due(plan, date(2024, 5, 19)), demo["THPT-HH2"]
    grid = board.get(grid_url(plan)).context["grid"]
    before = values_snapshot()
    response = board.post(
        grid_url(plan), {"baseline": grid.baseline, "save": "1", field(t195, school): "7"}
    )
    assert response.status_code == 302
    after = {(t, u): (lo, hi) for t, u, lo, hi in values_snapshot()}
    assert after[(t195.pk, school.pk)] == (7, 10)
    assert len(after) == len(before)


@pytest.mark.parametrize(
    ("typed_min", "typed_max", "message"),
    [
        ("12", "10", "Số tối thiểu không được lớn hơn số tối đa."),
        ("-1", "10", "Không được là số âm."),
        ("tám", "10", "Không phải số nguyên"),
        ("8,5", "10", "Không phải số nguyên"),
        ("=1+1", "10", "Không nhận công thức"),
    ],
)
def test_invalid_cell_saves_nothing_and_keeps_what_was_typed(
    board, plan, demo, typed_min, typed_max, message
):
    t195, school, other = target_due(plan, date(2024, 5, 19)), demo["THPT-HH1"], demo["THPT-HH2"]
    data = form_data(board.get(grid_url(plan)))
    data[field(t195, school)], data[field(t195, school, "max")] = typed_min, typed_max
    data[field(t195, other)] = "6"  # a valid change elsewhere is not saved either
    before = values_snapshot()

    response = board.post(grid_url(plan), data)

    assert response.status_code == 200
    assert values_snapshot() == before
    html = html_of(response)
    assert "Có 1 lỗi, chưa lưu gì." in html
    assert message in html
    cell = next(c for c in response.context["grid"].cells if c.key == (t195.pk, school.pk))
    assert cell.errors and cell.texts == [typed_min, typed_max]
    assert 'class="form-control grid-input is-invalid"' in html
    # every typed value is still in the form
    assert f'id="{field(t195, other)}" value="6"' in html


def test_every_error_is_reported_at_once(board, plan, demo):
    share = share_target(plan)
    t195 = target_due(plan, date(2024, 5, 19))
    data = form_data(board.get(grid_url(plan)))
    data[field(t195, demo["THPT-HH1"])] = "11"  # > max 10
    data[field(t195, demo["THPT-HH2"])] = "x"
    data[field(share, demo["HU-HIEPHOA"])] = "120"  # a share is at most 100
    before = values_snapshot()

    response = board.post(grid_url(plan), data)

    assert values_snapshot() == before
    assert response.context["grid"].error_count == 3
    html = html_of(response)
    assert "Có 3 lỗi, chưa lưu gì." in html
    assert "Tỷ lệ tính bằng phần trăm: không quá 100." in html


def test_share_target_accepts_100_percent(board, plan, demo):
    share = share_target(plan)
    data = form_data(board.get(grid_url(plan)))
    data[field(share, demo["HU-HIEPHOA"])] = "70"
    data[field(share, demo["HU-HIEPHOA"], "max")] = "100"
    assert board.post(grid_url(plan), data).status_code == 302
    value = TargetValue.objects.get(target=share)
    assert (value.minimum, value.maximum) == (70, 100)


def test_a_number_changed_meanwhile_is_not_overwritten(board, plan, demo):
    t195, school, other = target_due(plan, date(2024, 5, 19)), demo["THPT-HH1"], demo["THPT-HH2"]
    data = form_data(board.get(grid_url(plan)))
    # someone else saves two numbers while this page is open
    TargetValue.objects.filter(target=t195, unit__in=[school, other]).update(minimum=5)
    data[field(t195, school)] = "9"  # changed here too: a conflict

    response = board.post(grid_url(plan), data)

    assert response.status_code == 200
    assert "người khác đã đổi số này" in html_of(response)
    assert TargetValue.objects.get(target=t195, unit=school).minimum == 5
    # the page now knows the other person's number: saving again overwrites it knowingly,
    # and the number left alone here keeps the other person's change
    response = board.post(grid_url(plan), form_data(response))
    assert response.status_code == 302
    assert TargetValue.objects.get(target=t195, unit=school).minimum == 9
    assert TargetValue.objects.get(target=t195, unit=other).minimum == 5


# --- Excel export ------------------------------------------------------------------------


def test_export_has_title_headings_and_own_numbers_only(board, plan, demo):
    response = board.get(export_url(plan))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="bang-chi-tieu-145-kh-hu.xlsx"'
    assert "no-store" in response["Cache-Control"]
    ws = load_workbook(io.BytesIO(response.getvalue())).active
    assert plan.number in ws["A1"].value and plan.title in ws["A1"].value
    assert ws.cell(HEADER_ROW, 1).value == "Mã đơn vị"
    assert ws.cell(HEADER_ROW, 2).value == "Đơn vị"
    t195 = target_due(plan, date(2024, 5, 19))
    lo = column_of(ws, t195.name, "min")
    assert ws.cell(HEADER_ROW, lo + 1).value == f"{t195.name} – tối đa"
    r = row_of(ws, "THPT-HH1")
    saved = TargetValue.objects.get(target=t195, unit=demo["THPT-HH1"])
    assert ws.cell(r, 2).value == demo["THPT-HH1"].name
    assert (ws.cell(r, lo).value, ws.cell(r, lo + 1).value) == (saved.minimum, saved.maximum)
    assert isinstance(ws.cell(r, lo).value, int)
    # inherited numbers are not written (an empty cell means "inherits")
    round1 = plan.targets.filter(each_min__isnull=False).order_by("position").first()
    kd = row_of(ws, "DN-KDSPORTS")
    cell = ws.cell(kd, column_of(ws, round1.name, "min"))
    assert cell.value is None and cell.comment is not None
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.max_row == HEADER_ROW + Unit.objects.count()


def test_export_never_writes_a_formula(board, plan, demo):
    Unit.objects.filter(pk=demo["THPT-HH1"].pk).update(name='=HYPERLINK("http://x","y")')
    Unit.objects.filter(pk=demo["THPT-HH2"].pk).update(name="+84 trường", code="-HH2")
    Target.objects.filter(pk=target_due(plan, date(2024, 5, 19)).pk).update(name="@chỉ tiêu")
    content = board.get(export_url(plan)).getvalue()
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    ws = load_workbook(io.BytesIO(content)).active
    r = row_of(ws, "THPT-HH1")
    assert ws.cell(r, 2).value == '=HYPERLINK("http://x","y")'
    assert ws.cell(r, 2).data_type == "s"
    assert ws.cell(row_of(ws, "-HH2"), 2).value == "+84 trường"


# --- Excel import ------------------------------------------------------------------------


def test_round_trip_without_changes_reports_no_change(board, plan):
    before = values_snapshot()
    response = upload(board, plan, board.get(export_url(plan)).getvalue())
    assert response.status_code == 200
    assert response.context["import_preview"] is True
    assert response.context["import_changes"] == 0
    assert response.context["import_units"] == Unit.objects.count()
    assert "Tệp không có thay đổi nào" in html_of(response)
    assert values_snapshot() == before


def test_edited_export_is_previewed_then_saved(board, plan, demo):
    t195 = target_due(plan, date(2024, 5, 19))
    wb = exported(board, plan)
    ws = wb.active
    lo = column_of(ws, t195.name, "min")
    ws.cell(row_of(ws, "THPT-HH1"), lo).value = 9
    ws.cell(row_of(ws, "THPT-HH2"), lo + 1).value = " 12 "  # text with spaces is fine
    ws.cell(row_of(ws, "THPT-HH3"), lo).value = None  # min removed, max kept
    ws.cell(row_of(ws, "TTCT-HH"), lo).value = 1.0  # a new number, as Excel stores it
    before = values_snapshot()

    response = upload(board, plan, to_bytes(wb))

    assert response.status_code == 200
    assert response.context["import_changes"] == 4
    assert values_snapshot() == before  # nothing saved before the user confirms
    html = html_of(response)
    assert "Kiểm tra rồi bấm Lưu để ghi 4 thay đổi." in html
    assert html.count("grid-cell grid-changed") == 4
    assert f'id="{field(t195, demo["THPT-HH1"])}" value="9"' in html

    response = board.post(grid_url(plan), form_data(response), follow=True)

    assert "Đã lưu 4 thay đổi." in html_of(response)
    got = {
        u.code: (v.minimum, v.maximum)
        for v in TargetValue.objects.filter(target=t195).select_related("unit")
        for u in [v.unit]
    }
    assert got["THPT-HH1"] == (9, 10)
    assert got["THPT-HH2"] == (8, 12)
    assert got["THPT-HH3"] == (None, 10)
    assert got["TTCT-HH"] == (1, None)


def test_headings_and_units_are_matched_tolerantly(board, plan, demo):
    """Headings in other case, without accents, with other spacing; a unit found by name."""
    t195 = target_due(plan, date(2024, 5, 19))
    wb = exported(board, plan)
    ws = wb.active
    lo = column_of(ws, t195.name, "min")
    ws.cell(HEADER_ROW, 1).value = "MA DON VI"
    ws.cell(HEADER_ROW, 2).value = "  đơn   vị "
    ws.cell(HEADER_ROW, lo).value = "ket nap nhan dip 19/5/2024 - TOI THIEU"
    r = row_of(ws, "THPT-HH1")
    ws.cell(r, 1).value = None  # no code: matched by name
    ws.cell(r, 2).value = "trường thpt hiệp hòa số 1"
    ws.cell(r, lo).value = 7

    response = upload(board, plan, to_bytes(wb))

    assert response.context.get("import_problems") is None
    assert response.context["import_changes"] == 1
    cell = next(
        c for c in response.context["grid"].cells if c.key == (t195.pk, demo["THPT-HH1"].pk)
    )
    assert cell.value == (7, 10)


def test_file_with_errors_in_several_rows_lists_them_all(board, plan, demo):
    share = share_target(plan)
    t195 = target_due(plan, date(2024, 5, 19))
    wb = exported(board, plan)
    ws = wb.active
    lo = column_of(ws, t195.name, "min")
    sh = column_of(ws, share.name, "min")
    rows = {code: row_of(ws, code) for code in ("THPT-HH1", "THPT-HH2", "THPT-HH3", "THPT-HH4")}
    ws.cell(rows["THPT-HH1"], lo).value = "mười"  # not a number
    round1 = column_of(ws, plan.targets.order_by("position").first().name, "min")
    ws.cell(rows["THPT-HH1"], round1).value = 30  # and min > max in the same row
    ws.cell(rows["THPT-HH1"], round1 + 1).value = 5
    ws.cell(rows["THPT-HH2"], lo).value = -2  # negative
    ws.cell(rows["THPT-HH3"], lo).value = 11  # > saved max 10
    ws.cell(rows["THPT-HH4"], sh).value = 150  # a share over 100
    ws.cell(rows["THPT-HH4"], lo).value = 9  # a valid change in a bad file: not saved
    extra = ws.max_row + 1
    ws.cell(extra, 1).value = "KHONG-CO"
    ws.cell(extra, 2).value = "Đơn vị không có thật"
    ws.cell(extra + 1, 1).value = "THPT-HH1"  # the same unit twice
    ws.cell(HEADER_ROW, ws.max_column + 1).value = "Ghi chú lạ"  # unknown column
    before = values_snapshot()

    response = upload(board, plan, to_bytes(wb))

    assert values_snapshot() == before
    problems = response.context["import_problems"]
    by_row = {(p.row, p.column) for p in problems}
    letter = ws.cell(1, lo).column_letter
    assert (rows["THPT-HH1"], letter) in by_row
    assert (rows["THPT-HH2"], letter) in by_row
    assert (rows["THPT-HH3"], letter) in by_row or (
        rows["THPT-HH3"],
        ws.cell(1, lo + 1).column_letter,
    ) in by_row
    assert (rows["THPT-HH4"], ws.cell(1, sh).column_letter) in by_row
    assert (extra, "A") in by_row
    assert (extra + 1, "A") in by_row
    assert (rows["THPT-HH1"], ws.cell(1, round1 + 1).column_letter) in by_row
    assert (HEADER_ROW, ws.cell(1, ws.max_column).column_letter) in by_row
    assert len(problems) == 8
    html = html_of(response)
    assert "có 8 lỗi, chưa lưu gì" in html
    for text in (
        "Không phải số nguyên",
        "Không được là số âm.",
        "Số tối thiểu không được lớn hơn số tối đa.",
        "Tỷ lệ tính bằng phần trăm: không quá 100.",
        "Không tìm thấy đơn vị",
        "Không nhận ra cột",
        f"đã có ở dòng {rows['THPT-HH1']}",
    ):
        assert text in html, text


def test_formula_cells_are_refused_and_never_evaluated(board, plan, demo):
    t195 = target_due(plan, date(2024, 5, 19))
    wb = exported(board, plan)
    ws = wb.active
    lo = column_of(ws, t195.name, "min")
    ws.cell(row_of(ws, "THPT-HH1"), lo).value = "=1+1"  # a real formula
    text = ws.cell(row_of(ws, "THPT-HH2"), lo)
    text.value, text.data_type = "=1+1", "s"  # the same, stored as text
    before = values_snapshot()

    response = upload(board, plan, to_bytes(wb))

    assert values_snapshot() == before
    problems = response.context["import_problems"]
    assert [p.row for p in problems] == [row_of(ws, "THPT-HH1"), row_of(ws, "THPT-HH2")]
    assert all("công thức" in p.message for p in problems)


def refusal(content: bytes, language: str) -> str:
    """What ``documents.spreadsheets.open_workbook`` says of ``content`` in ``language``."""
    with translation.override(language), pytest.raises(SpreadsheetRefused) as refused:
        open_workbook(content, limits=Limits(size=MAX_UPLOAD_BYTES))
    return refused.value.message


def the_refusal(response) -> str:
    """The one problem the import reports, as the page shows it; nothing else is reported."""
    assert response.status_code == 200
    assert "import_preview" not in response.context
    [problem] = response.context["import_problems"]
    assert problem.row is None
    assert escape(problem.message) in html_of(response)
    return escape(problem.message)


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (b"Ma don vi;Don vi\nTHPT-HH1;x\n", "chi-tieu.csv", "The file is not a spreadsheet"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "cu.xls",
            "The file is not a spreadsheet",  # an OLE2 file but no workbook in it
        ),
        (b"PK\x03\x04 broken zip", "hong.xlsx", "The file is not a spreadsheet"),
        (b"", "rong.xlsx", "The file is not a spreadsheet"),
    ],
)
def test_unreadable_files_get_a_clear_message(board, plan, content, name, kind):
    before = values_snapshot()
    response = upload(board, plan, content, name)
    assert the_refusal(response) == escape(refusal(content, "vi"))
    assert refusal(content, "en").startswith(kind)
    assert values_snapshot() == before


def test_not_a_workbook_is_explained_in_vietnamese(board, plan):
    from documents.spreadsheets import not_a_workbook_message

    response = upload(board, plan, b"Ma don vi;Don vi\n", "chi-tieu.csv")
    with translation.override("vi"):  # the catalogue's words (English until translated)
        assert the_refusal(response) == escape(not_a_workbook_message())


def test_empty_workbook_and_missing_headings(board, plan):
    response = upload(board, plan, to_bytes(Workbook()))
    assert "Trang tính đầu tiên của tệp không có dữ liệu." in html_of(response)
    wb = Workbook()
    wb.active.append(["Tên", "Số"])
    wb.active.append(["THPT Hiệp Hòa số 1", 3])
    response = upload(board, plan, to_bytes(wb))
    assert "Không tìm thấy dòng tiêu đề" in html_of(response)


def test_too_large_file_is_refused(board, plan):
    content = b"PK" + b"\0" * (MAX_UPLOAD_BYTES + 1)
    before = values_snapshot()
    response = upload(board, plan, content)
    assert the_refusal(response) == escape(refusal(content, "vi"))
    assert refusal(content, "en").startswith("The file is too large")
    assert values_snapshot() == before


def test_import_without_a_file(board, plan):
    response = board.post(grid_url(plan), {"import": "1"})
    assert response.status_code == 200
    with translation.override("vi"):  # English until the catalogue has it
        expected = translation.gettext("Choose a spreadsheet file (.xlsx, .xls or .ods) to import.")
    assert escape(expected) in html_of(response)
