"""Word files with python-docx: a ``PartyDocument`` as a .docx the committee edits and signs.

The page follows Hướng dẫn 36-HD/VPTW with the figures of ``documents.layout``: A4, the
party header as a borderless two-column table, the document type and subject, the body in
Times New Roman 14 pt, the tables with their heading rows repeated on every page, then "Nơi
nhận" and the signature block as a second borderless table. Pages are numbered at the top
centre from the second page on.

Times New Roman is named for every script (ASCII, high ANSI, East Asian, complex script) in
the document defaults and the Normal style, so Word does not draw Vietnamese letters in a
theme font.

python-docx cannot embed the SVG bar chart, so the chart comes as a table (label, then one
column per series) under the chart's title: staff can select it and insert a chart in Word.
Text cells are written as text, so a unit named "=HYPERLINK(…)" stays those characters.
"""

import copy
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_UNDERLINE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell

from .content import (
    INT,
    ROLLUP,
    TEXT,
    TOTAL,
    Chart,
    Column,
    PartyDocument,
    Row,
    Table,
    format_cell,
)
from .layout import MARGIN_MM, PAGE_MM, SIZES, text_width_cm

FONT_NAME = "Times New Roman"
LANGUAGE = "vi-VN"
# Sizes the guide leaves to the drafter (points).
TABLE_SIZE = 11  # a wide table: landscape, or many columns
TABLE_SIZE_ROOMY = 12  # a portrait table of a few columns
ROOMY_COLUMNS = 5
RECIPIENTS_HEADING_SIZE = 12
RECIPIENTS_SIZE = 11
BODY_LINE_SPACING = 1.15
BODY_SPACE_AFTER = Pt(6)
BODY_FIRST_LINE = Cm(1)
DEPTH_INDENT = Cm(0.3)  # a unit's name under its committee, per level
# Share of the text width the left block of the header and of the closing takes.
HEADER_LEFT_SHARE = 0.42
CLOSING_LEFT_SHARE = 0.45
SIGNATURE_BLANK_LINES = 3
# Table cells: the inner margin left and right, and how the widths are guessed.
CELL_MARGIN_CM = 0.1
VALUE_EM = 0.55  # a digit of Times is half an em; a little more for bold
LABEL_EM = 0.65  # a letter of a bold heading
MIN_TEXT_CM = 2.5  # a text column is not narrowed below this to widen the numbers
TWIPS_PER_CM = 567
POINTS_PER_CM = 72 / 2.54


def document_docx(doc: PartyDocument) -> bytes:
    """``doc`` as the bytes of a .docx file."""
    word = Document()
    _set_defaults(word)
    _set_page(word, doc.orientation)
    width = text_width_cm(doc.orientation)

    if doc.heading:
        _party_header(word, doc, width)
    _titles(word, doc)
    for text in doc.paragraphs:
        _body_paragraph(word, text)
    tables = list(doc.tables) + ([_chart_table(doc.chart)] if doc.chart else [])
    closing = bool(doc.recipients or doc.signature)
    for index, table in enumerate(tables):
        last = index == len(tables) - 1
        _data_table(word, table, width, roomy=not doc.landscape, keep_end=closing and last)
    if closing:
        _closing(word, doc, width)

    props = word.core_properties
    props.title = doc.subject
    props.author = doc.heading.issuer if doc.heading else ""
    props.last_modified_by = props.author
    props.comments = ""
    props.keywords = ""
    props.language = LANGUAGE
    props.created = props.modified = timezone.now()  # not the template's 2013
    props.revision = 1
    out = BytesIO()
    word.save(out)
    return out.getvalue()


# The page and the fonts


def _fonts_element(parent) -> None:
    """Name Times New Roman for every script on an ``rPr`` and drop the theme fonts."""
    fonts = parent.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        parent.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT_NAME)


def _set_defaults(word) -> None:
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts_element(run_defaults)
    for tag in ("w:sz", "w:szCs"):
        run_defaults.find(qn(tag)).set(qn("w:val"), str(SIZES["body"] * 2))
    language = run_defaults.find(qn("w:lang"))
    language.set(qn("w:val"), LANGUAGE)
    language.set(qn("w:eastAsia"), LANGUAGE)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = word.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(SIZES["body"])
    _fonts_element(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _set_page(word, orientation: str) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if orientation == "landscape" else WD_ORIENT.PORTRAIT
    page_width, page_height = PAGE_MM[orientation]
    section.page_width = Mm(page_width)
    section.page_height = Mm(page_height)
    section.top_margin = Mm(MARGIN_MM["top"])
    section.bottom_margin = Mm(MARGIN_MM["bottom"])
    section.left_margin = Mm(MARGIN_MM["left"])
    section.right_margin = Mm(MARGIN_MM["right"])
    section.header_distance = Mm(MARGIN_MM["top"] / 2)
    section.footer_distance = Mm(MARGIN_MM["bottom"] / 2)
    # The page number, top centre, from the second page on.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(paragraph.add_run())


def _page_field(run) -> None:
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = " PAGE "
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(code)
    run._r.append(end)


# Paragraphs and runs


def _run(paragraph, text: str, size=None, *, bold=False, italic=False, underline=False):
    """A run; ``size`` None leaves the size to the paragraph's style."""
    run = paragraph.add_run(text)
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True
    if underline:
        run.font.underline = WD_UNDERLINE.SINGLE
    return run


def _line(container, text: str, size: float, *, align=WD_ALIGN_PARAGRAPH.CENTER, **style):
    """A paragraph of one run in ``container`` (the document or a cell)."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    _run(paragraph, text, size, **style)
    return paragraph


def _first_line(cell, text: str, size: float, *, align=WD_ALIGN_PARAGRAPH.CENTER, **style):
    """Write into the paragraph a new cell already has, instead of adding one below it."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    _run(paragraph, text, size, **style)
    return paragraph


def _body_paragraph(word, text: str) -> None:
    paragraph = _line(word, text, SIZES["body"], align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = BODY_FIRST_LINE
    fmt.space_after = BODY_SPACE_AFTER
    fmt.line_spacing = BODY_LINE_SPACING


def _titles(word, doc: PartyDocument) -> None:
    kind = _line(word, doc.doc_type, SIZES["kind"], bold=True)
    kind.paragraph_format.space_before = Pt(18 if doc.heading else 0)
    kind.paragraph_format.keep_with_next = True
    subject = _line(word, doc.subject, SIZES["body"], bold=True)
    subject.paragraph_format.keep_with_next = True
    last = subject
    if doc.subtitle:
        last = _line(word, doc.subtitle, SIZES["body"], italic=True)
    last.paragraph_format.space_after = Pt(12)


# Tables


def _no_borders(table) -> None:
    _borders(table, "none")


def _borders(table, value: str) -> None:
    """Set the six borders of ``table`` (single lines, or "none") on the table itself, so
    they do not depend on the template having a style."""
    properties = table._tbl.tblPr
    old = properties.find(qn("w:tblBorders"))
    if old is not None:
        properties.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), value)
        edge.set(qn("w:sz"), "4" if value == "single" else "0")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000" if value == "single" else "auto")
        borders.append(edge)
    # CT_TblPr's children have a fixed order: borders come after the width, justification,
    # cell spacing and indentation, before the shading, layout, cell margins and look.
    successor = None
    for tag in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"):
        successor = properties.find(qn(tag))
        if successor is not None:
            break
    if successor is not None:
        successor.addprevious(borders)
    else:
        properties.append(borders)


def _fixed_table(container, rows: int, widths_cm: list[float]):
    """A table of fixed column widths (grid and cells) spanning their sum."""
    table = container.add_table(rows=rows, cols=len(widths_cm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        grid_column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    properties = table._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        properties.append(table_width)
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(round(sum(widths_cm) * TWIPS_PER_CM)))
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_MARGIN_CM * TWIPS_PER_CM)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = properties.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)
    return table


def _row_flags(row, *, header: bool) -> None:
    """Never split ``row`` across pages; repeat it on every page when it is a heading row."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _cell_style(word, size: float):
    """The paragraph style of table cells at ``size`` points: no spacing, single lines."""
    name = f"Table Text {size:g}"
    try:
        return word.styles[name]
    except KeyError:
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = word.styles["Normal"]
    style.font.size = Pt(size)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    return style


def _cell_text(cell, text: str, style, *, align, bold=False, indent=None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = style.style_id  # ``.style =`` searches all styles
    paragraph.alignment = align
    _run(paragraph, text, bold=bold)
    if indent:
        paragraph.paragraph_format.left_indent = indent
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _text_cm(text: str, size: float, em: float) -> float:
    """A rough width of ``text`` at ``size`` points, ``em`` ems a character."""
    return len(text) * em * size / POINTS_PER_CM


def _column_widths(table: Table, width_cm: float, size: float) -> list[float]:
    """Widths in the ratio of the columns' ``width``, except that a number or date column is
    widened to fit its widest value and the longest word of its label (a date broken as
    "31/12/202 4" is not signed); the text columns give up the room."""
    columns = table.columns
    total = sum(c.width for c in columns) or 1
    widths = [width_cm * c.width / total for c in columns]
    padding = 2 * CELL_MARGIN_CM + 0.05
    needed = list(widths)
    for index, column in enumerate(columns):
        if column.kind == TEXT:
            continue
        values = (format_cell(row.cells[index], column.kind) for row in table.rows)
        words = column.label.split() or [""]
        least = padding + max(
            max((_text_cm(text, size, VALUE_EM) for text in values), default=0),
            max(_text_cm(word, size, LABEL_EM) for word in words),
        )
        needed[index] = max(widths[index], least)
    deficit = sum(needed) - width_cm
    flexible = [i for i, c in enumerate(columns) if c.kind == TEXT]
    room = sum(needed[i] - MIN_TEXT_CM for i in flexible if needed[i] > MIN_TEXT_CM)
    if deficit <= 0 or room < deficit:  # fits, or cannot be helped: the plain ratio
        return widths if deficit > 0 else needed
    for i in flexible:
        spare = max(needed[i] - MIN_TEXT_CM, 0)
        needed[i] -= deficit * spare / room
    return needed


def _data_table(word, table: Table, width_cm: float, *, roomy: bool, keep_end=False) -> None:
    """``table`` under its title. ``keep_end``: its last row and note stay with what follows
    (the signature)."""
    columns = table.columns
    size = TABLE_SIZE_ROOMY if roomy and len(columns) <= ROOMY_COLUMNS else TABLE_SIZE
    style = _cell_style(word, size)
    title = _line(word, table.title, SIZES["body"], align=WD_ALIGN_PARAGRAPH.LEFT, bold=True)
    title.paragraph_format.space_before = Pt(6)
    title.paragraph_format.space_after = Pt(6)
    title.paragraph_format.keep_with_next = True

    header_rows = 2 if table.has_groups else 1
    grid = _fixed_table(word, header_rows, _column_widths(table, width_cm, size))
    _borders(grid, "single")
    center = WD_ALIGN_PARAGRAPH.CENTER
    if header_rows == 1:
        for cell, column in zip(grid.rows[0].cells, columns, strict=True):
            _cell_text(cell, column.label, style, align=center, bold=True)
    else:
        upper = grid.rows[0].cells
        lower = grid.rows[1].cells
        start = 0
        for label, span, column in table.header_groups():
            if column is None:  # a group: its name across, its columns' labels below
                merged = upper[start].merge(upper[start + span - 1]) if span > 1 else upper[start]
                _cell_text(merged, label, style, align=center, bold=True)
                for index in range(start, start + span):
                    _cell_text(lower[index], columns[index].label, style, align=center, bold=True)
            else:  # a column of its own, down both heading rows
                merged = upper[start].merge(lower[start])
                _cell_text(merged, label, style, align=center, bold=True)
            start += span
    for row in grid.rows:
        _row_flags(row, header=True)
        _keep_with_next(row.cells)  # a heading row never ends a page

    # Each body row is a copy of one blank row: python-docx's add_row and its formatting
    # calls search the table and each cell's properties, which takes seconds at 1,000 rows.
    blank = grid.add_row()
    _row_flags(blank, header=False)
    for cell, column in zip(blank.cells, columns, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph._p.get_or_add_pPr().style = style.style_id
        paragraph.alignment = _align(column)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    grid._tbl.remove(blank._tr)

    previous = None
    for row in table.rows:
        tr = copy.deepcopy(blank._tr)
        grid._tbl.append(tr)
        cells = [_Cell(tc, grid) for tc in tr.tc_lst]
        if row.is_total and previous is not None:
            _keep_with_next(previous)
        _data_row(cells, row, columns)
        previous = cells
    if keep_end and previous is not None:
        _keep_with_next(previous)

    if table.note:
        note = _line(word, table.note, TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, italic=True)
        note.paragraph_format.space_before = Pt(3)
        note.paragraph_format.keep_with_next = keep_end
    spacer = word.add_paragraph()  # Word joins two tables that touch
    spacer.paragraph_format.keep_with_next = keep_end


def _keep_with_next(cells) -> None:
    for cell in cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _align(column: Column):
    return WD_ALIGN_PARAGRAPH.LEFT if column.kind == TEXT else WD_ALIGN_PARAGRAPH.CENTER


def _data_row(cells, row: Row, columns: list[Column]) -> None:
    """Fill a blank row (its cells already aligned by column)."""
    bold = row.style in (ROLLUP, TOTAL)
    first_text = next((i for i, c in enumerate(columns) if c.kind == TEXT), None)
    for index, (cell, value) in enumerate(zip(cells, row.cells, strict=True)):
        paragraph = cell.paragraphs[0]
        _run(paragraph, format_cell(value, columns[index].kind), bold=bold)
        if index == first_text and row.is_total:  # "Tổng cộng" in the middle
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif index == first_text and row.depth:
            paragraph.paragraph_format.left_indent = DEPTH_INDENT * row.depth


def _chart_table(chart: Chart) -> Table:
    """The chart's figures as a table: one row per label, one column per series."""
    columns = [Column("", kind=TEXT, width=30)] + [
        Column(name, kind=INT, width=12) for name, _values in chart.series
    ]
    rows = [
        Row([label] + [values[i] if i < len(values) else None for _name, values in chart.series])
        for i, label in enumerate(chart.labels)
    ]
    return Table(chart.title, columns, rows)


# The closing: recipients and signature


def _closing(word, doc: PartyDocument, width_cm: float) -> None:
    # The paragraph before the closing stays with it, so the signature never starts a page.
    paragraphs = word.paragraphs
    if paragraphs:
        paragraphs[-1].paragraph_format.keep_with_next = True
    left_width = width_cm * CLOSING_LEFT_SHARE
    table = _fixed_table(word, 1, [left_width, width_cm - left_width])
    _no_borders(table)
    _row_flags(table.rows[0], header=False)
    left, right = table.rows[0].cells

    if doc.recipients:
        heading = _first_line(
            left,
            _("Recipients:"),
            RECIPIENTS_HEADING_SIZE,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            bold=True,
            italic=True,
        )
        heading.paragraph_format.keep_with_next = True
        for index, recipient in enumerate(doc.recipients, start=1):
            line = _line(left, f"- {recipient}", RECIPIENTS_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
            line.paragraph_format.keep_with_next = index < len(doc.recipients)

    signature = doc.signature
    if signature:
        lines = [signature.mandate, signature.title] + [""] * SIGNATURE_BLANK_LINES
        lines.append(signature.name)
        for index, text in enumerate(lines):
            if index == 0:
                paragraph = _first_line(right, text, SIZES["body"], bold=True)
            else:
                paragraph = _line(right, text, SIZES["body"], bold=True)
            paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
            paragraph.paragraph_format.keep_together = True


# The party header


def _party_header(word, doc: PartyDocument, width_cm: float) -> None:
    heading = doc.heading
    left_width = width_cm * HEADER_LEFT_SHARE
    table = _fixed_table(word, 1, [left_width, width_cm - left_width])
    _no_borders(table)
    left, right = table.rows[0].cells

    lines = []
    if heading.superior:
        lines.append((heading.superior.upper(), SIZES["issuer"], {}))
    lines.append((heading.issuer.upper(), SIZES["issuer"], {"bold": True}))
    lines.append(("*", SIZES["issuer"], {}))
    if heading.number:
        lines.append((heading.number, SIZES["number"], {}))
    for index, (text, size, style) in enumerate(lines):
        if index == 0:
            _first_line(left, text, size, **style)
        else:
            _line(left, text, size, **style)

    _first_line(right, heading.party.upper(), SIZES["party"], bold=True, underline=True)
    if heading.place_date:
        place = _line(right, heading.place_date, SIZES["place_date"], italic=True)
        place.paragraph_format.space_before = Pt(6)
