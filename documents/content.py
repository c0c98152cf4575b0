"""What a report *says*, apart from how it is drawn: a party document as data.

A report kind (``reports``) fills a ``PartyDocument`` from the selectors; the renderers draw
the same object as a web page (``templates/documents/_report_body.html``), a PDF
(``documents.pdf.document_pdf``), an Excel workbook (``documents.workbook.document_xlsx``)
and a Word file (``documents.word.document_docx``). So a number is the same in every format:
it is one cell of one ``Row``.

Cells hold plain values: ``int`` and ``float`` stay numbers (Excel adds them up), ``date``
stays a date, ``None`` is an empty cell and anything else is text. A ``Column``'s ``kind``
says how to show them: "text", "int", "percent" (a float, 70.0 → "70%"), "date", or "label"
(short text centred like the numbers beside it: "8 – 10", "Đạt").

The layout figures (margins, font sizes) are in ``documents.layout``; nothing here knows a
unit, a plan or a candidate.
"""

from dataclasses import dataclass, field
from datetime import date

from .layout import PARTY

TEXT, INT, PERCENT, DATE = "text", "int", "percent", "date"
LABEL = "label"  # short text shown centred like a number: a quota "8 – 10", a status "Đạt"
KINDS = (TEXT, INT, PERCENT, DATE, LABEL)

# Row styles: an ordinary unit, a committee's sum of the units below it, the table's total.
PLAIN, ROLLUP, TOTAL = "", "rollup", "total"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = INT
    width: float = 9  # Excel width units; PDF and Word share the page in the same ratio
    group: str = ""  # columns side by side with the same group get one heading above them

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def numeric(self) -> bool:
        return self.kind in (INT, PERCENT)


@dataclass
class Row:
    cells: list
    depth: int = 0  # how far the first text column is indented (a cell under its committee)
    style: str = PLAIN  # PLAIN, ROLLUP or TOTAL

    @property
    def is_total(self) -> bool:
        return self.style == TOTAL


@dataclass
class Table:
    title: str  # "Biểu 1. Kết quả thực hiện chỉ tiêu kết nạp đảng viên"
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    note: str = ""  # under the table: what the figures count

    def __post_init__(self):
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(
                    f"{self.title}: a row has {len(row.cells)} cells for "
                    f"{len(self.columns)} columns"
                )

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)

    def header_groups(self) -> list[tuple[str, int, Column | None]]:
        """The upper header row: (label, span, column) — a run of columns sharing a group is
        one entry (label = the group, column None); a column without a group is its own
        entry spanning both header rows (label = its label)."""
        out: list[tuple[str, int, Column | None]] = []
        for column in self.columns:
            if column.group and out and out[-1][2] is None and out[-1][0] == column.group:
                label, span, _ = out[-1]
                out[-1] = (label, span + 1, None)
            elif column.group:
                out.append((column.group, 1, None))
            else:
                out.append((column.label, 1, column))
        return out

    def column(self, label: str, group: str = "") -> int:
        """The index of the column called ``label`` (in ``group``)."""
        for index, c in enumerate(self.columns):
            if c.label == label and c.group == group:
                return index
        raise KeyError(f"{self.title}: no column {group!r}/{label!r}")


@dataclass
class Chart:
    """A bar chart: one bar per label for each series (e.g. quota and admitted per unit)."""

    title: str
    labels: list[str]
    series: list[tuple[str, list[int | float]]]

    @property
    def peak(self) -> float:
        values = [v for _name, values in self.series for v in values if v is not None]
        return max(values, default=0) or 1


@dataclass
class Heading:
    """The party header: the issuing body top left, the party top right."""

    superior: str = ""  # "ĐẢNG BỘ TỈNH BẮC GIANG" (may be empty)
    issuer: str = ""  # "HUYỆN ỦY HIỆP HÒA"
    number: str = ""  # "Số 12-BC/HU"
    place_date: str = ""  # "Hiệp Hòa, ngày 20 tháng 12 năm 2024"
    party: str = PARTY


@dataclass
class Signature:
    mandate: str = ""  # "T/M BAN THƯỜNG VỤ"
    title: str = ""  # "PHÓ BÍ THƯ"
    name: str = ""


@dataclass
class PartyDocument:
    """A report as the standing committee signs it (Hướng dẫn 36-HD/VPTW)."""

    doc_type: str  # "BÁO CÁO"; for an annex, its first title line ("DANH SÁCH")
    subject: str  # "Kết quả công tác phát triển đảng viên năm 2024"
    heading: Heading | None = None  # None: an annex, which has no party header of its own
    subtitle: str = ""  # an italic line under the subject ("Tính đến ngày 31/12/2024")
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chart: Chart | None = None
    recipients: list[str] = field(default_factory=list)
    signature: Signature | None = None
    landscape: bool = False
    file_stem: str = "bao-cao"  # the download's name, without extension
    as_of: date | None = None

    @property
    def orientation(self) -> str:
        return "landscape" if self.landscape else "portrait"


def format_cell(value, kind: str) -> str:
    """A cell as text, the way the page, the PDF and the Word file show it: 1234 → "1.234",
    70.5 (percent) → "70,5%", a date → "05/03/2024", None → ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if kind == PERCENT and isinstance(value, int | float):
        return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "%"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)
