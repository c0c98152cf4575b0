"""Reading a list of people from the first worksheet of an .xlsx file, as offices really
make it: the header row under title lines, the header variants of ``headers``, the cell
parsers of ``values``, each row read field by field by ``fields``. The file is opened and
its filled cells read by the guarded door, ``documents.spreadsheets.read_sheet``. Every
problem comes back as a ``CellError`` with the Excel row and the header as written, all of
them at once. No ORM.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from documents.spreadsheets import Limits, SpreadsheetRefused, read_sheet

from .fields import read_fields
from .headers import (
    HEADER_SCAN_ROWS,
    Layout,
    expected_headers,
    field_headers,
    field_names,
    find_layout,
    missing_headers,
    unit_label,
)
from .values import Value, as_text, read_cell

# A list of people is a few hundred kB at most; the upload forms refuse a larger file with
# their own words first (2 MB for the candidates' import, whose file waits in the session).
LIMITS = Limits(size=5 * 1024 * 1024)

_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")


@dataclass
class CellError:
    row: int  # the Excel row number (1-based); 0 for problems with the whole file
    column: str  # the header as written in the file; "" for row- and file-level problems
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class PersonRow:
    row: int
    family_name: str = ""
    given_name: str = ""
    date_of_birth: date | None = None
    sex: str = ""  # Sex value or ""
    ethnicity: str = ""
    religion: str = ""
    citizen_id: str = ""
    phone: str = ""
    category: str = ""  # Category value or ""
    school_class: str = ""
    youth_union_member: bool | None = None  # None: the file has no such column
    trade_union_member: bool | None = None
    unit_name: str = ""
    note: str = ""
    graduation_year: int | None = None  # None: blank, or the file has no such column
    education: str = ""


@dataclass
class SheetRead:
    rows: list[PersonRow]
    errors: list[CellError]
    unit_label: str = ""  # the text after "Đơn vị:" in a title line above the header row
    # PersonRow fields the file has a column for, in file order ("number" for STT; a full
    # name column gives family_name and given_name, the "Nam" / "Nữ" columns give sex).
    columns: list[str] = field(default_factory=list)
    # The header as written of each PersonRow field the file has (for messages about a row
    # found later, e.g. a citizen ID that is already someone else's).
    headers: dict[str, str] = field(default_factory=dict)


def read_people(data: bytes) -> SheetRead:
    """The people listed in the first worksheet of an .xlsx file, and every problem found."""
    try:
        rows = read_sheet(data, limits=LIMITS).cells
    except SpreadsheetRefused as refused:
        return _file_error(refused.message)

    layout = find_layout(rows)
    if layout is None:
        return _file_error(
            _(
                "No header row was found in the first %(rows)s rows of the first "
                "sheet. The header row should have the columns %(columns)s."
            )
            % {"rows": HEADER_SCAN_ROWS, "columns": expected_headers()}
        )
    sheet = SheetRead(
        rows=[],
        errors=[],
        unit_label=unit_label(rows, layout.first_row),
        columns=field_names(layout),
        headers=field_headers(layout),
    )
    sheet.errors = _missing_columns(layout)
    if not sheet.errors:
        sheet.rows, sheet.errors = _read_rows(rows, layout)
    return sheet


def _file_error(message: str) -> SheetRead:
    return SheetRead(rows=[], errors=[CellError(0, "", message)])


def _missing_columns(layout: Layout) -> list[CellError]:
    found = ", ".join(f"“{text}”" for text in layout.written)
    return [
        CellError(
            layout.first_row,
            "",
            _("The column “%(header)s” is missing. The header row has: %(found)s.")
            % {"header": header, "found": found},
        )
        for header in missing_headers(layout)
    ]


def _read_rows(rows: dict[int, dict], layout: Layout) -> tuple[list[PersonRow], list[CellError]]:
    """The people under the header row and their problems, in the order of the sheet."""
    sex_headers = {}
    if "male" in layout.columns:
        sex_headers = {key: layout.columns[key][1] for key in ("male", "female")}
    people: list[PersonRow] = []
    errors: list[tuple[int, int, CellError]] = []
    first = True
    for number in sorted(row for row in rows if row > layout.last_row):
        cells = rows[number]
        values = {key: read_cell(cells.get(col)) for key, (col, _text) in layout.columns.items()}
        values.pop("number", None)
        if all(value.blank for value in values.values()):
            continue
        if first and _is_numbering(values):
            continue  # the "(1) (2) (3)" row that forms put under the header
        first = False
        read = read_fields(values, sex_headers=sex_headers)
        people.append(PersonRow(row=number, **read.found))
        errors.extend(_row_error(number, layout, key, message) for key, message in read.problems)
    errors.sort(key=lambda item: (item[0], item[1]))
    found = [error for _row, _col, error in errors]
    if not people:
        found.append(CellError(0, "", _("The file has no rows of people.")))
    return people, found


def _row_error(
    number: int, layout: Layout, key: str | None, message: str
) -> tuple[int, int, CellError]:
    """(row, column number, error), to sort the errors in the order of the sheet."""
    if key is None:
        return number, 0, CellError(number, "", message)
    col, header = layout.columns[key]
    return number, col, CellError(number, header, message)


def _is_numbering(values: dict[str, Value]) -> bool:
    filled = [value.value for value in values.values() if not value.blank]
    return len(filled) >= 3 and all(
        not value.problem and _NUMBERING.match(as_text(value.value))
        for value in values.values()
        if not value.blank
    )
