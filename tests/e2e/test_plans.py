"""Board staff enter Plan 159/KH-HU (seed 002) and the Youth Union plan (seed 004) through
the browser forms — no code written for them — and their targets show progress.

The demo district (Hiệp Hòa) stands in for Đức Trọng and Thọ Xuân: the point is that
their quota shapes ("every THPT at least 1", "at least 2% workers of non-state
enterprises", "each non-state enterprise with a party organisation at least 1",
"introduce 250 a year", "at least 70% from the Youth Union") are data.
"""

from datetime import date

from quotas.choices import Measure, PersonGroup
from quotas.models import HistoricalTotal, Plan
from units.models import Unit


def fill_plan(page, base, *, number, title, issuer, area, issued_on, year, implements):
    page.goto(f"{base}/ke-hoach/")
    page.get_by_role("link", name="Thêm kế hoạch").click()
    page.get_by_label("Số", exact=True).fill(number)
    page.get_by_label("Trích yếu").fill(title)
    page.get_by_label("Đơn vị ban hành").select_option(str(issuer.pk))
    page.get_by_label("Áp dụng cho các đơn vị thuộc").select_option(str(area.pk))
    page.get_by_label("Ngày", exact=True).fill(issued_on)
    page.get_by_label("Năm", exact=True).fill(str(year))
    page.get_by_label("Tình trạng").select_option(
        label="Đã ban hành: hiệu lực theo thời gian của kế hoạch"
    )
    page.get_by_label("Thực hiện văn bản").fill(implements)
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text(f"Đã lưu kế hoạch {number}.").wait_for()


def add_target(
    page, *, name, measure, group=None, share=False, area_min=None, each=None, count=None
):
    page.get_by_role("link", name="Thêm chỉ tiêu").click()
    page.get_by_label("Tên", exact=True).fill(name)
    page.get_by_label("Tính số").select_option(label=measure)
    if group:
        page.get_by_label("Chỉ tính đối tượng").select_option(label=group)
    if share:
        page.get_by_label("Tỷ lệ phần trăm").check()
    if area_min is not None:
        page.get_by_label("Toàn địa bàn: tối thiểu").fill(str(area_min))
    for label, value in (each or {}).items():
        field = page.get_by_label(label, exact=True)
        if label.startswith("Mỗi đơn vị"):
            field.fill(str(value))
        else:
            field.select_option(label=value)
    for label, value in (count or {}).items():
        page.get_by_label(label, exact=True).select_option(label=value)
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text(f"Đã lưu chỉ tiêu “{name}”.").wait_for()


def test_board_enters_plans_159_and_the_youth_union_plan(log_in, demo_site, screenshot):
    page = log_in("bantochuc")
    base = demo_site.url
    hu = Unit.objects.get(code="HU-HIEPHOA")

    fill_plan(
        page,
        base,
        number="159-KH/HU",
        title="Phát triển đảng viên trong học sinh, doanh nghiệp không có vốn Nhà nước",
        issuer=hu,
        area=hu,
        issued_on="25/12/2023",
        year=2024,
        implements="Kế hoạch số 97-KH/TU, ngày 08/11/2023 của Ban Thường vụ Tỉnh ủy Lâm Đồng",
    )
    add_target(
        page,
        name="Mỗi trường THPT kết nạp ít nhất 01 học sinh",
        measure="Kết nạp đảng viên mới",
        group="Học sinh",
        each={"Mọi đơn vị loại": "Trường THPT", "Mỗi đơn vị tối thiểu": 1},
    )
    add_target(
        page,
        name="Ít nhất 02% là công nhân, người lao động DN ngoài Nhà nước",
        measure="Kết nạp đảng viên mới",
        group="Công nhân, người lao động",
        share=True,
        area_min=2,
        count={"Chỉ tính doanh nghiệp ngoài Nhà nước": "có"},
    )
    add_target(
        page,
        name="Mỗi DN ngoài Nhà nước có tổ chức đảng kết nạp ít nhất 01",
        measure="Kết nạp đảng viên mới",
        each={
            "Mọi đơn vị loại": "Công ty, doanh nghiệp",
            "Có tổ chức đảng": "có",
            "Ngoài Nhà nước": "có",
            "Mỗi đơn vị tối thiểu": 1,
        },
    )
    screenshot("plan-159-entered")

    fill_plan(
        page,
        base,
        number="KH-HĐTN/2022",
        title="Kế hoạch thực hiện Chỉ thị số 05-CT/TU về tăng cường công tác phát triển đảng viên",
        issuer=Unit.objects.get(code="HD-HIEPHOA"),
        area=hu,
        issued_on="20/02/2022",
        year=2022,
        implements="Chỉ thị số 05-CT/TU, ngày 28/5/2021 của Ban Thường vụ Tỉnh ủy\n"
        "Kế hoạch số 413-KH/TĐTN-TCKT, ngày 16/02/2022 của BTV Tỉnh Đoàn",
    )
    add_target(
        page,
        name="Giới thiệu 250 đoàn viên ưu tú cho Đảng",
        measure="Giới thiệu quần chúng, đoàn viên ưu tú cho Đảng",
        area_min=250,
    )
    add_target(
        page,
        name="Ít nhất 70% đảng viên mới từ đoàn viên ưu tú",
        measure="Kết nạp đảng viên mới",
        group="Đoàn viên",
        share=True,
        area_min=70,
    )

    plan159 = Plan.objects.get(number="159-KH/HU")
    youth = Plan.objects.get(number="KH-HĐTN/2022")
    assert plan159.targets.count() == 3 and youth.targets.count() == 2
    assert youth.issuer.code == "HD-HIEPHOA" and youth.area == hu

    # Records to count (the pipeline's own records come with the candidates issue).
    def total(code, n, measure=Measure.ADMISSIONS, group="", day=date(2024, 4, 1)):
        unit = Unit.objects.get(code=code)
        HistoricalTotal.objects.create(unit=unit, measure=measure, group=group, dated=day, count=n)

    total("THPT-HH1", 2, group=PersonGroup.STUDENTS)
    total("THPT-HH1", 40)
    total("DN-HAPHONG", 10)
    total("DN-HAPHONG", 1, group=PersonGroup.WORKERS)

    page.goto(f"{base}/ke-hoach/{plan159.pk}/tien-do/?ngay=30/06/2024")
    table = page.locator("table.dashboard-table")
    hh1 = table.locator("tr", has=page.get_by_role("link", name="THPT Hiệp Hòa số 1"))
    assert "2/1*" in hh1.inner_text() and "Đạt" in hh1.inner_text()
    hh2 = table.locator("tr", has=page.get_by_role("link", name="THPT Hiệp Hòa số 2"))
    assert "0/1*" in hh2.inner_text() and "Đúng tiến độ" in hh2.inner_text()
    top = table.locator("tbody tr").first
    assert "2% (1/50)" in top.inner_text()  # 1 worker of 50 new members: 2%
    haphong = table.locator("tr", has=page.get_by_role("link", name="May xuất khẩu Hà Phong"))
    assert "10/1*" in haphong.inner_text() and "Đạt" in haphong.inner_text()
    # The water company is state-owned: no "each non-state enterprise" number, no row.
    assert table.get_by_role("link", name="Cấp nước Hiệp Hòa").count() == 0
    screenshot("plan-159-dashboard")

    total("THPT-HH2", 130, measure=Measure.INTRODUCTIONS, day=date(2022, 5, 1))
    total("THPT-HH2", 10, day=date(2022, 5, 1))
    total("THPT-HH2", 6, group=PersonGroup.YOUTH_UNION, day=date(2022, 5, 1))
    page.goto(f"{base}/ke-hoach/{youth.pk}/tien-do/?ngay=30/09/2022")
    top = page.locator("table.dashboard-table tbody tr").first
    text = top.inner_text()
    assert "130/250" in text and "Chậm" in text  # 130 < 250 * 273 // 365
    assert "60% (6/10)" in text and "Chậm" in text
    screenshot("youth-union-plan-dashboard")
