"""build_report: the annex of seed 001 reproduced cell for cell, and its errors."""

from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from quotas.models import Plan, Target
from units.models import UnitKind

from ..factories import UnitFactory
from .helpers import seed_annex_rows, sheet_rows

pytestmark = pytest.mark.django_db


def build(*args: str) -> str:
    out = StringIO()
    with translation.override("vi"):
        call_command("build_report", *args, stdout=out)
    return out.getvalue()


def test_annex_xlsx_is_the_seed_table_cell_for_cell(plan145, tmp_path):
    output = tmp_path / "phu-luc.xlsx"
    message = build("annex", "--plan", "145/KH-HU", "--format", "xlsx", "--output", str(output))
    assert "Đã ghi" in message

    rows = sheet_rows(load_workbook(output).active)
    seed = seed_annex_rows()
    assert len(rows) == len(seed)
    for line, (got, expected) in enumerate(zip(rows, seed, strict=True), start=1):
        assert len(got) == len(expected), (line, got, expected)
        for cell, text in zip(got, expected, strict=True):
            if text.isdigit():  # figures and row numbers are real numbers
                assert isinstance(cell, int) and cell == int(text), (line, cell, text)
            else:
                assert cell == text, (line, cell, text)


def test_annex_pdf_from_the_command(plan145, tmp_path):
    output = tmp_path / "phu-luc.pdf"
    build("annex", "--plan", "145-kh/hu", "--format", "pdf", "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF-")


def test_unknown_plan(demo, tmp_path):
    with pytest.raises(CommandError, match='Không có kế hoạch số "999/KH-HU"'):
        build("annex", "--plan", "999/KH-HU", "--output", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_plan_without_annex(plan145, tmp_path):
    Target.objects.filter(plan=plan145).update(in_annex=False)
    with pytest.raises(CommandError, match="Kế hoạch 145/KH-HU không có phụ lục"):
        build("annex", "--plan", "145/KH-HU", "--output", str(tmp_path / "x.xlsx"))


def test_a_number_used_by_two_issuers_needs_issuer(plan145, demo, tmp_path):
    other = UnitFactory(
        kind=UnitKind.objects.get(code="committee"), code="HU-KHAC", name="Huyện ủy khác"
    )
    Plan.objects.create(
        number="145/KH-HU",
        title="Kế hoạch của huyện khác",
        issuer=other,
        area=other,
        issued_on=date(2024, 3, 1),
        year=2024,
    )
    output = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match="Có nhiều kế hoạch cùng số.*--issuer"):
        build("annex", "--plan", "145/KH-HU", "--output", str(output))
    with pytest.raises(CommandError, match="do đơn vị HU-KHONG-CO ban hành"):
        build("annex", "--plan", "145/KH-HU", "--issuer", "HU-KHONG-CO", "--output", str(output))

    build("annex", "--plan", "145/KH-HU", "--issuer", "hu-hiephoa", "--output", str(output))
    ws = load_workbook(BytesIO(output.read_bytes())).active
    assert ws["A3"].value.startswith("(Kèm theo Kế hoạch số 145/KH-HU ngày 20/3/2024")


def test_unknown_kind_of_report(tmp_path):
    with pytest.raises(CommandError):
        build("roster", "--plan", "145/KH-HU", "--output", str(tmp_path / "x.xlsx"))


def test_plan_number_is_required(demo, tmp_path):
    with pytest.raises(CommandError, match="Hãy cho biết số kế hoạch bằng --plan"):
        build("annex", "--output", str(tmp_path / "x.xlsx"))
