"""The renderers: safe cells and layout in Excel; Tinos, text and fallback in the PDF."""

import logging
import subprocess
import zipfile
from io import BytesIO

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook, load_workbook

from documents.pdf import _fetcher_class
from documents.xlsx import write_cell
from reports.annex import annex_table
from reports.renderers import annex_pdf, annex_xlsx

from .helpers import pdf_font_names, seed_annex_rows


def _reloaded(wb: Workbook):
    out = BytesIO()
    wb.save(out)
    return out.getvalue(), load_workbook(BytesIO(out.getvalue())).active


@pytest.mark.parametrize("text", ["=1+1", '=HYPERLINK("http://x.example","y")', "+1", "-2", "@A1"])
def test_text_that_looks_like_a_formula_stays_text(text):
    wb = Workbook()
    cell = write_cell(wb.active, 1, 1, text)
    assert cell.data_type == "s" and cell.quotePrefix

    raw, ws = _reloaded(wb)
    assert ws["A1"].value == text and ws["A1"].data_type == "s"
    sheet_xml = zipfile.ZipFile(BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml


def test_numbers_stay_numbers_and_error_codes_are_text():
    wb = Workbook()
    write_cell(wb.active, 1, 1, 10)
    write_cell(wb.active, 1, 2, "#N/A")
    write_cell(wb.active, 1, 3, "Trường THPT Hiệp Hòa số 1")
    _raw, ws = _reloaded(wb)
    assert ws["A1"].value == 10 and ws["A1"].data_type == "n"
    assert ws["B1"].value == "#N/A" and ws["B1"].data_type == "s"
    assert ws["C1"].value == "Trường THPT Hiệp Hòa số 1" and not ws["C1"].quotePrefix


@pytest.mark.django_db
def test_a_unit_named_like_a_formula_is_text_in_the_annex(plan145, demo):
    unit = demo["THPT-HH1"]
    unit.name = '=HYPERLINK("http://x.example","Bấm vào")'
    unit.save()
    ws = load_workbook(BytesIO(annex_xlsx(annex_table(plan=plan145)))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == unit.name]
    assert len(cells) == 1 and cells[0].data_type == "s"


@pytest.mark.django_db
def test_xlsx_is_laid_out_for_a4_portrait(plan145):
    table = annex_table(plan=plan145)
    ws = load_workbook(BytesIO(annex_xlsx(table))).active
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    # Title lines merged across the four columns, bold and centred.
    assert {"A1:D1", "A2:D2", "A3:D3"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].font.b and ws["A1"].alignment.horizontal == "center"
    # Header rows bold and boxed; unit names wrap in a column wide enough for most.
    headers = [row for row in ws.iter_rows() if row[0].value == table.columns[0]]
    assert len(headers) == len(table.sections)
    assert all(c.font.b and c.border.left.style == "thin" for row in headers for c in row)
    assert ws.column_dimensions["B"].width >= 40
    names = [c for c in ws["B"] if c.value in {r.unit_name for r in table.rows}]
    assert len(names) == len(table.rows)
    assert all(c.alignment.wrap_text and c.border.bottom.style == "thin" for c in names)


@pytest.mark.django_db
def test_pdf_embeds_tinos_for_every_glyph(plan145, tinos):
    data = annex_pdf(annex_table(plan=plan145))
    assert data.startswith(b"%PDF-")
    fonts = pdf_font_names(data)
    # Subsets are named ABCDEF+Tinos...; the Vietnamese letters come from Tinos too,
    # and no glyph fell back to another font.
    assert any(name.endswith("+Tinos") for name in fonts)
    assert any("+Tinos-Vietnamese" in name for name in fonts)
    assert all("+Tinos" in name for name in fonts), fonts


@pytest.mark.django_db
def test_pdf_text_is_the_annex_in_order(plan145, pdftotext, tmp_path):
    with translation.override("vi"):
        data = annex_pdf(annex_table(plan=plan145))
    pdf = tmp_path / "annex.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(
        [pdftotext, "-raw", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    flat = " ".join(text.split())

    expected = []
    for row in seed_annex_rows():
        if len(row) == 1:
            expected.append(row[0])  # title, subtitle, section headings
        elif row[0].isdigit():
            expected += [row[1], row[2]]  # unit name, number
    position = 0
    for piece in expected:
        found = flat.find(piece, position)
        assert found >= 0, f"{piece!r} missing after …{flat[max(0, position - 60) : position]!r}"
        position = found + len(piece)


@pytest.mark.django_db
def test_pdf_without_the_fonts_uses_a_fallback_and_warns(plan145, tmp_path, caplog):
    with override_settings(PTDV_FONT_DIR=tmp_path), caplog.at_level(logging.WARNING):
        data = annex_pdf(annex_table(plan=plan145))
    assert data.startswith(b"%PDF-")
    assert not any("Tinos" in name for name in pdf_font_names(data))
    assert any("Tinos fonts are missing" in r.getMessage() for r in caplog.records)


def test_pdf_may_load_only_the_font_files(tmp_path):
    font = tmp_path / "a.woff"
    font.write_bytes(b"wOFF")
    fetcher = _fetcher_class()(tmp_path)
    response = fetcher.fetch(font.as_uri())
    assert response.read() == b"wOFF"
    response.close()
    with pytest.raises(ValueError):
        fetcher.fetch((tmp_path.parent / "secret.txt").as_uri())
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/font.woff")
