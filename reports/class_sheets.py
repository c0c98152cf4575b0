"""The roster (danh sách học viên) and the results list of an awareness class, as Excel and PDF.

``class_sheet`` lays the document out once — the issuer block, the title, the columns, one
row per accepted nominee (``sheet_rows``), the totals and the signature block — and the two
renderers only draw it, so the Excel file, the PDF and the tests see the same cells.

The roster is printed and signed at the class: one column per session, "x" where attendance
was recorded as present, blank otherwise (so future sessions can be ticked by hand), and a
column to sign. The results list gives each nominee's sessions attended, result and
certificate.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from core.dates import dmy
from core.text import fold, nfc
from documents.layout import (
    BLANK_PLACE,
    PARTY,
    organiser_heading,
    place_name,
    text_width_cm,
)
from documents.pdf import render_pdf
from documents.xlsx import (
    BOX,
    CENTER,
    LEFT,
    font,
    line_count,
    page_setup,
    sheet_title,
    workbook_bytes,
    write_cell,
)
from training.choices import Result

KINDS = ("roster", "results")
PRESENT = "x"
# Both sheets are printed landscape: the roster has a unit, a class, a column per session
# and room to sign; the results list ten columns. On A4 portrait the unit names did not fit.
PAGE_CM = {o: text_width_cm(o) for o in ("portrait", "landscape")}
CM_PER_CHAR = 0.22  # about the mean width of a letter of Tinos at 12 pt

TABLE_SIZE = 12  # pt: the table and the totals
TEXT_SIZE = 13  # pt: the heading blocks, the date line and the signature
TITLE_SIZE = 14


@dataclass(frozen=True)
class Column:
    label: str
    width: float  # Excel width units
    align: str = "center"  # "left" or "center"
    pdf_cm: float | None = None  # width in the PDF; None: a share of what the others leave


@dataclass
class ClassSheet:
    kind: str
    issuer: str  # "HUYỆN ỦY HIỆP HÒA"
    organiser: str  # "TRUNG TÂM CHÍNH TRỊ"
    party: str  # "ĐẢNG CỘNG SẢN VIỆT NAM"
    title: str  # "DANH SÁCH HỌC VIÊN"
    class_line: str  # "Lớp bồi dưỡng nhận thức về Đảng – …"
    info_line: str  # "Đợt 1 – tháng 4/2024 · Khai giảng 07/04/2024 · Hội trường …"
    columns: list[Column]
    rows: list[dict]
    totals: str
    place_date: str  # "Hiệp Hòa, ngày .... tháng .... năm ...."
    signer: str  # "GIÁM ĐỐC"
    landscape: bool
    sheet_name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def orientation(self) -> str:
        return "landscape" if self.landscape else "portrait"

    @property
    def header(self) -> list[str]:
        return [c.label for c in self.columns]

    @property
    def body(self) -> list[list[tuple[object, str]]]:
        """Each row's cells with their column's alignment, for the PDF template: a date as
        dd/mm/yyyy text (the Excel file has it as a date cell)."""
        aligns = [c.align for c in self.columns]
        return [
            [(_shown(value), align) for value, align in zip(row["cells"], aligns, strict=True)]
            for row in self.rows
        ]

    @property
    def pdf_widths(self) -> list[str]:
        """The CSS widths of the PDF's columns: the short columns as set, the page's
        remaining width shared by the others (the unit) in the ratio of their Excel widths."""
        page = PAGE_CM[self.orientation]
        fixed = sum(c.pdf_cm for c in self.columns if c.pdf_cm is not None)
        shared = sum(c.width for c in self.columns if c.pdf_cm is None) or 1
        left = max(page - fixed, 0)
        return [
            f"{c.pdf_cm if c.pdf_cm is not None else left * c.width / shared:.2f}cm"
            for c in self.columns
        ]


# --- pieces ----------------------------------------------------------------------------------


def _attendance(nomination, sessions) -> dict[int, bool]:
    wanted = {s.pk for s in sessions}
    return {a.session_id: a.present for a in nomination.attendance.all() if a.session_id in wanted}


def _shown(value):
    if isinstance(value, date):
        return dmy(value)
    return "" if value is None else value


def sheet_rows(kind: str, roster: list, sessions: list, full_birth=None) -> list[dict]:
    """One dict per nominee, in the roster's order, numbered from 1; ``cells`` holds the
    values of the kind's columns (``sheet_columns``) in order. ``full_birth(unit)`` False
    gives the year of birth only (the standing office; None: the full date for all)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown sheet kind: {kind!r}")
    rows = []
    for number, nomination in enumerate(roster, start=1):
        candidate = nomination.candidate
        unit = nomination.nominee_list.unit
        present = _attendance(nomination, sessions)
        marks = [PRESENT if present.get(s.pk) else "" for s in sessions]
        row = {
            "number": number,
            "family_name": nfc(candidate.family_name),
            "given_name": nfc(candidate.given_name),
            "date_of_birth": candidate.date_of_birth
            if full_birth is None or full_birth(unit)
            else str(candidate.date_of_birth.year),
            "sex": candidate.get_sex_display() if candidate.sex else "",
            "unit": nfc(unit.short_name) or nfc(unit.name),
            "school_class": nfc(candidate.school_class),
            "marks": marks,
            "attended": f"{marks.count(PRESENT)}/{len(sessions)}",
            "result": nomination.get_result_display() if nomination.result else "",
            "certificate_number": nfc(nomination.certificate_number),
            "certificate_date": nomination.certificate_date,
        }
        common = [
            row["number"],
            row["family_name"],
            row["given_name"],
            row["date_of_birth"],
            row["sex"],
            row["unit"],
        ]
        if kind == "roster":
            row["cells"] = [*common, row["school_class"], *marks, ""]
        else:
            row["cells"] = [
                *common,
                row["attended"],
                row["result"],
                row["certificate_number"],
                row["certificate_date"],
            ]
        rows.append(row)
    return rows


def _longest(values, default: int) -> int:
    return max((len(v) for v in values if v), default=default)


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def sheet_columns(kind: str, sessions: list, roster: list | None = None) -> list[Column]:
    """The header of the table. The name columns are as wide as the longest name (within
    limits); in the PDF the unit column takes what the others leave."""
    roster = roster or []
    family = _longest((nfc(n.candidate.family_name) for n in roster), 10)
    given = _longest((nfc(n.candidate.given_name) for n in roster), 5)
    unit = _longest(
        (nfc(n.nominee_list.unit.short_name) or nfc(n.nominee_list.unit.name) for n in roster),
        16,
    )
    common = [
        Column(_("No."), 5, pdf_cm=1.1),
        Column(
            _("Family and middle name"),
            _clamp(family + 3, 14, 26),
            "left",
            pdf_cm=_clamp(CM_PER_CHAR * family + 0.35, 2.3, 4.2),
        ),
        Column(
            _("Given name"),
            _clamp(given + 3, 8, 14),
            "left",
            pdf_cm=_clamp(CM_PER_CHAR * given + 0.35, 1.4, 2.6),
        ),
        Column(_("Date of birth"), 12, pdf_cm=2.2),
        Column(_("Sex"), 7, pdf_cm=1.3),
        Column(_("Unit"), _clamp(unit + 2, 16, 30), "left"),
    ]
    if kind == "roster":
        return [
            *common,
            Column(_("School class"), 7, pdf_cm=1.2),
            *(Column(f"{s.dated:%d/%m}", 7, pdf_cm=1.3) for s in sessions),
            Column(_("Signature"), 12, pdf_cm=2.0),
        ]
    return [
        *common,
        Column(_("Sessions attended"), 9, pdf_cm=1.8),
        Column(_("Result"), 11, pdf_cm=2.0),
        Column(_("Certificate No."), 18, pdf_cm=3.8),
        Column(_("Date issued"), 12, pdf_cm=2.2),
    ]


def _counts(roster: list) -> dict[str, int]:
    tally = Counter(n.result or "" for n in roster)
    return {
        "count": len(roster),
        "passed": tally[Result.PASSED],
        "failed": tally[Result.FAILED],
        "absent": tally[Result.ABSENT],
        "none": tally[Result.NONE],
    }


def class_sheet(
    *, training_class, kind: str, roster: list, sessions: list, full_birth=None
) -> ClassSheet:
    """The roster or results list of ``training_class`` as a document to draw."""
    if kind not in KINDS:
        raise ValueError(f"Unknown sheet kind: {kind!r}")
    plan = training_class.plan
    issuer = plan.issuer
    place = place_name(issuer)

    prefix = _("Party-awareness class")
    name = nfc(training_class.name)
    if fold(name).startswith(fold(prefix)):
        class_line = name
    else:
        class_line = f"{prefix} – {name}" if name else prefix
    first_day = min((s.dated for s in sessions), default=None)
    info = [
        nfc(training_class.round.name),
        _("Opening %(date)s") % {"date": dmy(first_day)} if first_day else "",
        nfc(training_class.venue),
    ]

    counts = _counts(roster)
    if kind == "roster":
        title = _("LIST OF TRAINEES")
        totals = _("Trainees in total: %(count)d") % counts
        sheet_name = _("Trainees")
    else:
        title = _("LIST OF LEARNING RESULTS")
        totals = (
            _(
                "Trainees in total: %(count)d; passed: %(passed)d; failed: %(failed)d; "
                "absent: %(absent)d; no result yet: %(none)d"
            )
            % counts
        )
        sheet_name = _("Results")

    return ClassSheet(
        kind=kind,
        issuer=(nfc(issuer.name) if issuer else "").upper(),
        organiser=organiser_heading(training_class.organiser, place),
        party=PARTY,
        title=title,
        class_line=class_line,
        info_line=" · ".join(part for part in info if part),
        columns=sheet_columns(kind, sessions, roster),
        rows=sheet_rows(kind, roster, sessions, full_birth),
        totals=totals,
        place_date=_("%(place)s, day .... month .... year ....") % {"place": place or BLANK_PLACE},
        signer=_("DIRECTOR"),
        landscape=True,
        sheet_name=sheet_title(sheet_name),
        counts=counts,
    )


# --- renderers -------------------------------------------------------------------------------


RIGHT_BLOCK = Alignment(horizontal="center", vertical="top", wrap_text=True)


def class_sheet_xlsx(
    *, training_class, kind: str, roster: list, sessions: list, full_birth=None
) -> bytes:
    """The roster or results list as an .xlsx workbook of one sheet, laid out like a party
    document: A4 landscape,
    fitted to the page width, the header row repeated on every printed page."""
    sheet = class_sheet(
        training_class=training_class,
        kind=kind,
        roster=roster,
        sessions=sessions,
        full_birth=full_birth,
    )
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.sheet_name
    page_setup(ws, landscape=sheet.landscape)

    columns = len(sheet.columns)
    widths = [c.width for c in sheet.columns]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    page_width = sum(widths)

    # The issuer block takes the columns that end nearest 45 % of the width, the party's
    # name the rest.
    ends = [sum(widths[:index]) for index in range(1, columns)]
    split = min(range(1, columns), key=lambda index: abs(ends[index - 1] - 0.45 * page_width))
    left_width = sum(widths[:split])
    right_width = page_width - left_width

    def block(row, first, last, text, font, alignment, width, height=20):
        cell = write_cell(ws, row, first, text)
        cell.font = font
        cell.alignment = alignment
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        ws.row_dimensions[row].height = max(
            ws.row_dimensions[row].height or 0, height * line_count(text, width)
        )

    heading = font(size=TEXT_SIZE)
    block(1, 1, split, sheet.issuer, heading, CENTER, left_width)
    block(
        1,
        split + 1,
        columns,
        sheet.party,
        font(bold=True, underline=True, size=TEXT_SIZE),
        CENTER,
        right_width,
    )
    block(2, 1, split, sheet.organiser, font(bold=True, size=TEXT_SIZE), CENTER, left_width)
    block(3, 1, split, "*", heading, CENTER, left_width)

    row = 5
    block(row, 1, columns, sheet.title, font(bold=True, size=TITLE_SIZE), CENTER, page_width)
    row += 1
    block(row, 1, columns, sheet.class_line, font(bold=True, size=TEXT_SIZE), CENTER, page_width)
    row += 1
    if sheet.info_line:
        block(
            row,
            1,
            columns,
            sheet.info_line,
            font(italic=True, size=TEXT_SIZE),
            CENTER,
            page_width,
        )
        row += 1
    row += 1

    header_row = row
    header_height = 1
    for column, item in enumerate(sheet.columns, start=1):
        cell = write_cell(ws, row, column, item.label)
        cell.font = font(bold=True, size=TABLE_SIZE)
        cell.alignment = CENTER
        cell.border = BOX
        header_height = max(header_height, line_count(item.label, item.width))
    ws.row_dimensions[row].height = 17 * header_height
    ws.print_title_rows = f"{header_row}:{header_row}"
    row += 1

    # Rows of the roster are taller: they are signed.
    line_height = 24 if kind == "roster" else 18
    for item in sheet.rows:
        height = 1
        for column, value in enumerate(item["cells"], start=1):
            spec = sheet.columns[column - 1]
            cell = write_cell(ws, row, column, value)
            cell.font = font(size=TABLE_SIZE)
            cell.border = BOX
            cell.alignment = LEFT if spec.align == "left" else CENTER
            height = max(height, line_count(value, spec.width))
        ws.row_dimensions[row].height = max(line_height, 17 * height)
        row += 1

    row += 1
    block(row, 1, columns, sheet.totals, font(size=TABLE_SIZE), LEFT, page_width, height=18)
    row += 2
    block(
        row,
        split + 1,
        columns,
        sheet.place_date,
        font(italic=True, size=TEXT_SIZE),
        CENTER,
        right_width,
    )
    row += 1
    block(
        row,
        split + 1,
        columns,
        sheet.signer,
        font(bold=True, size=TEXT_SIZE),
        RIGHT_BLOCK,
        right_width,
    )
    # Room to sign (the name is written by hand under it).
    for spare in range(row + 1, row + 5):
        ws.row_dimensions[spare].height = 20

    return workbook_bytes(wb)


def class_sheet_pdf(
    *, training_class, kind: str, roster: list, sessions: list, full_birth=None
) -> bytes:
    """The roster or results list as an A4 PDF (landscape for the results and for a roster of
    more than three sessions), the header row repeated on every page."""
    sheet = class_sheet(
        training_class=training_class,
        kind=kind,
        roster=roster,
        sessions=sessions,
        full_birth=full_birth,
    )
    return render_pdf(
        "reports/class_sheet.html",
        {
            "cls": training_class,
            "kind": kind,
            "roster": roster,
            "sessions": sessions,
            "sheet": sheet,
        },
    )
