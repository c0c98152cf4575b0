"""build_report for every kind of report and every format, and its errors in Vietnamese."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from documents.content import format_cell
from quotas.choices import Measure
from quotas.models import Target
from quotas.progress import target_progress
from reports.kinds import KINDS

from .report_files import docx_read, pdf_read, workbook

pytestmark = pytest.mark.django_db

FORMATS = ("pdf", "xlsx", "docx", "html")
MAGIC = {"pdf": b"%PDF-", "xlsx": b"PK", "docx": b"PK", "html": b"<!DOCTYPE html>"}
# The interim report needs its period; the other kinds take the plan's year.
PERIODS = {"interim": ("--from", "01/04/2024", "--to", "30/06/2024")}
HH1 = "Trường THPT Hiệp Hòa số 1"
HH2 = "Trường THPT Hiệp Hòa số 2"


def build(*args: str) -> str:
    out = StringIO()
    with translation.override("vi"):
        call_command("build_report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def built(plan, tmp_path_factory):
    """``built(kind, fmt, *options)``: the file the command writes and what it said — built
    on first use, then kept for the module (a PDF takes a second)."""
    folder = tmp_path_factory.mktemp("build_report")
    cache: dict[tuple, tuple] = {}

    def get(kind: str, fmt: str, *options: str):
        key = (kind, fmt, *options)
        if key not in cache:
            path = folder / f"{kind}-{len(cache)}.{fmt}"
            message = build(
                kind,
                "--plan",
                "145/KH-HU",
                "--year",
                "2024",
                "--format",
                fmt,
                "--output",
                str(path),
                *PERIODS.get(kind, ()),
                *options,
            )
            cache[key] = (path, message)
        return cache[key]

    return get


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_in_every_format(built, kind, fmt):
    path, message = built(kind, fmt)
    data = path.read_bytes()
    assert data.startswith(MAGIC[fmt])
    assert len(data) > 1000
    assert f"Đã ghi: {path} ({len(data)} byte)." in message


def test_the_year_end_pdf_is_the_district_report(built, plan):
    path, _message = built("year_end", "pdf")
    text, rows = pdf_read(path.read_bytes())
    flat_text = " ".join(text.split())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in flat_text
    assert "HUYỆN ỦY HIỆP HÒA" in flat_text
    main = Target.objects.get(plan=plan, in_annex=True, measure=Measure.ADMISSIONS)
    admitted = target_progress(target=main, on=date(2024, 12, 31), visible=[plan.area_id])
    total = admitted.rollup[plan.area_id].actual
    assert total > 0
    assert f"kết nạp {total} đảng viên" in flat_text
    totals = [row for row in rows if len(row) > 1 and row[1] == "Tổng số"]
    assert totals and format_cell(total, "int") in totals[0]


def test_the_year_end_workbook_and_word_file_hold_the_total(built, plan):
    main = Target.objects.get(plan=plan, in_annex=True, measure=Measure.ADMISSIONS)
    total = target_progress(target=main, on=date(2024, 12, 31), visible=[plan.area_id])
    total = total.rollup[plan.area_id].actual

    path, _message = built("year_end", "xlsx")
    ws = workbook(path.read_bytes()).worksheets[1]
    row = next(r for r in ws.iter_rows(values_only=True) if r[1] == "Tổng số")
    assert total in row

    path, _message = built("year_end", "docx")
    _text, rows = docx_read(path.read_bytes())
    row = next(r for r in rows if len(r) > 1 and r[1] == "Tổng số")
    assert str(total) in row


def test_one_unit(built):
    path, _message = built("year_end", "html", "--unit", "THPT-HH1")
    page = path.read_text(encoding="utf-8")
    assert HH1 in page
    assert HH2 not in page
    whole, _message = built("year_end", "html")
    assert HH2 in whole.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("year_end", "--plan", "999/KH-HU"), 'Không có kế hoạch số "999/KH-HU".'),
        (
            ("year_end", "--plan", "145/KH-HU", "--year", "2023"),
            'Không có kế hoạch số "145/KH-HU" của năm 2023.',
        ),
        (
            ("interim", "--plan", "145/KH-HU", "--from", "31/02/2024", "--to", "30/06/2024"),
            '--from: "31/02/2024" không phải là ngày; hãy viết dạng dd/mm/yyyy',
        ),
        (
            ("year_end", "--plan", "145/KH-HU", "--unit", "KHONG-CO"),
            'Không có đơn vị nào mã "KHONG-CO".',
        ),
        (
            ("interim", "--plan", "145/KH-HU", "--to", "30/06/2024"),
            "Báo cáo sơ kết cần kỳ báo cáo: --from DD/MM/YYYY --to DD/MM/YYYY.",
        ),
    ],
    ids=["unknown-plan", "wrong-year", "bad-date", "unknown-unit", "interim-without-from"],
)
def test_errors_in_vietnamese(plan, tmp_path, args, message):
    output = tmp_path / "bao-cao.pdf"
    with pytest.raises(CommandError) as error:
        build(*args, "--output", str(output))
    assert message in str(error.value)
    assert not output.exists()


def test_a_period_that_ends_before_it_starts(plan, tmp_path):
    output = tmp_path / "bao-cao.pdf"
    with pytest.raises(CommandError, match="Ngày cuối kỳ ở trước ngày đầu kỳ."):
        build(
            "interim",
            "--plan",
            "145/KH-HU",
            "--from",
            "30/06/2024",
            "--to",
            "01/04/2024",
            "--output",
            str(output),
        )
    assert not output.exists()
