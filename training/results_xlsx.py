"""A class's attendance and results as an Excel round trip: the Board downloads the sheet
filled with the accepted nominees (and what is recorded so far), fills it in, and uploads it.

The upload is read by ``documents.spreadsheets.read_sheet`` (the one guarded door for
uploaded spreadsheets: size, old or protected files, zip and entity bombs, rows, columns,
cells); here the heading row is found, each row is matched to a nominee by the code the
download wrote (and checked against the name beside it), and every cell is checked. Every
problem of the file is reported together, with its row and column; nothing is written
unless there is none (``training.imports.class_results_import``).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.dates import DMY, dmy
from core.text import fold, nfc
from documents.spreadsheets import Limits, SpreadsheetRefused, read_sheet
from documents.xlsx import (
    BOX,
    CENTER,
    LEFT,
    font,
    page_setup,
    sheet_title,
    workbook_bytes,
    write_cell,
)

from .choices import Result
from .rules import result_attendance_problem, session_attendance_problem

MAX_UPLOAD_MB = 5
LIMITS = Limits(size=MAX_UPLOAD_MB * 1024 * 1024)
PRESENT = "x"
HEADING_SEARCH_ROWS = 15
FIRST_ROW = 5  # the heading row of the download; the reader looks for it anyway


def _headings() -> dict[str, str]:
    return {
        "code": _("Code"),
        "number": _("No."),
        "family_name": _("Family and middle name"),
        "given_name": _("Given name"),
        "date_of_birth": _("Date of birth"),
        "unit": _("Unit"),
        "result": _("Result"),
    }


def _result_labels() -> dict[str, str]:
    """Folded label → result, in the user's language and in English ("Đạt", "passed")."""
    labels = {}
    for value, label in Result.choices:
        if value:
            labels[fold(str(label))] = value
            labels[fold(value)] = value
    return labels


# --- the download ----------------------------------------------------------------------------


def results_template_xlsx(*, training_class, roster: list, sessions: list) -> bytes:
    """The sheet to fill in: one row per accepted nominee with its code, name, date of
    birth and unit, an "x" under each session attended, and the result so far."""
    heads = _headings()
    columns = [
        (heads["code"], 8),
        (heads["number"], 5),
        (heads["family_name"], 22),
        (heads["given_name"], 10),
        (heads["date_of_birth"], 12),
        (heads["unit"], 24),
        *((s.dated, 11) for s in sessions),  # real dates, as the reader takes them back
        (heads["result"], 12),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(_("Results"))
    page_setup(ws, landscape=True)
    for index, (_label, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    title = write_cell(ws, 1, 1, _("RESULTS OF %(name)s") % {"name": nfc(training_class.name)})
    title.font = font(bold=True)
    labels = ", ".join(str(label) for value, label in Result.choices if value)
    lines = [
        _("Write %(x)s under each session the person attended; leave it blank if absent.")
        % {"x": PRESENT},
        _("Result: %(labels)s. Do not change the Code column; rows may be in any order.")
        % {"labels": labels},
    ]
    for row, text in enumerate(lines, start=2):
        write_cell(ws, row, 1, text).font = font(italic=True, size=12)
    heading_row = FIRST_ROW - 1
    for column, (label, _width) in enumerate(columns, start=1):
        cell = write_cell(ws, heading_row, column, label)
        cell.font = font(bold=True, size=12)
        cell.alignment = CENTER
        cell.border = BOX
    ws.print_title_rows = f"{heading_row}:{heading_row}"
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=5)
    for row, nomination in enumerate(roster, start=FIRST_ROW):
        candidate = nomination.candidate
        unit = nomination.nominee_list.unit
        here = {a.session_id for a in nomination.attendance.all() if a.present}
        values = [
            nomination.pk,
            row - FIRST_ROW + 1,
            nfc(candidate.family_name),
            nfc(candidate.given_name),
            candidate.date_of_birth,  # a date cell, dd/mm/yyyy
            nfc(unit.short_name) or nfc(unit.name),
            *(PRESENT if s.pk in here else "" for s in sessions),
            nomination.get_result_display() if nomination.result else "",
        ]
        for column, value in enumerate(values, start=1):
            cell = write_cell(ws, row, column, value)
            cell.font = font(size=12)
            cell.border = BOX
            cell.alignment = LEFT if column in (3, 4, 6) else CENTER
    return workbook_bytes(wb)


# --- the upload ------------------------------------------------------------------------------


@dataclass
class SheetProblem:
    message: str
    row: int | None = None
    column: str = ""


@dataclass
class ResultsRead:
    """What an uploaded sheet says: ``present`` (session id → nomination ids present) and
    ``results`` (nomination id → result) for the rows of the file, and every problem."""

    present: dict[int, set[int]] = field(default_factory=dict)
    results: dict[int, str] = field(default_factory=dict)
    rows: int = 0
    errors: list[SheetProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(_text(value).replace("-", "/").replace(".", "/"), DMY).date()
    except ValueError:
        return None


def _mark(value) -> bool | None:
    """A session cell: "x" (or 1, "có") present, blank (or 0, "vắng") absent, None when
    it is neither."""
    text = fold(_text(value))
    if text in {"", "0", "-", "vang", "khong"}:
        return False
    if text in {PRESENT, "1", "co", "co mat", "\u2713"}:
        return True
    return None


def _columns(header: tuple, sessions: list) -> tuple[dict[str, int], dict[int, int], list]:
    """The heading row → (field → column index, column index → session id, problems)."""
    wanted = {key: {fold(label), fold(key)} for key, label in _headings().items()}
    by_day = {s.dated: s.pk for s in sessions}
    fields, days, problems = {}, {}, []
    for index, value in enumerate(header):
        text = fold(_text(value))
        if not text:
            continue
        key = next((k for k, names in wanted.items() if text in names), None)
        if key is not None:
            fields.setdefault(key, index)
            continue
        day = _day(value)
        if day is not None:
            if day in by_day:
                days[index] = by_day[day]
            else:
                problems.append(
                    SheetProblem(
                        _("The class has no session on %(day)s.") % {"day": dmy(day)},
                        column=get_column_letter(index + 1),
                    )
                )
    return fields, days, problems


def _find_header(rows: list[tuple[int, tuple]]) -> int | None:
    code = {fold(_("Code")), "code"}
    for position, (_number, values) in enumerate(rows[:HEADING_SEARCH_ROWS]):
        if any(fold(_text(v)) in code for v in values):
            return position
    return None


def read_results(upload, *, roster: list, sessions: list, today: date) -> ResultsRead:
    """Read an uploaded results sheet of the class whose accepted nominees are ``roster``
    and sessions ``sessions``; check every row and cell and report every problem."""
    read = ResultsRead()
    try:
        sheet = read_sheet(upload, limits=LIMITS)
    except SpreadsheetRefused as refused:
        read.errors.append(SheetProblem(refused.message))
        return read
    rows = sheet.value_rows()
    start = _find_header(rows)
    if start is None:
        read.errors.append(
            SheetProblem(
                _(
                    "No heading row with a “%(code)s” column was found; download the sheet "
                    "from this page and fill it in."
                )
                % {"code": _("Code")}
            )
        )
        return read
    fields, days, problems = _columns(rows[start][1], sessions)
    read.errors += problems
    for key in ("code", "result"):
        if key not in fields:
            read.errors.append(
                SheetProblem(_("The column “%(name)s” is missing.") % {"name": _headings()[key]})
            )
    if not read.ok:
        return read
    reader = _RowReader(
        read=read,
        fields=fields,
        days=days,
        sessions={s.pk: s for s in sessions},
        by_pk={n.pk: n for n in roster},
        today=today,
    )
    for number, values in rows[start + 1 :]:
        if any(_text(v) for v in values):
            reader.row(number, values)
    if not read.rows and read.ok:
        read.errors.append(SheetProblem(_("The file has no row of nominees under the headings.")))
    return read


@dataclass
class _RowReader:
    read: ResultsRead
    fields: dict[str, int]
    days: dict[int, int]  # column index → session id
    sessions: dict
    by_pk: dict
    today: date
    seen: dict[int, int] = field(default_factory=dict)  # nomination id → row

    def problem(self, number: int, message: str, index: int | None = None) -> None:
        column = get_column_letter(index + 1) if index is not None else ""
        self.read.errors.append(SheetProblem(message, row=number, column=column))

    def row(self, number: int, values: tuple) -> None:
        self.read.rows += 1
        nomination = self.nomination(number, values)
        if nomination is None:
            return
        here, ok = self.attendance(number, values, nomination)
        result = self.result(number, values, nomination, here)
        if ok and result is not None:
            for session_id, present in here.items():
                if present:
                    self.read.present.setdefault(session_id, set()).add(nomination.pk)
                else:
                    self.read.present.setdefault(session_id, set())
            self.read.results[nomination.pk] = result

    def nomination(self, number: int, values: tuple):
        index = self.fields["code"]
        code = _text(_cell(values, index))
        nomination = self.by_pk.get(int(code)) if code.isdigit() and len(code) < 12 else None
        if nomination is None:
            self.problem(
                number,
                _("“%(code)s” is not the code of an accepted nominee of this class.")
                % {"code": code},
                index,
            )
            return None
        if nomination.pk in self.seen:
            self.problem(
                number,
                _("This person is already on row %(row)s.") % {"row": self.seen[nomination.pk]},
                index,
            )
            return None
        self.seen[nomination.pk] = number
        name = nomination.candidate.full_name
        written = " ".join(
            _text(_cell(values, self.fields[k]))
            for k in ("family_name", "given_name")
            if k in self.fields
        ).strip()
        if written and fold(written) != fold(name):
            self.problem(
                number,
                _("Code %(code)s is %(name)s, but the row says “%(written)s”.")
                % {"code": nomination.pk, "name": name, "written": written},
                index,
            )
            return None
        return nomination

    def attendance(self, number: int, values: tuple, nomination) -> tuple[dict[int, bool], bool]:
        """The row's sessions (past ones only: a session to come is never recorded)."""
        here, ok = {}, True
        for index, session_id in self.days.items():
            mark = _mark(_cell(values, index))
            day = self.sessions[session_id].dated
            if mark is None:
                self.problem(
                    number,
                    _("Write %(x)s for present or leave the cell blank.") % {"x": PRESENT},
                    index,
                )
                ok = False
            elif mark and (
                problem := session_attendance_problem(session_day=day, today=self.today)
            ):
                self.problem(number, problem, index)
                ok = False
            elif day <= self.today:
                here[session_id] = mark
        return here, ok

    def result(self, number: int, values: tuple, nomination, here: dict[int, bool]):
        index = self.fields["result"]
        text = fold(_text(_cell(values, index)))
        result = _result_labels().get(text) if text else Result.NONE
        if result is None:
            labels = ", ".join(str(label) for value, label in Result.choices if value)
            self.problem(
                number, _("Write the result as one of: %(labels)s.") % {"labels": labels}, index
            )
            return None
        problem = result_attendance_problem(
            name=nomination.candidate.full_name,
            result=result,
            attended=sum(here.values()),
            recorded=len(here),
        )
        if problem:
            self.problem(number, problem, index)
            return None
        return result


def _cell(values: tuple, index: int):
    return values[index] if index < len(values) else None
