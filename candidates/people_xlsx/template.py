"""The workbook offices download, fill and upload: a title, the lines under it, the header
row and rows to fill, with a sheet of instructions. It reads back with no errors. No ORM.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from documents.xlsx import BOX, CENTER, LEFT, font, page_setup, workbook_bytes, write_cell

from ..choices import Category, Sex
from .headers import COLUMNS, HEADER_SCAN_ROWS

FONT_SIZE = 12
_WIDTHS = {
    "number": 6,
    "family_name": 24,
    "given_name": 10,
    "date_of_birth": 14,
    "sex": 11,
    "ethnicity": 10,
    "religion": 11,
    "citizen_id": 17,
    "phone": 15,
    "school_class": 9,
    "youth_union_member": 11,
    "trade_union_member": 12,
    "note": 22,
    "category": 14,
    "graduation_year": 12,
    "education": 14,
}
# Formatted as text, so what is typed stays as typed (a date typed 05/03/2008 is not turned
# into 3 May by an Excel set to US dates); a date already known is written as a date cell.
_TEXT_KEYS = frozenset({"date_of_birth", "citizen_id", "phone"})
_CENTERED_KEYS = frozenset(
    {"number", "date_of_birth", "sex", "youth_union_member", "trade_union_member", "school_class"}
)
_MIDDLE = Alignment(horizontal="center", vertical="center")
_EMPTY_ROWS = 40
_MAX_LINES = HEADER_SCAN_ROWS - 3  # title, lines, a blank row, then the header row

# How the template writes a category: words the reader takes back.
_CATEGORY_WRITTEN: dict[str, str] = {
    Category.STUDENT: "Học sinh",
    Category.WORKER: "Người lao động",
    Category.MANAGER: "Quản lý",
    Category.CIVIL_SERVANT: "Công chức",
    Category.OTHER: "Khác",
}


def people_template_xlsx(
    *,
    title: str,
    lines: list[str],
    people: Iterable[dict] = (),
    extra_columns: Iterable[tuple[str, str]] = (),
) -> bytes:
    """The workbook offices download, fill and upload: a title, the lines under it ("Đơn vị:
    …"), the header row of ``COLUMNS`` and ``extra_columns`` (e.g. ``CANDIDATE_COLUMNS``),
    the given people, then empty rows to fill."""
    columns = [*COLUMNS, *extra_columns]
    lines = list(lines)
    if len(lines) > _MAX_LINES:
        raise ValueError(f"at most {_MAX_LINES} lines fit above the header row")
    people = list(people)

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    page_setup(ws, landscape=True)
    for index, (key, _header) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS[key]

    header_row = _write_title(ws, title, lines, width=len(columns))
    for index, (_key, header) in enumerate(columns, start=1):
        cell = write_cell(ws, header_row, index, header)
        cell.font = font(size=FONT_SIZE, bold=True)
        cell.alignment = CENTER
        cell.border = BOX
    ws.row_dimensions[header_row].height = 48
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)

    first = header_row + 1
    last = header_row + len(people) + _EMPTY_ROWS
    keys = [key for key, _header in columns]
    _write_people(ws, keys, people, first=first, last=last)
    _add_validations(ws, keys, first=first, last=last)
    _write_guide(wb.create_sheet("Hướng dẫn"))
    return workbook_bytes(wb)


def _write_title(ws: Worksheet, title: str, lines: list[str], *, width: int) -> int:
    """The title and the lines under it, each across the table; answers the header row."""
    cell = write_cell(ws, 1, 1, title)
    cell.font = font(size=FONT_SIZE + 2, bold=True)
    cell.alignment = CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 36
    row = 2
    for line in lines:
        cell = write_cell(ws, row, 1, line)
        cell.font = font(size=FONT_SIZE)
        cell.alignment = LEFT
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    return row + 1  # a blank row


def _write_people(ws: Worksheet, keys: list[str], people: list[dict], *, first, last) -> None:
    """The given people, numbered, then empty boxed rows down to ``last``."""
    plain = font(size=FONT_SIZE)
    for row in range(first, last + 1):
        position = row - first + 1
        person = people[position - 1] if position <= len(people) else None
        for index, key in enumerate(keys, start=1):
            value = _template_value(key, person.get(key), position) if person else ""
            cell = write_cell(ws, row, index, value)
            cell.font = plain
            cell.border = BOX
            if key in _TEXT_KEYS and not isinstance(value, date):
                cell.number_format = "@"
            if key in _CENTERED_KEYS:
                cell.alignment = _MIDDLE


def _template_value(key: str, value, number: int):
    if key == "number":
        return number if value in (None, "") else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value  # a real date cell, shown dd/mm/yyyy (``write_cell``)
    if key == "sex":
        return {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}.get(value, str(value))
    if key == "category":
        return _CATEGORY_WRITTEN.get(value, str(value))
    return str(value)


def _add_validations(ws: Worksheet, keys: list[str], *, first: int, last: int) -> None:
    """Drop-down lists (warnings only) for the sex and the membership marks."""

    def column_range(key: str) -> str:
        letter = get_column_letter(keys.index(key) + 1)
        return f"{letter}{first}:{letter}{last}"

    sex_list = DataValidation(
        type="list", formula1='"Nam,Nữ"', allow_blank=True, errorStyle="warning"
    )
    sex_list.add(column_range("sex"))
    mark_list = DataValidation(type="list", formula1='"x"', allow_blank=True, errorStyle="warning")
    mark_list.add(column_range("youth_union_member"))
    mark_list.add(column_range("trade_union_member"))
    ws.add_data_validation(sex_list)
    ws.add_data_validation(mark_list)


def _write_guide(guide: Worksheet) -> None:
    guide.column_dimensions["A"].width = 100
    top = Alignment(wrap_text=True, vertical="top")
    for index, text in enumerate(_guide_lines(), start=1):
        cell = write_cell(guide, index, 1, text)
        cell.font = font(size=FONT_SIZE, bold=index == 1)
        cell.alignment = top


def _guide_lines() -> list[str]:
    return [
        _("How to fill in the list"),
        _("1. Type one person per row, starting in the first empty row under the header."),
        _("2. Do not change, move or delete the header row; do not add formulas."),
        _("3. Type the date of birth as dd/mm/yyyy, day first: 05/03/2008 is 5 March 2008."),
        _("4. Write the sex as Nam or Nữ."),
        _("5. Put x under “Đoàn viên” or “Công đoàn viên” for a member; leave it empty if not."),
        _(
            "6. Type the citizen ID (CCCD) with all 12 digits, including the leading 0; the "
            "column is formatted as text so Excel keeps the zero."
        ),
        _("7. Save the file (.xlsx, .xls or .ods) and upload it; rows left empty are ignored."),
    ]
