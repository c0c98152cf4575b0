import io
from dataclasses import replace

import docx
import pytest
from django.utils import translation
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from documents.content import Column, PartyDocument, Row, Table, format_cell
from documents.layout import MARGIN_MM, PAGE_MM, PARTY, SIZES, text_width_cm
from documents.word import document_docx
from tests.documents.sample import sample_document


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def _word(doc: PartyDocument):
    return docx.Document(io.BytesIO(document_docx(doc)))


@pytest.fixture(scope="module")
def word():
    with translation.override("vi"):
        return _word(sample_document())


def _texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def _paragraph(container, text: str):
    return next(p for p in container.paragraphs if p.text == text)


def _all_text(word) -> str:
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _data_table(word):
    return word.tables[1]


@pytest.mark.parametrize("landscape", [True, False])
def test_the_page_is_a4_in_its_orientation_with_the_party_margins(landscape):
    section = _word(replace(sample_document(), landscape=landscape)).sections[0]
    orientation = "landscape" if landscape else "portrait"
    width, height = PAGE_MM[orientation]
    assert section.orientation == (WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT)
    assert section.page_width.mm == pytest.approx(width, abs=0.5)
    assert section.page_height.mm == pytest.approx(height, abs=0.5)
    for side in ("top", "bottom", "left", "right"):
        assert getattr(section, f"{side}_margin").mm == pytest.approx(MARGIN_MM[side], abs=0.5)


def test_times_new_roman_14_for_every_script(word):
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(SIZES["body"])
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(qn(f"w:{script}")) == "Times New Roman"


def test_the_party_header(word):
    header = word.tables[0]
    left, right = header.rows[0].cells
    assert _texts(left) == ["ĐẢNG BỘ TỈNH BẮC GIANG", "HUYỆN ỦY HIỆP HÒA", "*", "Số 12-BC/HU"]
    assert _texts(right) == [PARTY, "Hiệp Hòa, ngày 20 tháng 12 năm 2024"]

    superior = left.paragraphs[0].runs[0]
    assert not superior.bold and superior.font.size == Pt(SIZES["issuer"])
    issuer = left.paragraphs[1].runs[0]
    assert issuer.bold and issuer.font.size == Pt(SIZES["issuer"])
    party = right.paragraphs[0].runs[0]
    assert party.bold and party.underline and party.font.size == Pt(SIZES["party"])
    place_date = right.paragraphs[1].runs[0]
    assert place_date.italic and place_date.font.size == Pt(SIZES["place_date"])

    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"none"}


def test_the_titles_and_the_body(word):
    kind = _paragraph(word, "BÁO CÁO")
    assert kind.runs[0].bold and kind.runs[0].font.size == Pt(SIZES["kind"])
    assert 15 <= SIZES["kind"] <= 16
    assert _paragraph(word, "Kết quả công tác phát triển đảng viên năm 2024").runs[0].bold
    assert _paragraph(word, "Số liệu tính đến ngày 31/12/2024").runs[0].italic
    body = word.paragraphs[3]
    assert body.text.startswith("Năm 2024")
    assert body.paragraph_format.first_line_indent.cm == pytest.approx(1, abs=0.01)
    assert body.runs[0].font.size == Pt(SIZES["body"])


def test_the_heading_rows_repeat_never_split_and_the_group_is_merged(word):
    table = _data_table(word)
    rows = table._tbl.tr_lst
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
    heading = [tr for tr in rows if tr.trPr.find(qn("w:tblHeader")) is not None]
    assert heading == rows[:2]  # two heading rows: the sample has a column group

    upper = table.rows[0].cells
    assert [tc.grid_span for tc in rows[0].tc_lst] == [1, 1, 3, 1, 1]
    assert upper[2].text == "Kết nạp năm 2024"
    assert [c.text for c in table.rows[1].cells[2:5]] == ["Chỉ tiêu", "Thực hiện", "% kế hoạch"]
    # A column without a group runs down both heading rows.
    assert rows[0].tc_lst[0].vMerge == "restart" and rows[1].tc_lst[0].vMerge == "continue"
    assert table.rows[1].cells[0].text == "STT"


def test_the_column_widths_share_the_text_width(word):
    table = _data_table(word)
    widths = [column.width.cm for column in table.columns]
    assert sum(widths) == pytest.approx(text_width_cm("landscape"), abs=0.05)
    assert widths[1] == max(widths)  # the unit's name gets the room
    first_body_row = table.rows[2]
    for cell, width in zip(first_body_row.cells, widths, strict=True):
        assert cell.width.cm == pytest.approx(width, abs=0.01)
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_a_narrow_page_widens_the_date_column_rather_than_breaking_the_date():
    table = _data_table(_word(replace(sample_document(), landscape=False)))
    widths = [column.width.cm for column in table.columns]
    assert sum(widths) == pytest.approx(text_width_cm("portrait"), abs=0.05)
    assert widths[6] > 2.0  # "31/12/2024" in 11 pt


def test_cells_show_what_format_cell_gives_and_text_stays_text(word):
    table = _data_table(word)
    first = [c.text for c in table.rows[2].cells]
    assert first[2:6] == ["10", "7", "70%", "1.234"]
    assert first[5] == format_cell(1234, "int")
    formula = [c.text for c in table.rows[6].cells]
    assert formula[1] == '=HYPERLINK("http://x")'
    assert table._tbl.xpath(".//w:instrText | .//w:fldSimple") == []
    indented = table.rows[5].cells[1].paragraphs[0]
    assert indented.paragraph_format.left_indent.cm == pytest.approx(0.3, abs=0.01)


def test_rollup_and_total_rows_are_bold_and_the_total_keeps_with_the_row_before(word):
    table = _data_table(word)
    rollup = table.rows[4]
    assert all(r.bold for c in rollup.cells for r in c.paragraphs[0].runs if r.text)
    total = table.rows[-1]
    assert [c.text for c in total.cells][1:5] == ["Tổng cộng", "60", "45", "75%"]
    assert all(r.bold for c in total.cells for r in c.paragraphs[0].runs if r.text)
    plain = table.rows[2].cells[1].paragraphs[0].runs[0]
    assert not plain.bold
    before = table.rows[-2]
    assert all(c.paragraphs[0].paragraph_format.keep_with_next for c in before.cells)
    note = _paragraph(word, "Kết nạp: quyết định kết nạp ký trong năm.")
    assert note.runs[0].italic and note.runs[0].font.size == Pt(11)


def test_a_portrait_table_of_few_columns_is_set_in_12_points():
    doc = PartyDocument(
        doc_type="BÁO CÁO",
        subject="Thử",
        tables=[Table("Biểu", [Column("Đơn vị", kind="text"), Column("Số")], [Row(["A", 1])])],
    )
    word = _word(doc)
    style_id = word.tables[0].rows[1].cells[0].paragraphs[0]._p.pPr.style
    assert word.styles.get_by_id(style_id, 1).font.size == Pt(12)
    assert word.tables[0]._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None
    assert len(word.tables) == 1  # no header, no closing


def test_the_chart_comes_as_a_table_of_its_figures(word):
    assert _paragraph(word, "Chỉ tiêu và kết quả kết nạp theo đơn vị").runs[0].bold
    chart = word.tables[2]
    assert [c.text for c in chart.rows[0].cells] == ["", "Chỉ tiêu", "Kết nạp"]
    assert [c.text for c in chart.rows[1].cells] == ["THPT số 1", "10", "7"]


def test_recipients_and_signature(word):
    left, right = word.tables[-1].rows[0].cells
    assert _texts(left) == [
        "Nơi nhận:",
        "- Ban Tổ chức Tỉnh ủy (b/c),",
        "- Các chi, đảng bộ trực thuộc,",
        "- Lưu VP.",
    ]
    heading = left.paragraphs[0].runs[0]
    assert heading.bold and heading.italic and heading.font.size == Pt(12)
    assert left.paragraphs[1].runs[0].font.size == Pt(11)
    lines = _texts(right)
    assert lines[:2] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]
    assert lines[-1] == "Nguyễn Văn A" and lines[2:-1] == ["", "", ""]
    assert all(p.runs[0].bold for p in right.paragraphs if p.text)
    assert all(p.paragraph_format.keep_with_next for p in right.paragraphs[:-1])
    # The chart's last row stays with the closing, so the signature never starts a page.
    assert word.tables[2].rows[-1].cells[0].paragraphs[0].paragraph_format.keep_with_next


def test_core_properties(word):
    assert word.core_properties.title == "Kết quả công tác phát triển đảng viên năm 2024"
    assert word.core_properties.author == "HUYỆN ỦY HIỆP HÒA"
    assert word.core_properties.created.year >= 2025


def test_an_annex_has_no_party_header():
    word = _word(sample_document(heading=False))
    assert PARTY not in _all_text(word)
    assert word.paragraphs[0].text == "BÁO CÁO"
    assert len(word.tables) == 3  # the table, the chart, the closing
    assert word.core_properties.author == ""


def test_a_long_table_is_one_table_with_every_row():
    word = _word(sample_document(rows=120))
    table = _data_table(word)
    assert len(table.rows) == 2 + 120 + 1
    assert table.rows[-1].cells[1].text == "Tổng cộng"
