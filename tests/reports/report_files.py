"""Reading a report back from each format it comes in: the page, the PDF, the workbook and
the Word file, as the text and table rows a reader sees."""

from html.parser import HTMLParser
from io import BytesIO

import docx
import pdfplumber
from openpyxl import load_workbook

from documents.content import Row, Table, format_cell


def flat(text: str | None) -> str:
    """``text`` with every run of white space (line breaks included) as one space."""
    return " ".join((text or "").split())


def body(response) -> bytes:
    """The bytes of a response, streamed (``FileResponse``) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def shown(row: Row, table: Table) -> list[str]:
    """A row's cells as every format writes them (``documents.content.format_cell``)."""
    pairs = zip(row.cells, table.columns, strict=True)
    return [format_cell(value, column.kind) for value, column in pairs]


# --- the web page ------------------------------------------------------------------------------


class _DocumentTables(HTMLParser):
    """The body rows of every table inside ``<article class="party-document">``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._article = 0  # nesting depth inside the article, 0 outside
        self._tbody = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article" and "party-document" in classes:
            self._article = 1
            return
        if not self._article:
            return
        if tag == "article":
            self._article += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tbody":
            self._tbody = True
        elif tag == "tr" and self._tbody:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if not self._article:
            return
        if tag == "article":
            self._article -= 1
        elif tag == "tbody":
            self._tbody = False
        elif tag == "td" and self._cell is not None and self._row is not None:
            self._row.append(flat("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(content: bytes | str) -> list[list[list[str]]]:
    """The body rows of the report's tables on a page, each cell's text."""
    parser = _DocumentTables()
    parser.feed(content.decode("utf-8") if isinstance(content, bytes) else content)
    parser.close()
    return parser.tables


# --- the PDF -----------------------------------------------------------------------------------


def pdf_read(data: bytes) -> tuple[str, list[list[str]]]:
    """The text of every page, and every row of every ruled table (cells flattened, an empty
    or merged cell as "")."""
    texts, rows = [], []
    with pdfplumber.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            for table in page.extract_tables():
                rows += [[flat(cell) for cell in row] for row in table]
    return "\n".join(texts), rows


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


# --- the Word file -----------------------------------------------------------------------------


def docx_read(data: bytes) -> tuple[str, list[list[str]]]:
    """The paragraphs and table cells of a Word file as text, and every table row."""
    document = docx.Document(BytesIO(data))
    rows = [
        [flat(cell.text) for cell in row.cells] for table in document.tables for row in table.rows
    ]
    text = "\n".join([p.text for p in document.paragraphs] + [" ".join(row) for row in rows])
    return text, rows


# --- the workbook ------------------------------------------------------------------------------


def workbook(data: bytes):
    return load_workbook(BytesIO(data))


def sheet_cells(ws) -> list[list]:
    """Every row of a sheet as its cells (not values: number formats are checked too)."""
    return [list(row) for row in ws.iter_rows()]
