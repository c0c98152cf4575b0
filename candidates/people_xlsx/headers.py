"""The header row of a list of people: the template's columns, the header variants offices
write, and finding the header row (one row, or two when a group header such as "Họ và tên"
or "Giới tính" is split below) under the title lines of the sheet. No ORM.
"""

import re
from dataclasses import dataclass

from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from core.text import fold

from .values import as_text, clean_text

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

# Header variants, as offices write them; matched on fold(), after notes in parentheses are
# removed. "full_name" is split into family_name and given_name; "male" / "female" are the
# two-column form of the sex (a mark, or the birth date, under "Nam" or "Nữ").
HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
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
    fold(variant): key for key, variants in HEADER_VARIANTS.items() for variant in variants
}
# Header cells a second header row may split: "Họ và tên" over "Họ đệm" | "Tên", "Ngày sinh"
# or "Giới tính" over "Nam" | "Nữ".
_GROUP_KEYS = frozenset({None, "full_name", "date_of_birth", "sex"})
# A layout needs at least one of these (besides a second column).
_ESSENTIAL = frozenset({"full_name", "family_name", "given_name", "date_of_birth", "sex", "male"})

_PARENTHESES = re.compile(r"\([^()]*\)")


def header_text(cell) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, ArrayFormula | DataTableFormula):
        return ""
    return clean_text(value) if isinstance(value, str) else as_text(value)


def header_key(text: str) -> str | None:
    if not text:
        return None
    return _HEADERS.get(fold(_PARENTHESES.sub(" ", text)))


@dataclass
class Layout:
    first_row: int  # the (first) header row; title lines are above it
    last_row: int  # the last header row; people start below it
    columns: dict[str, tuple[int, str]]  # key -> (column number, header as written)
    written: list[str]  # every header text of the header row(s), in file order
    order: list[tuple[int, str]]  # (column number, key) of every recognised column

    @property
    def score(self) -> int:
        return len(self.columns)


def find_layout(rows: dict[int, dict]) -> Layout | None:
    """The header layout of the sheet's cells ``{row: {column: cell}}``: the row among the
    first ``HEADER_SCAN_ROWS`` with the most known headers; None when there is none."""
    best = None
    for row in range(1, HEADER_SCAN_ROWS + 1):
        layout = _layout(rows, row)
        if layout and (best is None or layout.score > best.score):
            best = layout
    return best


def _layout(rows: dict[int, dict], row: int) -> Layout | None:
    """The header layout if ``row`` is the header row (with the row below it when that is a
    second header row); None when it has too few known headers."""
    top = {col: header_text(cell) for col, cell in rows.get(row, {}).items()}
    texts = {col: text for col, text in top.items() if text}
    if not any(header_key(text) for text in texts.values()):
        return None
    last_row = row
    below = _second_header_row(top, rows.get(row + 1, {}))
    if below:
        texts.update(below)  # a second header row splits the group headers above
        last_row = row + 1

    columns: dict[str, tuple[int, str]] = {}
    order: list[tuple[int, str]] = []
    for col in sorted(texts):
        key = header_key(texts[col])
        if key and key not in columns:  # the first of two columns with the same meaning
            columns[key] = (col, texts[col])
            order.append((col, key))
    _drop_alternatives(columns)
    order = [(col, key) for col, key in order if key in columns]

    if len(columns) < 2 or not _ESSENTIAL & set(columns):
        return None
    written = [texts[col] for col in sorted(texts)]
    return Layout(row, last_row, columns, written, order)


def _second_header_row(top: dict[int, str], cells: dict) -> dict[int, str]:
    """The texts of the row under a header row when it is a second header row (two or more
    known headers, each under a group header or an empty cell), else {}."""
    filled = {col: text for col, cell in cells.items() if (text := header_text(cell))}
    keys = {col: header_key(text) for col, text in filled.items()}
    if (
        len(filled) >= 2
        and all(key and key != "number" for key in keys.values())
        and all(header_key(top.get(col, "")) in _GROUP_KEYS for col in filled)
    ):
        return filled
    return {}


def _drop_alternatives(columns: dict[str, tuple[int, str]]) -> None:
    """Keep one way of writing the sex (one column, or both "Nam" and "Nữ") and the name
    (two columns, or one full name)."""
    if "sex" in columns or not ("male" in columns and "female" in columns):
        columns.pop("male", None)
        columns.pop("female", None)
    if "family_name" in columns and "given_name" in columns:
        columns.pop("full_name", None)
    elif "full_name" in columns:
        columns.pop("family_name", None)
        columns.pop("given_name", None)


def missing_headers(layout: Layout) -> list[str]:
    """The headers of the columns a list of people needs and the layout lacks."""
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
    return missing


def unit_label(rows: dict[int, dict], above: int) -> str:
    """The unit named by a title line "Đơn vị: …" above the header row."""
    for row in range(1, above):
        cells = sorted(rows.get(row, {}).items())
        texts = [text for _col, cell in cells if (text := header_text(cell))]
        for index, text in enumerate(texts):
            label, colon, rest = text.partition(":")
            if not colon or not fold(label).endswith("don vi"):
                continue
            rest = rest.strip()
            if not rest and index + 1 < len(texts):
                rest = texts[index + 1]
            if rest:
                return rest
    return ""


def expected_headers() -> str:
    return ", ".join(f"“{_PARENTHESES.sub('', header).strip()}”" for _key, header in COLUMNS)


def field_names(layout: Layout) -> list[str]:
    """The PersonRow fields the layout has a column for, in file order."""
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


def field_headers(layout: Layout) -> dict[str, str]:
    """The header as written of each PersonRow field the layout has."""
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
