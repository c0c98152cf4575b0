"""Excel lists of people: read what offices upload, write the template they fill. No ORM.

``read_people`` reads the first worksheet of an .xlsx file as offices really make it: the
header row somewhere in the first rows under title lines ("Đơn vị: …"), headers with or
without diacritics and with notes in parentheses, the name in one column or two, the sex as
"Giới tính" or as two columns "Nam" / "Nữ" holding an x (or the birth date), dates as real
date cells or as text typed day first, citizen IDs that Excel turned into numbers. Nothing is
evaluated: a formula is reported, never computed. Every problem comes back as a ``CellError``
with the Excel row and the header as written, all of them at once.

``people_template_xlsx`` writes the workbook offices download and fill; it reads back with
no errors.
"""

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from core.text import fold
from reports.renderers.xlsx import write_cell

from .choices import Category, Sex
from .rules import citizen_id_normalise, citizen_id_problems

# The columns of the template, in order: (key, header). Keys are PersonRow fields, except
# "number" (STT), which is read and ignored.
COLUMNS: list[tuple[str, str]] = [
    ("number", "STT"),
    ("family_name", "Họ và tên đệm"),
    ("given_name", "Tên"),
    ("date_of_birth", "Ngày sinh (dd/mm/yyyy)"),
    ("sex", "Giới tính (Nam/Nữ)"),
    ("ethnicity", "Dân tộc"),
    ("religion", "Tôn giáo"),
    ("citizen_id", "Số CCCD"),
    ("phone", "Số điện thoại"),
    ("school_class", "Lớp"),
    ("youth_union_member", "Đoàn viên (x)"),
    ("trade_union_member", "Công đoàn viên (x)"),
    ("note", "Ghi chú"),
]
# Columns a candidate list adds to the template (``people_template_xlsx(extra_columns=…)``).
CANDIDATE_COLUMNS: list[tuple[str, str]] = [
    ("category", "Đối tượng"),
    ("graduation_year", "Năm tốt nghiệp"),
    ("education", "Trình độ học vấn"),
]

HEADER_SCAN_ROWS = 15  # the header row is looked for in the first rows of the sheet
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a list of people is a few hundred kB at most
MIN_YEAR = 1900

# Header variants, as offices write them; matched on fold(), after notes in parentheses are
# removed. "full_name" is split into family_name and given_name; "male" / "female" are the
# two-column form of the sex (a mark, or the birth date, under "Nam" or "Nữ").
_HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "number": ("STT", "TT", "Số TT", "Số thứ tự"),
    "family_name": (
        "Họ và tên đệm",
        "Họ và đệm",
        "Họ đệm",
        "Họ",
        "Họ, tên đệm",
        "Họ và tên lót",
        "Họ lót",
        "Họ và chữ đệm",
        "Họ chữ đệm",
    ),
    "given_name": ("Tên",),
    "full_name": ("Họ và tên", "Họ tên", "Họ và tên khai sinh", "Họ tên khai sinh"),
    "date_of_birth": (
        "Ngày sinh",
        "Ngày, tháng, năm sinh",
        "Ngày tháng năm sinh",
        "Sinh ngày",
        "NS",
        "Ngày/tháng/năm sinh",
    ),
    "sex": ("Giới tính", "Giới"),
    "male": ("Nam",),
    "female": ("Nữ",),
    "ethnicity": ("Dân tộc",),
    "religion": ("Tôn giáo",),
    "citizen_id": (
        "Số CCCD",
        "CCCD",
        "Căn cước công dân",
        "Số căn cước công dân",
        "Số căn cước",
        "Căn cước",
        "Số định danh",
        "Số định danh cá nhân",
        "Số CMND/CCCD",
        "CMND/CCCD",
        "Số CCCD/CMND",
        "CCCD/CMND",
    ),
    "phone": ("Số điện thoại", "Điện thoại", "SĐT", "ĐT", "Số ĐT", "Điện thoại liên hệ"),
    "school_class": ("Lớp", "Chi đoàn"),
    "category": ("Đối tượng", "Thành phần"),
    "youth_union_member": (
        "Đoàn viên",
        "Đoàn viên TNCS",
        "ĐV",
        "Đoàn viên TNCS Hồ Chí Minh",
        "Là đoàn viên",
    ),
    "trade_union_member": ("Công đoàn viên", "Đoàn viên công đoàn", "CĐV", "Là công đoàn viên"),
    "unit_name": ("Đơn vị", "Chi bộ", "Đơn vị công tác"),
    "graduation_year": (
        "Năm tốt nghiệp",
        "Năm tốt nghiệp dự kiến",
        "Dự kiến tốt nghiệp",
        "Năm dự kiến tốt nghiệp",
        "Năm ra trường",
        "Năm TN",
    ),
    "education": (
        "Trình độ học vấn",
        "Trình độ văn hóa",
        "Trình độ giáo dục phổ thông",
        "Học vấn",
        "Văn hóa",
        "Trình độ",
    ),
    "note": ("Ghi chú",),
}
_HEADERS: dict[str, str] = {
    fold(variant): key for key, variants in _HEADER_VARIANTS.items() for variant in variants
}
# Header cells a second header row may split: "Họ và tên" over "Họ đệm" | "Tên", "Ngày sinh"
# or "Giới tính" over "Nam" | "Nữ".
_GROUP_KEYS = frozenset({None, "full_name", "date_of_birth", "sex"})

_CATEGORY_VALUES: dict[str, str] = {
    "hoc sinh": Category.STUDENT,
    "sinh vien": Category.STUDENT,
    "hoc sinh sinh vien": Category.STUDENT,
    "cong nhan": Category.WORKER,
    "nguoi lao dong": Category.WORKER,
    "lao dong": Category.WORKER,
    "nhan vien": Category.WORKER,
    "quan ly": Category.MANAGER,
    "chu doanh nghiep": Category.MANAGER,
    "cong chuc": Category.CIVIL_SERVANT,
    "vien chuc": Category.CIVIL_SERVANT,
    "cong chuc vien chuc": Category.CIVIL_SERVANT,
    "khac": Category.OTHER,
    **{value: value for value in Category.values},
    "civil servant": Category.CIVIL_SERVANT,
}
_CATEGORY_ACCEPTED = (
    "Học sinh, Công nhân, Người lao động, Nhân viên, Quản lý, Chủ doanh nghiệp, Công chức, "
    "Viên chức, Khác"
)

# How the template writes a category: words the reader takes back.
_CATEGORY_WRITTEN: dict[str, str] = {
    Category.STUDENT: "Học sinh",
    Category.WORKER: "Người lao động",
    Category.MANAGER: "Quản lý",
    Category.CIVIL_SERVANT: "Công chức",
    Category.OTHER: "Khác",
}

_YES_FOLDED = frozenset({"x", "co", "1", "yes", "doan vien", "cong doan vien", "dv", "cdv"})
_NO_FOLDED = frozenset({"khong", "0", "no"})
_TICKS = frozenset("✓✔√☑")
_DASHES = frozenset({"-", "–", "—"})

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_PARENTHESES = re.compile(r"\([^()]*\)")
_DMY = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d+)$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS_DMY = re.compile(r"^ngay (\d{1,2}) thang (\d{1,2}) nam (\d+)$")
_YEAR = re.compile(r"^\d{4}$")
_DIGITS = re.compile(r"\d")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
MAX_YEARS_AHEAD = 10  # a graduation year at most this far in the future


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


# --- cells -------------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    """NFC, invisible characters dropped, runs of whitespace (also no-break) collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return " ".join(text.split())


def _dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


@dataclass
class _Value:
    """One cell, read: ``value`` is None when blank or unusable, ``problem`` says why not."""

    value: object = None
    problem: str = ""

    @property
    def blank(self) -> bool:
        return self.value is None and not self.problem


def _read_cell(cell) -> _Value:
    if cell is None:
        return _Value()
    value = cell.value
    if isinstance(value, ArrayFormula):
        return _formula(value.text or "")
    if isinstance(value, DataTableFormula) or (
        cell.data_type == "f" and not isinstance(value, str)
    ):
        return _formula("=TABLE()")
    if value is None:
        return _Value()
    if isinstance(value, str):
        text = _clean_text(value)
        if cell.data_type == "f" or text.startswith("="):
            return _formula(text if text.startswith("=") else "=" + text)
        if cell.data_type == "e":
            return _Value(
                problem=_("The cell holds the Excel error %(value)s; type the value itself.")
                % {"value": text}
            )
        return _Value(text or None)
    if isinstance(value, float) and value != value:  # NaN
        return _Value()
    return _Value(value)


def _formula(text: str) -> _Value:
    return _Value(
        problem=_("The cell holds a formula (%(formula)s); type the value itself.")
        % {"formula": text}
    )


def _as_text(value) -> str:
    """A value as text, for the columns that hold text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, datetime | date):
        return _dmy(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_text(cell) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, ArrayFormula | DataTableFormula):
        return ""
    return _clean_text(value) if isinstance(value, str) else _as_text(value)


def _header_key(text: str) -> str | None:
    if not text:
        return None
    return _HEADERS.get(fold(_PARENTHESES.sub(" ", text)))


# --- the header row ----------------------------------------------------------------------


@dataclass
class _Layout:
    first_row: int  # the (first) header row; title lines are above it
    last_row: int  # the last header row; people start below it
    columns: dict[str, tuple[int, str]]  # key -> (column number, header as written)
    written: list[str]  # every header text of the header row(s), in file order
    order: list[tuple[int, str]]  # (column number, key) of every recognised column

    @property
    def score(self) -> int:
        return len(self.columns)


def _layout(rows: dict[int, dict], row: int) -> _Layout | None:
    """The header layout if ``row`` is the header row (with the row below it when that is a
    second header row); None when it has too few known headers."""
    top = {col: _header_text(cell) for col, cell in rows.get(row, {}).items()}
    below = {col: _header_text(cell) for col, cell in rows.get(row + 1, {}).items()}
    texts = {col: text for col, text in top.items() if text}
    if not any(_header_key(text) for text in texts.values()):
        return None
    last_row = row
    below_filled = {col: text for col, text in below.items() if text}
    below_keys = {col: _header_key(text) for col, text in below_filled.items()}
    if (
        len(below_filled) >= 2
        and all(key and key != "number" for key in below_keys.values())
        and all(_header_key(top.get(col, "")) in _GROUP_KEYS for col in below_filled)
    ):
        texts.update(below_filled)  # a second header row splits the group headers above
        last_row = row + 1

    columns: dict[str, tuple[int, str]] = {}
    order: list[tuple[int, str]] = []
    for col in sorted(texts):
        key = _header_key(texts[col])
        if key and key not in columns:  # the first of two columns with the same meaning
            columns[key] = (col, texts[col])
            order.append((col, key))
    if "sex" in columns:
        columns.pop("male", None)
        columns.pop("female", None)
    elif not ("male" in columns and "female" in columns):
        columns.pop("male", None)
        columns.pop("female", None)
    if "family_name" in columns and "given_name" in columns:
        columns.pop("full_name", None)
    elif "full_name" in columns:
        columns.pop("family_name", None)
        columns.pop("given_name", None)
    order = [(col, key) for col, key in order if key in columns]

    essential = {"full_name", "family_name", "given_name", "date_of_birth", "sex", "male"}
    if len(columns) < 2 or not essential & set(columns):
        return None
    written = [texts[col] for col in sorted(texts)]
    return _Layout(row, last_row, columns, written, order)


def _find_layout(rows: dict[int, dict]) -> _Layout | None:
    best = None
    for row in range(1, HEADER_SCAN_ROWS + 1):
        layout = _layout(rows, row)
        if layout and (best is None or layout.score > best.score):
            best = layout
    return best


def _missing_columns(layout: _Layout) -> list[CellError]:
    have = set(layout.columns)
    two_column_sex = {"male", "female"} <= have
    missing = []
    if "full_name" not in have:
        if "family_name" not in have:
            missing.append("Họ và tên đệm")
        if "given_name" not in have:
            missing.append("Tên")
    if "date_of_birth" not in have and not two_column_sex:
        missing.append("Ngày sinh")
    if "sex" not in have and not two_column_sex:
        missing.append("Giới tính")
    found = ", ".join(f"“{text}”" for text in layout.written)
    return [
        CellError(
            layout.first_row,
            "",
            _("The column “%(header)s” is missing. The header row has: %(found)s.")
            % {"header": header, "found": found},
        )
        for header in missing
    ]


def _unit_label(rows: dict[int, dict], above: int) -> str:
    """The unit named by a title line "Đơn vị: …" above the header row."""
    for row in range(1, above):
        cells = sorted(rows.get(row, {}).items())
        texts = [_header_text(cell) for _col, cell in cells]
        texts = [text for text in texts if text]
        for index, text in enumerate(texts):
            if ":" not in text:
                continue
            label, _colon, rest = text.partition(":")
            if fold(label).endswith("don vi"):
                rest = rest.strip()
                if not rest and index + 1 < len(texts):
                    rest = texts[index + 1]
                if rest:
                    return rest
    return ""


def _expected_headers() -> str:
    return ", ".join(f"“{_PARENTHESES.sub('', header).strip()}”" for _key, header in COLUMNS)


# --- values ------------------------------------------------------------------------------


def _parse_date(value) -> tuple[date | None, str]:
    """(date, problem) for a date-of-birth cell; day first, always."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, bool | time):
        return None, _invalid_date(_as_text(value))
    elif isinstance(value, int | float):
        text = _as_text(value)
        if _YEAR.match(text) and MIN_YEAR <= int(text) <= timezone.localdate().year:
            return None, _year_only(text)
        return None, _invalid_date(text)
    else:
        text = str(value)
        match = _DMY.match(text)
        if match:
            d, m, y = match.group(1), match.group(3), match.group(4)
        elif match := _ISO.match(text):
            y, m, d = match.groups()
        elif match := _WORDS_DMY.match(fold(text)):
            d, m, y = match.groups()
        elif _YEAR.match(text):
            return None, _year_only(text)
        else:
            return None, _invalid_date(text)
        if len(y) == 2:
            return None, _(
                "The year of “%(value)s” has two digits; type the date as dd/mm/yyyy, "
                "with four digits for the year."
            ) % {"value": text}
        if len(y) != 4:
            return None, _invalid_date(text)
        try:
            day = date(int(y), int(m), int(d))
        except ValueError:
            return None, _invalid_date(text)
    if day.year < MIN_YEAR:
        return None, _("The date of birth %(value)s is before 1900.") % {"value": _dmy(day)}
    if day > timezone.localdate():
        return None, _("The date of birth %(value)s is in the future.") % {"value": _dmy(day)}
    return day, ""


def _invalid_date(text: str) -> str:
    return _("The date of birth “%(value)s” is not a valid date; type it as dd/mm/yyyy.") % {
        "value": text
    }


def _year_only(text: str) -> str:
    return _("Only the year (%(value)s) is written; type the full date of birth as dd/mm/yyyy.") % {
        "value": text
    }


def _parse_sex(value) -> tuple[str, str]:
    text = _as_text(value)
    key = fold(text)
    if key in ("nam", "male"):
        return Sex.MALE.value, ""
    if key in ("nu", "female"):
        return Sex.FEMALE.value, ""
    return "", _("“%(value)s” is not a sex; write Nam or Nữ.") % {"value": text}


def _parse_bool(value) -> tuple[bool | None, str]:
    if value is None:
        return False, ""
    if isinstance(value, bool):
        return value, ""
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), ""
    text = _as_text(value)
    if text in _TICKS:
        return True, ""
    if text in _DASHES:
        return False, ""
    key = fold(text)
    if key in _YES_FOLDED:
        return True, ""
    if key in _NO_FOLDED:
        return False, ""
    return None, _(
        "“%(value)s” is not understood; write x for yes and leave the cell empty for no."
    ) % {"value": text}


def _parse_category(value) -> tuple[str, str]:
    text = _as_text(value)
    category = _CATEGORY_VALUES.get(fold(text))
    if category:
        return str(category), ""
    return "", _("“%(value)s” is not a known category; write one of: %(accepted)s.") % {
        "value": text,
        "accepted": _CATEGORY_ACCEPTED,
    }


def _parse_year(value) -> tuple[int | None, str]:
    """(year, problem) for a year cell such as a graduation year: four digits."""
    if isinstance(value, datetime | date):
        return None, _turned_into_date(value)
    text = _as_text(value)
    if _YEAR.match(text):
        year = int(text)
        if MIN_YEAR <= year <= timezone.localdate().year + MAX_YEARS_AHEAD:
            return year, ""
    return None, _("“%(value)s” is not a year; type the four digits, e.g. %(year)s.") % {
        "value": text,
        "year": timezone.localdate().year,
    }


def _turned_into_date(value) -> str:
    return _(
        "Excel has turned this cell into the date %(value)s; format the column as Text "
        "and type the value again."
    ) % {"value": _dmy(value)}


def _digits_of_number(value) -> str | None:
    """The digits of a whole number Excel stored as a number, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def _date_under_sex(names: dict[str, str]) -> str:
    return _("The date of birth is missing: write it under “%(male)s” or “%(female)s”.") % names


def _name_problem(text: str) -> str:
    if _DIGITS.search(text):
        return _("“%(value)s” is not a name: it contains digits.") % {"value": text}
    return ""


# --- reading -----------------------------------------------------------------------------


def _not_a_workbook() -> SheetRead:
    return SheetRead(
        rows=[],
        errors=[
            CellError(
                0,
                "",
                _(
                    "The file is not an Excel workbook (.xlsx). Open it in Excel and save it "
                    "as “Excel Workbook (.xlsx)”, without a password, then upload it again."
                ),
            )
        ],
    )


def _cells_by_row(ws) -> dict[int, dict]:
    """The stored cells of the sheet, {row: {column: cell}}. ``ws._cells`` holds only the
    cells the file has; ``iter_rows`` would create every cell of the used rectangle, which is
    a million rows when someone once typed in the last row."""
    rows: dict[int, dict] = {}
    for (row, col), cell in ws._cells.items():
        rows.setdefault(row, {})[col] = cell
    return rows


def read_people(data: bytes) -> SheetRead:
    """The people listed in the first worksheet of an .xlsx file, and every problem found."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return _not_a_workbook()
    if "xl/workbook.xml" not in names and "[Content_Types].xml" not in names:
        return _not_a_workbook()
    if unpacked > MAX_UNPACKED_BYTES:
        return SheetRead(
            rows=[],
            errors=[
                CellError(
                    0,
                    "",
                    _("The file is too large to be a list of people (%(size)s MB unpacked).")
                    % {"size": unpacked // (1024 * 1024)},
                )
            ],
        )
    try:
        workbook = load_workbook(BytesIO(data), data_only=False)
    except Exception:  # openpyxl raises many kinds on a broken or foreign file
        return _not_a_workbook()
    if not workbook.worksheets:
        return _not_a_workbook()
    rows = _cells_by_row(workbook.worksheets[0])

    layout = _find_layout(rows)
    if layout is None:
        return SheetRead(
            rows=[],
            errors=[
                CellError(
                    0,
                    "",
                    _(
                        "No header row was found in the first %(rows)s rows of the first "
                        "sheet. The header row should have the columns %(columns)s."
                    )
                    % {"rows": HEADER_SCAN_ROWS, "columns": _expected_headers()},
                )
            ],
        )
    unit_label = _unit_label(rows, layout.first_row)
    columns = _field_names(layout)
    headers = _field_headers(layout)
    missing = _missing_columns(layout)
    if missing:
        return SheetRead(
            rows=[], errors=missing, unit_label=unit_label, columns=columns, headers=headers
        )

    people: list[PersonRow] = []
    errors: list[tuple[int, int, CellError]] = []
    first = True
    for number in sorted(row for row in rows if row > layout.last_row):
        cells = rows[number]
        values = {key: _read_cell(cells.get(col)) for key, (col, _text) in layout.columns.items()}
        values.pop("number", None)
        if all(value.blank for value in values.values()):
            continue
        if first and _is_numbering(values):
            continue  # the "(1) (2) (3)" row that forms put under the header
        first = False
        person, row_errors = _read_row(number, layout, values)
        people.append(person)
        errors.extend(row_errors)
    errors.sort(key=lambda item: (item[0], item[1]))
    found = [error for _row, _col, error in errors]
    if not people:
        found.append(CellError(0, "", _("The file has no rows of people.")))
    return SheetRead(
        rows=people, errors=found, unit_label=unit_label, columns=columns, headers=headers
    )


def _field_names(layout: _Layout) -> list[str]:
    names: list[str] = []
    dates_under_sex = "date_of_birth" not in layout.columns
    for _col, key in layout.order:
        if key == "full_name":
            keys = ["family_name", "given_name"]
        elif key in ("male", "female"):
            keys = ["sex", "date_of_birth"] if dates_under_sex else ["sex"]
        else:
            keys = [key]
        names.extend(name for name in keys if name not in names)
    return names


def _field_headers(layout: _Layout) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, (_col, text) in layout.columns.items():
        if key == "full_name":
            headers.update(family_name=text, given_name=text)
        elif key in ("male", "female"):
            both = f"{layout.columns['male'][1]}/{layout.columns['female'][1]}"
            headers["sex"] = both
            headers.setdefault("date_of_birth", both)
        elif key != "number":
            headers[key] = text
    return headers


def _is_numbering(values: dict[str, _Value]) -> bool:
    filled = [value.value for value in values.values() if not value.blank]
    return len(filled) >= 3 and all(
        not value.problem and _NUMBERING.match(_as_text(value.value))
        for value in values.values()
        if not value.blank
    )


def _read_row(
    number: int, layout: _Layout, values: dict[str, _Value]
) -> tuple[PersonRow, list[tuple[int, int, CellError]]]:
    person = PersonRow(row=number)
    errors: list[tuple[int, int, CellError]] = []
    flagged: set[str] = set()  # columns that already have an error on this row

    def error(key: str | None, message: str) -> None:
        if key is None:
            errors.append((number, 0, CellError(number, "", message)))
            return
        col, header = layout.columns[key]
        flagged.add(key)
        errors.append((number, col, CellError(number, header, message)))

    for key, value in values.items():
        if value.problem:
            error(key, value.problem)

    def value_of(key: str):
        return values[key].value if key in values else None

    def text(key: str) -> str:
        value = value_of(key)
        return _as_text(value)

    # Names.
    if "full_name" in values:
        full = text("full_name")
        if full:
            if problem := _name_problem(full):
                error("full_name", problem)
            else:
                family, _space, given = full.rpartition(" ")
                if family:
                    person.family_name, person.given_name = family, given
                else:
                    error(
                        "full_name",
                        _("“%(value)s” has one word; write the family name and the given name.")
                        % {"value": full},
                    )
        elif "full_name" not in flagged:
            error("full_name", _("The name is missing."))
    else:
        for key, missing in (
            ("family_name", _("The family name is missing.")),
            ("given_name", _("The given name is missing.")),
        ):
            name = text(key)
            if not name:
                if key not in flagged:
                    error(key, missing)
            elif problem := _name_problem(name):
                error(key, problem)
            else:
                setattr(person, key, name)

    # Sex, and the birth date when it is written under "Nam" or "Nữ".
    date_source: str | None = "date_of_birth" if "date_of_birth" in values else None
    if "sex" in values:
        sex = value_of("sex")
        if sex is not None:
            person.sex, problem = _parse_sex(sex)
            if problem:
                error("sex", problem)
        elif "sex" not in flagged:
            error("sex", _("The sex is missing."))
    else:
        male, female = layout.columns["male"][1], layout.columns["female"][1]
        names = {"male": male, "female": female}
        marked = [key for key in ("male", "female") if not values[key].blank]
        if len(marked) == 1:
            person.sex = Sex.MALE.value if marked == ["male"] else Sex.FEMALE.value
            mark = values[marked[0]].value
            # The classic form writes the birth date itself under "Nam" or "Nữ".
            holds_date = mark is not None and _parse_bool(mark)[0] is not True
            if date_source is None:
                if holds_date or mark is None:
                    date_source = marked[0]
                else:
                    error(marked[0], _date_under_sex(names))
                    date_source = ""
            elif value_of("date_of_birth") is None and holds_date:
                date_source = marked[0]
        elif marked:
            error(None, _("Both “%(male)s” and “%(female)s” are marked; mark only one.") % names)
            date_source = date_source or ""
        elif date_source is None:
            error(None, _date_under_sex(names))
            date_source = ""
        else:
            error(None, _("The sex is missing: mark “%(male)s” or “%(female)s” with x.") % names)

    # Date of birth.
    if date_source:
        born = value_of(date_source)
        if born is not None:
            person.date_of_birth, problem = _parse_date(born)
            if problem:
                error(date_source, problem)
        elif date_source not in flagged:
            error(date_source, _("The date of birth is missing."))

    # The other columns.
    for key in ("ethnicity", "religion", "unit_name", "note", "education"):
        if key in values:
            setattr(person, key, text(key))

    if "school_class" in values:
        value = value_of("school_class")
        if isinstance(value, datetime | date):
            error("school_class", _turned_into_date(value))
        else:
            person.school_class = _as_text(value)

    if "graduation_year" in values and value_of("graduation_year") is not None:
        person.graduation_year, problem = _parse_year(value_of("graduation_year"))
        if problem:
            error("graduation_year", problem)

    if "category" in values and value_of("category") is not None:
        person.category, problem = _parse_category(value_of("category"))
        if problem:
            error("category", problem)

    for key in ("youth_union_member", "trade_union_member"):
        if key in values:
            member, problem = _parse_bool(value_of(key))
            setattr(person, key, member)
            if problem:
                error(key, problem)

    if "phone" in values:
        value = value_of("phone")
        if isinstance(value, datetime | date):
            error("phone", _turned_into_date(value))
        else:
            digits = _digits_of_number(value)
            phone = digits if digits is not None else _as_text(value)
            if digits is None and phone and _PHONE_SEPARATORS.sub("", phone).isdigit():
                phone = _PHONE_SEPARATORS.sub("", phone)
            if phone.isdigit() and len(phone) == 9:
                phone = "0" + phone  # Excel dropped the leading zero
            person.phone = phone

    if "citizen_id" in values:
        value = value_of("citizen_id")
        if isinstance(value, datetime | date):
            error("citizen_id", _turned_into_date(value))
        elif value is not None:
            digits = _digits_of_number(value)
            if digits is not None and len(digits) == 11:
                digits = "0" + digits  # Excel dropped the leading zero of a 12-digit ID
            citizen_id = citizen_id_normalise(digits if digits is not None else _as_text(value))
            person.citizen_id = citizen_id
            for problem in citizen_id_problems(
                citizen_id, born=person.date_of_birth, sex=person.sex
            ):
                error("citizen_id", problem)

    return person, errors


# --- the template ------------------------------------------------------------------------

_FONT_NAME = "Times New Roman"
_FONT_SIZE = 12
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
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
_TEXT_KEYS = frozenset({"date_of_birth", "citizen_id", "phone"})
_EMPTY_ROWS = 40
_MAX_LINES = HEADER_SCAN_ROWS - 3  # title, lines, a blank row, then the header row


def _template_value(key: str, value, number: int):
    if key == "number":
        return number if value in (None, "") else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, datetime | date):
        return _dmy(value)
    if key == "sex":
        return {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}.get(value, str(value))
    if key == "category":
        return _CATEGORY_WRITTEN.get(value, str(value))
    return str(value)


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
    font = Font(name=_FONT_NAME, size=_FONT_SIZE)
    bold = Font(name=_FONT_NAME, size=_FONT_SIZE, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center")
    width = len(columns)

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for index, (key, _header) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS[key]

    cell = write_cell(ws, 1, 1, title)
    cell.font = Font(name=_FONT_NAME, size=_FONT_SIZE + 2, bold=True)
    cell.alignment = center
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 36
    row = 2
    for line in lines:
        cell = write_cell(ws, row, 1, line)
        cell.font = font
        cell.alignment = left
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    row += 1  # a blank row

    header_row = row
    for index, (_key, header) in enumerate(columns, start=1):
        cell = write_cell(ws, header_row, index, header)
        cell.font = bold
        cell.alignment = center
        cell.border = _BOX
    ws.row_dimensions[header_row].height = 48
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)

    first = header_row + 1
    last = header_row + len(people) + _EMPTY_ROWS
    for row in range(first, last + 1):
        position = row - header_row
        person = people[position - 1] if position <= len(people) else None
        for index, (key, _header) in enumerate(columns, start=1):
            value = _template_value(key, person.get(key), position) if person else ""
            cell = write_cell(ws, row, index, value)
            cell.font = font
            cell.border = _BOX
            if key in _TEXT_KEYS:
                cell.number_format = "@"
            if key in (
                "number",
                "date_of_birth",
                "sex",
                "youth_union_member",
                "trade_union_member",
                "school_class",
            ):
                cell.alignment = Alignment(horizontal="center", vertical="center")

    keys = [key for key, _header in columns]

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

    guide = wb.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 100
    for index, text in enumerate(_guide_lines(), start=1):
        cell = write_cell(guide, index, 1, text)
        cell.font = bold if index == 1 else font
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = BytesIO()
    wb.save(out)
    return out.getvalue()


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
        _("7. Save the file as .xlsx and upload it; rows left empty are ignored."),
    ]
