"""The annex selector: the table of seed 001, and how rows and sections are laid out."""

from datetime import date

import pytest
from django.utils import translation

from quotas.models import Plan, Target, TargetValue
from reports.annex import annex_heading, annex_table, quota_value, roman, short_date

from .helpers import seed_annex_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "numeral"), [(1, "I"), (2, "II"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL")]
)
def test_roman_numerals(number, numeral):
    assert roman(number) == numeral


@pytest.mark.parametrize(
    ("minimum", "maximum", "percent", "shown"),
    [
        (10, None, False, 10),
        (3, 3, False, 3),
        (8, 10, False, "8 – 10"),
        (None, 5, False, "≤ 5"),
        (2, None, True, "2%"),
        (70, 80, True, "70 – 80%"),
    ],
)
def test_quota_value(minimum, maximum, percent, shown):
    assert quota_value(minimum, maximum, percent=percent) == shown


def test_dates_are_written_without_leading_zeros():
    assert short_date(date(2024, 3, 5)) == "5/3/2024"
    assert short_date(date(2024, 11, 20)) == "20/11/2024"


def test_annex_of_plan_145_is_the_seed_table(plan145):
    seed = seed_annex_rows()
    with translation.override("vi"):
        table = annex_table(plan=plan145)

    assert [[line] for line in table.title_lines] == seed[:2]
    assert [table.subtitle] == seed[2]
    headings = [row[0] for row in seed if len(row) == 1][3:]
    assert [s.heading for s in table.sections] == headings
    header = next(row for row in seed if len(row) > 1)
    assert list(table.columns) == header
    data = [row for row in seed if len(row) > 1 and row != header]
    assert [[str(c) for c in row.cells[:3]] for row in table.rows] == [r[:3] for r in data]
    assert all(isinstance(row.value, int) for row in table.rows)


@pytest.fixture
def plan_without_layout(demo):
    """A plan whose annex values have no section and no position, one a range, one a maximum,
    one with a note."""
    plan = Plan.objects.create(
        number="200/KH-HU",
        title="Kế hoạch thử",
        issuer=demo["HU-HIEPHOA"],
        area=demo["HU-HIEPHOA"],
        issued_on=date(2024, 1, 5),
        year=2024,
    )
    target = Target.objects.create(
        plan=plan,
        name="Chỉ tiêu kết nạp",
        measure="admissions",
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
        in_annex=True,
    )
    for code, minimum, maximum, note in [
        ("DN-HAPHONG", None, 4, ""),
        ("THPT-HH2", 8, 10, ""),
        ("THPT-HH1", 5, None, "Ưu tiên học sinh lớp 12"),
    ]:
        TargetValue.objects.create(
            target=target, unit=demo[code], minimum=minimum, maximum=maximum, note=note
        )
    return plan


def test_without_positions_rows_follow_the_tree_and_sections_are_unit_kinds(
    plan_without_layout, demo
):
    with translation.override("vi"):
        table = annex_table(plan=plan_without_layout)

    assert table.title_lines[1] == "Giao chỉ tiêu kết nạp năm 2024"
    # No issuer label on the plan: the issuing unit's name; the date without leading zeros.
    assert table.subtitle == "(Kèm theo Kế hoạch số 200/KH-HU ngày 5/1/2024 của Huyện ủy Hiệp Hòa)"
    assert [s.heading for s in table.sections] == [
        f"I. {demo['THPT-HH1'].kind.name.upper()}",
        f"II. {demo['DN-HAPHONG'].kind.name.upper()}",
    ]
    schools, enterprises = table.sections
    assert [r.cells for r in schools.rows] == [
        (1, "Trường THPT Hiệp Hòa số 1", 5, "Ưu tiên học sinh lớp 12"),
        (2, "Trường THPT Hiệp Hòa số 2", "8 – 10", ""),
    ]
    assert [r.cells for r in enterprises.rows] == [
        (1, "Công ty Cổ phần may xuất khẩu Hà Phong", "≤ 4", ""),
    ]


def test_positions_come_first_and_sections_keep_their_first_place(plan_without_layout, demo):
    values = TargetValue.objects.filter(target__plan=plan_without_layout)
    values.filter(unit=demo["DN-HAPHONG"]).update(section="Doanh nghiệp", position=1)
    values.filter(unit=demo["THPT-HH2"]).update(section="Trường học", position=2)

    table = annex_table(plan=plan_without_layout)

    assert [s.title for s in table.sections] == [
        "Doanh nghiệp",
        "Trường học",
        demo["THPT-HH1"].kind.name.upper(),
    ]


def test_a_plan_without_annex_has_no_table(plan_without_layout):
    Target.objects.filter(plan=plan_without_layout).update(in_annex=False)
    with pytest.raises(Target.DoesNotExist):
        annex_table(plan=plan_without_layout)


@pytest.mark.parametrize(
    "name", ["Chỉ tiêu kết nạp Đảng viên", "Chỉ tiêu kết nạp Đảng viên năm 2024"]
)
def test_the_annex_title_gives_the_year_once(name):
    heading = annex_heading(name, year=2024)
    assert heading.count("2024") == 1
    assert name[1:] in heading  # the target's name, its first letter lowered


def test_a_plan_whose_annex_target_names_the_year_does_not_double_it(plan145):
    Target.objects.filter(plan=plan145, in_annex=True).update(
        name="Chỉ tiêu kết nạp Đảng viên năm 2024"
    )
    table = annex_table(plan=plan145)
    assert table.title_lines[1].count("2024") == 1
    with translation.override("vi"):
        assert annex_table(plan=plan145).title_lines[1].count("2024") == 1
