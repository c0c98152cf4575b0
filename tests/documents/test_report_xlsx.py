"""The Excel workbook of a party document (``documents.workbook.document_xlsx``), read back
with openpyxl as a user's spreadsheet would read it."""

import json
import time
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from documents.content import TEXT, Column, PartyDocument, Row, Table
from documents.workbook import document_xlsx
from documents.xlsx import write_cell

from .sample import UNITS, sample_document
from .xlsx_dump import GOLDEN, golden_documents, xlsx_dump

HEADER = 7  # the sample's header: issuer, type, subject, subtitle, table title, a blank row


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def _load(doc: PartyDocument):
    return load_workbook(BytesIO(document_xlsx(doc)))


@pytest.fixture(scope="module")
def wb():
    with translation.override("vi"):
        return _load(sample_document())


def _values(ws) -> list:
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


def _find(ws, value):
    cells = [c for row in ws.iter_rows() for c in row if c.value == value]
    assert len(cells) == 1, f"{value!r} found {len(cells)} times"
    return cells[0]


def test_the_report_comes_first_then_one_sheet_per_table_then_the_chart(wb):
    assert wb.sheetnames == ["Báo cáo", "Biểu 1", "Biểu đồ"]


def test_the_report_sheet_reads_as_the_report(wb):
    ws = wb["Báo cáo"]
    values = _values(ws)
    doc = sample_document()
    for text in (
        doc.heading.issuer,
        doc.heading.party,
        doc.heading.number,
        doc.doc_type,
        doc.subject,
        doc.subtitle,
        *doc.paragraphs,
        "Nơi nhận:",
        "- Lưu VP.",
        doc.signature.mandate,
        doc.signature.name,
    ):
        assert text in values
    paragraph = _find(ws, doc.paragraphs[0])
    assert paragraph.alignment.wrap_text
    assert any(
        str(r).startswith(f"A{paragraph.row}:") and str(r).endswith(f"{paragraph.row}")
        for r in ws.merged_cells.ranges
    )
    # Values come in reading order: the paragraphs before the closing.
    assert values.index(doc.paragraphs[-1]) < values.index("Nơi nhận:")
    assert _find(ws, doc.doc_type).font.b and _find(ws, doc.subtitle).font.i


def test_the_title_rows_sit_above_the_table(wb):
    ws = wb["Biểu 1"]
    assert ws["A1"].value == "HUYỆN ỦY HIỆP HÒA" and ws["A1"].font.b
    subject = _find(ws, "Kết quả công tác phát triển đảng viên năm 2024")
    assert subject.font.b and subject.font.sz == 14 and subject.alignment.horizontal == "center"
    assert f"A{subject.row}:G{subject.row}" in {str(r) for r in ws.merged_cells.ranges}
    assert _find(ws, "Số liệu tính đến ngày 31/12/2024").font.i
    assert _find(ws, "Biểu 1. Kết quả thực hiện chỉ tiêu kết nạp đảng viên").font.b
    assert ws["A1"].font.name == "Times New Roman"


def test_a_grouped_header_takes_two_rows(wb):
    ws = wb["Biểu 1"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(HEADER, 3).value == "Kết nạp năm 2024"
    assert f"C{HEADER}:E{HEADER}" in merged  # the group over its three columns
    assert [ws.cell(HEADER + 1, c).value for c in (3, 4, 5)] == [
        "Chỉ tiêu",
        "Thực hiện",
        "% kế hoạch",
    ]
    assert ws.cell(HEADER, 2).value == "Đơn vị"
    assert f"B{HEADER}:B{HEADER + 1}" in merged  # an ungrouped column down both rows
    for column in range(1, 8):  # the header's outline (openpyxl reads merged cells' edges)
        assert ws.cell(HEADER, column).border.top.style == "thin"
        assert ws.cell(HEADER + 1, column).border.bottom.style == "thin"
    assert ws["D8"].border.left.style == "thin" and ws["A8"].border.left.style == "thin"
    head = ws.cell(HEADER, 3)
    assert head.font.b and head.alignment.horizontal == "center" and head.alignment.wrap_text


def test_a_table_sheet_is_ready_to_print(wb):
    ws = wb["Biểu 1"]
    assert ws.freeze_panes == f"C{HEADER + 2}"  # below the header, right of the unit names
    assert ws.print_title_rows == f"${HEADER}:${HEADER + 1}"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    widths = {letter: ws.column_dimensions[letter].width for letter in "ABCG"}
    assert widths == {"A": 5, "B": 40, "C": 9, "G": 12}
    assert _load(sample_document(heading=False)).worksheets[0].page_setup.paperSize == 9


def test_a_portrait_document_prints_portrait():
    doc = sample_document()
    doc.landscape = False
    assert {ws.page_setup.orientation for ws in _load(doc).worksheets} == {"portrait"}


def test_numbers_are_numbers_and_dates_are_dates(wb):
    ws = wb["Biểu 1"]
    first = HEADER + 2
    done = ws.cell(first, 4)
    assert done.value == 7 and done.data_type == "n" and done.number_format == "#,##0"
    assert ws.cell(first, 6).value == 1234 and ws.cell(first, 6).number_format == "#,##0"
    percent = ws.cell(first + 1, 5)  # 71.0 % in the document
    assert isinstance(percent.value, float) and percent.data_type == "n"
    assert percent.value == pytest.approx(0.71) and percent.number_format == "0.0%"
    reported = ws.cell(first, 7)
    assert isinstance(reported.value, datetime) and reported.value.date().isoformat() == (
        "2024-12-31"
    )
    assert reported.number_format == "DD/MM/YYYY"
    assert ws.cell(first + 5, 6).value is None  # the total has no 2023 figure


def test_a_unit_named_like_a_formula_stays_text(wb):
    ws = wb["Biểu 1"]
    cell = _find(ws, UNITS[4])
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s" and cell.quotePrefix


def test_roll_ups_and_totals_are_bold_and_units_are_indented(wb):
    ws = wb["Biểu 1"]
    first = HEADER + 2
    assert not ws.cell(first, 2).font.b and ws.cell(first, 2).alignment.indent == 0
    assert ws.cell(first + 2, 2).font.b  # the roll-up
    assert ws.cell(first + 3, 2).alignment.indent == 1  # a unit under its committee
    total = _find(ws, "Tổng cộng")
    assert total.row == first + 5
    for column in range(1, 8):
        cell = ws.cell(total.row, column)
        assert cell.font.b and cell.border.top.style == "medium"
        assert cell.fill.fgColor.rgb.endswith("F2F2F2")
    assert ws.cell(total.row, 3).value == 60
    note = ws.cell(total.row + 1, 1)
    assert note.value == "Kết nạp: quyết định kết nạp ký trong năm." and note.font.i


def test_the_chart_sheet_charts_its_own_table(wb):
    ws = wb["Biểu đồ"]
    assert [ws.cell(3, c).value for c in (1, 2, 3)] == [None, "Chỉ tiêu", "Kết nạp"]
    assert [ws.cell(r, 1).value for r in (4, 5, 6)] == ["THPT số 1", "THPT số 2", "Hà Phong"]
    assert [ws.cell(r, 2).value for r in (4, 5, 6)] == [10, 11, 13]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert chart.type == "bar"
    title = "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))
    assert title == "Chỉ tiêu và kết quả kết nạp theo đơn vị"
    refs = [s.val.numRef.f for s in chart.series]
    assert refs == ["'Biểu đồ'!$B$4:$B$6", "'Biểu đồ'!$C$4:$C$6"]
    assert chart.series[0].cat.strRef.f == "'Biểu đồ'!$A$4:$A$6"
    assert chart.series[0].tx.strRef.f == "'Biểu đồ'!B3"


def test_an_annex_starts_with_its_table_and_sheet_names_are_unique():
    columns = [Column("Đơn vị", kind=TEXT, width=30), Column("Số")]
    doc = PartyDocument(
        doc_type="DANH SÁCH",
        subject="Các đơn vị",
        tables=[
            Table("Biểu 1. Một", columns, [Row(["A", 1])]),
            Table("Biểu 1. Trùng tên", columns, [Row(["B", 2])]),
            Table("Danh sách các đơn vị chưa đạt chỉ tiêu trong năm", columns, [Row(["C", 3])]),
        ],
    )
    wb = _load(doc)
    assert wb.sheetnames == ["Biểu 1", "Biểu 1 (2)", "Biểu 3"]
    ws = wb["Biểu 1"]
    assert ws["A1"].value == "DANH SÁCH"  # no issuer line without a heading
    # DANH SÁCH, the subject, the table's title, a blank row, then a one-row header.
    assert ws["A5"].value == "Đơn vị" and ws["B5"].value == "Số"
    assert ws.freeze_panes == "B6" and ws.print_title_rows == "$5:$5"


def test_a_document_of_words_only_has_its_report_sheet():
    doc = PartyDocument(doc_type="BÁO CÁO", subject="Tình hình", paragraphs=["Một đoạn."])
    wb = _load(doc)
    assert wb.sheetnames == ["Báo cáo"]
    assert "Một đoạn." in _values(wb.active)


def test_five_thousand_rows_render():
    doc = sample_document(rows=5000)
    started = time.perf_counter()
    data = document_xlsx(doc)
    elapsed = time.perf_counter() - started
    ws = load_workbook(BytesIO(data))["Biểu 1"]
    assert ws.max_row == HEADER + 1 + 5001 + 1
    assert elapsed < 30  # about 0.7 s on a laptop; the bound only catches a runaway
    # Cells far down share the looks of the first ones (copied, not set one by one).
    tenth = HEADER + 2 + 9  # the second unit named like a formula
    assert ws.cell(tenth, 2).value == UNITS[4] and ws.cell(tenth, 2).quotePrefix
    assert ws.cell(tenth, 5).number_format == "0.0%" and ws.cell(tenth, 7).is_date
    assert ws.cell(tenth, 7).number_format == "DD/MM/YYYY"
    assert not ws.cell(HEADER + 2 + 4999, 4).font.b  # the last unit
    assert ws.cell(HEADER + 2 + 5000, 2).value == "Tổng cộng"
    assert ws.cell(HEADER + 2 + 5000, 4).font.b


def test_write_cell_keeps_dates_as_dates_day_first():
    ws = Workbook().active
    assert write_cell(ws, 1, 1, date(2024, 3, 5)).number_format == "DD/MM/YYYY"
    stamp = write_cell(ws, 1, 2, datetime(2024, 3, 5, 1, 30, tzinfo=UTC))
    assert stamp.value.tzinfo is None and stamp.number_format == "DD/MM/YYYY HH:MM"
    assert stamp.value.hour == 8  # Asia/Ho_Chi_Minh, as the user reads the time


@pytest.mark.parametrize("name", ["sample", "sample_annex", "two_tables", "words_only"])
def test_the_workbook_is_the_one_written_before_it_streamed_its_rows(name):
    """Every cell's value, type and look, the merges, row heights, widths, panes, print
    settings and charts are what the writer made before it used openpyxl's write-only mode
    (``xlsx_dump.GOLDEN``, written by that version)."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    made = json.loads(json.dumps(xlsx_dump(document_xlsx(golden_documents()[name]))))
    assert [s["title"] for s in made["sheets"]] == [s["title"] for s in golden["sheets"]]
    for sheet, expected in zip(made["sheets"], golden["sheets"], strict=True):
        assert sheet["cells"].keys() == expected["cells"].keys(), sheet["title"]
        for coordinate, cell in expected["cells"].items():
            assert sheet["cells"][coordinate] == cell, (sheet["title"], coordinate)
        assert sheet == expected, sheet["title"]


def test_styled_cells_go_to_the_file_as_openpyxls_own_sheet_would_write_them():
    """``StyledRowsSheet`` replaces openpyxl's ``_values_to_row`` (it must still exist, or
    the faster writer would silently not be used) and writes the same rows: plain values,
    styled cells, gaps, a styled cell between plain ones."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from documents.workbook import StyledRowsSheet

    assert "_values_to_row" in vars(WriteOnlyWorksheet)

    def written(faster: bool) -> dict:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Biểu 1")
        if faster:
            ws.__class__ = StyledRowsSheet
        bold = WriteOnlyCell(ws)
        bold.font = Font(bold=True)
        for n in range(3):
            bold.value = f"Tổng {n}"
            ws.append(["Hiệp Hòa", None, n, bold, 0.705, None, bold if n == 1 else "x"])
        out = BytesIO()
        wb.save(out)
        sheet = load_workbook(out)["Biểu 1"]
        return {
            c.coordinate: (c.value, c.font.b, c.data_type)
            for row in sheet.iter_rows()
            for c in row
            if c.value is not None
        }

    theirs = written(False)
    assert written(True) == theirs
    assert theirs["D2"] == ("Tổng 1", True, "s") and theirs["G2"] == ("Tổng 1", True, "s")
    assert theirs["G1"] == ("x", False, "s") and "B1" not in theirs
