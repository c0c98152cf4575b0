"""Reading and writing Excel lists of people (candidates.people_xlsx). No database."""

import unicodedata
import zipfile
from datetime import date, datetime
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from candidates.people_xlsx import COLUMNS, CellError, people_template_xlsx, read_people

HEADERS = ["STT", "Họ và tên đệm", "Tên", "Ngày sinh", "Giới tính", "Số CCCD"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(rows: list[list], *, merges: list[str] = ()) -> bytes:
    """A workbook whose first sheet holds ``rows`` from A1; "=…" texts become formulas."""
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def errors_at(read, row: int) -> list[CellError]:
    return [error for error in read.errors if error.row == row]


# --- the template ------------------------------------------------------------------------

PEOPLE = [
    {
        "family_name": "Nguyễn Thị Thu",
        "given_name": "Hà",
        "date_of_birth": date(2008, 3, 5),
        "sex": "female",
        "ethnicity": "Kinh",
        "religion": "Không",
        "citizen_id": "024308001234",
        "phone": "0912345678",
        "school_class": "12A1",
        "youth_union_member": True,
        "trade_union_member": False,
        "note": "Lớp trưởng",
    },
    {
        "family_name": "Hoàng Văn",
        "given_name": "Đức",
        "date_of_birth": date(2007, 12, 31),
        "sex": "male",
        "ethnicity": "Nùng",
        "religion": "",
        "citizen_id": "024207009876",
        "phone": "",
        "school_class": "12A2",
        "youth_union_member": False,
        "trade_union_member": False,
        "note": "",
    },
]


def test_template_round_trips_people_and_unit():
    data = people_template_xlsx(
        title="DANH SÁCH ĐOÀN VIÊN ƯU TÚ HỌC LỚP BỒI DƯỠNG NHẬN THỨC VỀ ĐẢNG",
        lines=["Đơn vị: Trường THPT Hiệp Hòa số 1", "Lớp: 12A1"],
        people=PEOPLE,
    )
    read = read_people(data)

    assert read.errors == []
    assert read.unit_label == "Trường THPT Hiệp Hòa số 1"
    assert read.columns == [key for key, _header in COLUMNS]
    assert [row.row for row in read.rows] == [6, 7]  # title, 2 lines, blank, header
    for person, row in zip(PEOPLE, read.rows, strict=True):
        for key, value in person.items():
            assert getattr(row, key) == value, key


def test_template_layout_protects_what_excel_mangles():
    data = people_template_xlsx(title="DANH SÁCH", lines=["Đơn vị: Chi bộ 3"], people=PEOPLE[:1])
    wb = load_workbook(BytesIO(data))
    ws = wb.worksheets[0]
    header = 4
    letters = {key: chr(ord("A") + index) for index, (key, _h) in enumerate(COLUMNS)}

    assert ws["A1"].value == "DANH SÁCH" and ws["A1"].font.b
    assert ws["A1"].alignment.horizontal == "center"
    assert "A1:M1" in {str(rng) for rng in ws.merged_cells.ranges}
    assert [ws.cell(header, col).value for col in range(1, 14)] == [h for _k, h in COLUMNS]
    assert ws.cell(header, 2).font.b and ws.cell(header, 2).border.left.style == "thin"
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.cell(header + 1, 2).font.name == "Times New Roman"
    assert ws.cell(header + 1, 2).font.sz == 12
    # The person is written as text, the date as a date cell shown dd/mm/yyyy.
    born = ws[f"{letters['date_of_birth']}{header + 1}"]
    assert born.is_date and born.value == datetime(2008, 3, 5)
    assert born.number_format == "DD/MM/YYYY"
    assert ws[f"{letters['sex']}{header + 1}"].value == "Nữ"
    assert ws[f"{letters['youth_union_member']}{header + 1}"].value == "x"
    # About 40 empty bordered rows to fill, formatted as text where Excel would mangle.
    last = header + 1 + 40
    assert ws.cell(last, 2).border.bottom.style == "thin"
    for key in ("date_of_birth", "citizen_id", "phone"):
        assert ws[f"{letters[key]}{last}"].number_format == "@"
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert lists['"Nam,Nữ"'] == f"E{header + 1}:E{last}"
    assert set(lists['"x"'].split()) == {f"K{header + 1}:K{last}", f"L{header + 1}:L{last}"}
    assert wb.sheetnames[1] == "Hướng dẫn"
    guide = " ".join(str(c.value) for c in wb["Hướng dẫn"]["A"] if c.value)
    assert "dd/mm/yyyy" in guide and "12" in guide


def test_empty_template_has_no_rows():
    read = read_people(people_template_xlsx(title="DANH SÁCH", lines=[]))

    assert read.rows == []
    assert [(e.row, e.column, e.message) for e in read.errors] == [
        (0, "", "The file has no rows of people.")
    ]


def test_template_text_is_never_a_formula():
    person = dict(PEOPLE[0], note="=1+1")
    data = people_template_xlsx(title="=HYPERLINK(1)", lines=[], people=[person])
    ws = load_workbook(BytesIO(data)).worksheets[0]

    assert ws["A1"].data_type == "s"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_template_refuses_more_lines_than_the_header_scan_reaches():
    with pytest.raises(ValueError):
        people_template_xlsx(title="x", lines=["a"] * 13)


# --- headers -----------------------------------------------------------------------------


def test_headers_without_diacritics_in_any_case_under_a_title():
    data = xlsx(
        [
            ["DANH SACH DOAN VIEN UU TU"],
            ["DON VI:  Truong THPT Viet Yen so 2 "],
            [],
            [
                "tt",
                "HO VA TEN DEM",
                "ten",
                "ngay  sinh (dd/mm/yyyy)",
                "GIOI TINH (Nam/Nu)",
                "dan toc",
                "ton giao",
                "so cccd",
                "sdt",
                "chi doan",
                "DV",
                "CDV",
                "ghi chu",
                "Cot la",
            ],
            [
                1,
                "Trần Văn",
                "Bình",
                "05/03/2008",
                "nam",
                "Kinh",
                "Không",
                "024208001234",
                "0912 345 678",
                "12A3",
                "X",
                "",
                "",
                "bỏ qua",
            ],
        ]
    )
    read = read_people(data)

    assert read.errors == []
    assert read.unit_label == "Truong THPT Viet Yen so 2"
    [row] = read.rows
    assert (row.row, row.family_name, row.given_name) == (5, "Trần Văn", "Bình")
    assert (row.date_of_birth, row.sex) == (date(2008, 3, 5), "male")
    assert (row.phone, row.school_class) == ("0912345678", "12A3")
    assert (row.youth_union_member, row.trade_union_member) == (True, False)
    assert "note" in read.columns and len(read.columns) == 13  # "Cot la" is ignored


def test_nfd_headers_and_values_are_read_as_nfc():
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    data = xlsx(
        [
            [nfd("Đơn vị: Trường THCS Đồng Tân")],
            [
                nfd(h)
                for h in [
                    "Số TT",
                    "Họ, tên đệm",
                    "Tên",
                    "Ngày, tháng, năm sinh",
                    "Giới",
                    "Dân tộc",
                    "Đoàn viên TNCS",
                ]
            ],
            [
                1,
                nfd("Lê Thị"),
                nfd("Hương"),
                datetime(2009, 1, 2),
                nfd("NỮ"),
                nfd("Kinh"),
                nfd("có"),
            ],
        ]
    )
    read = read_people(data)

    assert read.errors == []
    assert read.unit_label == "Trường THCS Đồng Tân"
    [row] = read.rows
    assert row.family_name == "Lê Thị" and row.given_name == "Hương"
    assert unicodedata.is_normalized("NFC", row.family_name + row.given_name)
    assert (row.sex, row.date_of_birth, row.youth_union_member) == (
        "female",
        date(2009, 1, 2),
        True,
    )
    assert row.trade_union_member is None  # no such column


def test_full_name_in_one_column_is_split_on_the_last_word():
    data = xlsx(
        [
            ["STT", "Họ và tên", "Ngày sinh", "Giới tính"],
            [1, "Nguyễn Thị Thu Hà", "05/03/2008", "Nữ"],
            [2, "  Vi   Văn  A  ", "06/03/2008", "Nam"],
            [3, "Hà", "07/03/2008", "Nam"],
        ]
    )
    read = read_people(data)

    assert [(r.family_name, r.given_name) for r in read.rows] == [
        ("Nguyễn Thị Thu", "Hà"),
        ("Vi Văn", "A"),
        ("", ""),
    ]
    assert read.columns == ["number", "family_name", "given_name", "date_of_birth", "sex"]
    [error] = read.errors
    assert (error.row, error.column) == (4, "Họ và tên")
    assert "family name and the given name" in error.message


def test_two_row_header_splits_a_merged_full_name():
    data = xlsx(
        [
            ["STT", "Họ và tên", None, "Ngày sinh", "Giới tính"],
            [None, "Họ đệm", "Tên", None, None],
            [1, "Đỗ Minh", "Khoa", "01/09/2008", "Nam"],
        ],
        merges=["B1:C1", "A1:A2", "D1:D2", "E1:E2"],
    )
    read = read_people(data)

    assert read.errors == []
    assert [(r.row, r.family_name, r.given_name) for r in read.rows] == [(3, "Đỗ Minh", "Khoa")]


# --- sex as two columns "Nam" / "Nữ" -----------------------------------------------------


def test_sex_marked_with_x_under_nam_or_nu():
    data = xlsx(
        [
            ["STT", "Họ và tên", "Ngày sinh", "Nam", "Nữ"],
            [1, "Nguyễn Văn An", "01/01/2008", "x", None],
            [2, "Lê Thị Bình", "02/02/2008", None, "X"],
            [3, "Trần Văn Cường", "03/03/2008", "x", "x"],
            [4, "Phạm Văn Dũng", "04/04/2008", None, None],
        ]
    )
    read = read_people(data)

    assert [r.sex for r in read.rows] == ["male", "female", "", ""]
    assert [r.date_of_birth for r in read.rows[:2]] == [date(2008, 1, 1), date(2008, 2, 2)]
    assert [(e.row, e.column) for e in read.errors] == [(4, ""), (5, "")]
    assert "Both “Nam” and “Nữ”" in read.errors[0].message
    assert "sex is missing" in read.errors[1].message
    assert "sex" in read.columns


def test_birth_date_written_under_nam_or_nu():
    """The classic form: "Ngày, tháng, năm sinh" merged over "Nam" | "Nữ"."""
    data = xlsx(
        [
            ["Đơn vị:", "Chi bộ Khu 4"],
            ["TT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Dân tộc"],
            [None, None, "Nam", "Nữ", None],
            [1, "Nguyễn Văn An", datetime(2008, 5, 1), None, "Kinh"],
            [2, "Lê Thị Bình", None, "05/03/2008", "Tày"],
            [3, "Hoàng Thị Cúc", None, "x", "Kinh"],
        ],
        merges=["C2:D2", "A2:A3", "B2:B3", "E2:E3"],
    )
    read = read_people(data)

    assert read.unit_label == "Chi bộ Khu 4"
    assert [(r.sex, r.date_of_birth) for r in read.rows] == [
        ("male", date(2008, 5, 1)),
        ("female", date(2008, 3, 5)),
        ("female", None),
    ]
    [error] = read.errors
    assert (error.row, error.column) == (6, "Nữ")
    assert "date of birth is missing" in error.message
    assert {"sex", "date_of_birth"} <= set(read.columns)


# --- dates -------------------------------------------------------------------------------


def test_dates_from_date_cells_and_day_first_text():
    data = xlsx(
        [
            HEADERS,
            [1, "Nguyễn Văn", "An", datetime(2008, 3, 5), "Nam"],
            [2, "Nguyễn Văn", "Bình", "05/03/2008", "Nam"],
            [3, "Nguyễn Văn", "Cường", "5/3/2008", "Nam"],
            [4, "Nguyễn Văn", "Dũng", "05-03-2008", "Nam"],
            [5, "Nguyễn Văn", "Đức", "05.03.2008", "Nam"],
            [6, "Nguyễn Văn", "Giang", "13/12/2008", "Nam"],
            [7, "Nguyễn Văn", "Hải", date(2008, 3, 5), "Nam"],
        ]
    )
    read = read_people(data)

    assert read.errors == []
    assert [r.date_of_birth for r in read.rows] == [date(2008, 3, 5)] * 5 + [
        date(2008, 12, 13),
        date(2008, 3, 5),
    ]


def test_bad_dates_are_reported_with_the_text_and_the_format():
    next_year = date.today().year + 1
    data = xlsx(
        [
            HEADERS,
            [1, "Nguyễn Văn", "An", "31/02/2008", "Nam"],
            [2, "Nguyễn Văn", "Bình", "05/03/08", "Nam"],
            [3, "Nguyễn Văn", "Cường", f"01/01/{next_year}", "Nam"],
            [4, "Nguyễn Văn", "Dũng", "01/01/1899", "Nam"],
            [5, "Nguyễn Văn", "Đức", 39512, "Nam"],
            [6, "Nguyễn Văn", "Giang", "2008", "Nam"],
            [7, "Nguyễn Văn", "Hải", "mùng 5", "Nam"],
            [8, "Nguyễn Văn", "Khánh", None, "Nam"],
        ]
    )
    read = read_people(data)

    assert [r.date_of_birth for r in read.rows] == [None] * 8
    assert [(e.row, e.column) for e in read.errors] == [(row, "Ngày sinh") for row in range(2, 10)]
    messages = [e.message for e in read.errors]
    assert "“31/02/2008” is not a valid date" in messages[0] and "dd/mm/yyyy" in messages[0]
    assert "two digits" in messages[1]
    assert "in the future" in messages[2]
    assert "before 1900" in messages[3]
    assert "“39512” is not a valid date" in messages[4]
    assert "Only the year (2008)" in messages[5]
    assert "“mùng 5” is not a valid date" in messages[6]
    assert messages[7] == "The date of birth is missing."


# --- formulas ----------------------------------------------------------------------------


def test_formula_cell_is_reported_and_never_evaluated():
    wb = Workbook()
    ws = wb.active
    ws.append(["Đơn vị: Chi bộ 1"])
    ws.append([])
    ws.append([])
    ws.append([])
    ws.append(HEADERS)
    ws.append([1, "Nguyễn Văn", "An", "05/03/2008", "Nam"])
    ws["B6"] = "=1+1"
    ws["A7"] = "=ROW()-6"  # a formula in STT is ignored, STT is not read
    ws["B7"], ws["C7"], ws["D7"], ws["E7"] = "Lê Thị", "Bình", "01/02/2008", "Nữ"
    out = BytesIO()
    wb.save(out)
    assert load_workbook(out).active["B6"].data_type == "f"

    read = read_people(out.getvalue())

    assert [(r.row, r.family_name, r.given_name) for r in read.rows] == [
        (6, "", "An"),
        (7, "Lê Thị", "Bình"),
    ]
    [error] = read.errors  # no second "family name missing" on the same cell
    assert (error.row, error.column) == (6, "Họ và tên đệm")
    assert error.message == "The cell holds a formula (=1+1); type the value itself."
    assert "2" not in error.message


# --- citizen ID and phone ----------------------------------------------------------------


def test_numeric_citizen_id_gets_back_its_leading_zero():
    data = xlsx(
        [
            HEADERS + ["Điện thoại"],
            [1, "Nguyễn Văn", "An", "05/03/2008", "Nam", 24208001234, 912345678],
            [2, "Lê Thị", "Bình", "05/03/2008", "Nữ", 24308001234.0, "0987.654.321"],
            [3, "Trần Văn", "Cường", "05/03/2008", "Nam", "024 208 001 235", None],
            [4, "Trần Văn", "Dũng", "05/03/2008", "Nam", None, None],
        ]
    )
    read = read_people(data)

    assert read.errors == []
    assert [r.citizen_id for r in read.rows] == [
        "024208001234",
        "024308001234",
        "024208001235",
        "",
    ]
    assert [r.phone for r in read.rows] == ["0912345678", "0987654321", "", ""]


def test_bad_citizen_ids_report_every_problem():
    data = xlsx(
        [
            HEADERS,
            [1, "Nguyễn Văn", "An", "05/03/2008", "Nam", "12345"],
            [2, "Lê Thị", "Bình", "05/03/2008", "Nữ", "024208001234"],  # male digit
            [3, "Trần Văn", "Cường", "05/03/2008", "Nam", "999207001234"],
        ]
    )
    read = read_people(data)

    assert all(error.column == "Số CCCD" for error in read.errors)
    assert [e.message for e in errors_at(read, 2)] == ["A citizen ID has exactly 12 digits."]
    assert [e.message for e in errors_at(read, 3)] == [
        "The 4th digit of the citizen ID does not match the sex."
    ]
    assert {e.message for e in errors_at(read, 4)} == {
        "The citizen ID starts with 999, which is not a province code.",
        "Digits 5–6 of the citizen ID should be 08, the year of birth.",
    }
    assert read.rows[0].citizen_id == "12345"  # kept, so the form can show it


# --- other columns -----------------------------------------------------------------------


def test_category_and_union_values():
    data = xlsx(
        [
            [
                "STT",
                "Họ đệm",
                "Tên",
                "NS",
                "Giới tính",
                "Đối tượng",
                "Đoàn viên",
                "Công đoàn viên",
                "Chi bộ",
                "Lớp",
            ],
            [1, "A Văn", "Bê", "01/01/1990", "Nam", "Công nhân", "✓", "có", "Chi bộ 1", 10],
            [2, "C Thị", "Dê", "01/01/1990", "Nữ", "viên chức", "khong", 0, "Chi bộ 2", "10A"],
            [3, "E Văn", "Gờ", "01/01/1990", "Nam", "Học sinh", "Đoàn viên", None, "", "11B"],
            [
                4,
                "H Thị",
                "Ích",
                "01/01/1990",
                "Nữ",
                "bộ đội",
                "có lẽ",
                "x",
                "",
                datetime(2025, 1, 10),
            ],
        ]
    )
    read = read_people(data)

    assert [r.category for r in read.rows] == ["worker", "civil_servant", "student", ""]
    assert [r.youth_union_member for r in read.rows] == [True, False, True, None]
    assert [r.trade_union_member for r in read.rows] == [True, False, False, True]
    assert [r.unit_name for r in read.rows] == ["Chi bộ 1", "Chi bộ 2", "", ""]
    assert [r.school_class for r in read.rows] == ["10", "10A", "11B", ""]
    assert [(e.row, e.column) for e in read.errors] == [
        (5, "Đối tượng"),
        (5, "Đoàn viên"),
        (5, "Lớp"),
    ]
    assert "Học sinh" in read.errors[0].message and "bộ đội" in read.errors[0].message
    assert "x for yes" in read.errors[1].message
    assert "turned this cell into the date 10/01/2025" in read.errors[2].message


def test_blank_rows_and_stt_only_rows_are_skipped():
    data = xlsx(
        [
            HEADERS,
            [1, "Nguyễn Văn", "An", "05/03/2008", "Nam"],
            [2],
            [],
            [None, "  ", "\u00a0"],
            [5, "Lê Thị", "Bình", "05/03/2008", "Nữ"],
            [6],
        ]
    )
    read = read_people(data)

    assert read.errors == []
    assert [r.row for r in read.rows] == [2, 6]


def test_numbering_row_under_the_header_is_skipped():
    data = xlsx(
        [
            HEADERS,
            [None],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            [1, "Nguyễn Văn", "An", "05/03/2008", "Nam"],
            [2, 3, 4, 5, 6, 7],  # further down, numbers are a row with errors
        ]
    )
    read = read_people(data)

    assert [r.row for r in read.rows] == [4, 5]
    assert {e.row for e in read.errors} == {5}


# --- the wrong file ----------------------------------------------------------------------


def test_sheet_with_unknown_headers_says_which_headers_are_expected():
    read = read_people(xlsx([["A", "B", "C"], [1, 2, 3]]))

    assert read.rows == []
    [error] = read.errors
    assert (error.row, error.column) == (0, "")
    assert "No header row" in error.message
    for header in ("“STT”", "“Họ và tên đệm”", "“Tên”", "“Ngày sinh”", "“Giới tính”"):
        assert header in error.message


def test_missing_required_columns_are_each_reported_and_no_row_is_read():
    data = xlsx(
        [
            ["Danh sách"],
            ["STT", "Họ và tên đệm", "Dân tộc", "Ghi chú"],
            [1, "Nguyễn Văn", "Kinh", ""],
        ]
    )
    read = read_people(data)

    assert read.rows == []
    assert [(e.row, e.column) for e in read.errors] == [(2, ""), (2, ""), (2, "")]
    messages = [e.message for e in read.errors]
    for message, missing in zip(messages, ("“Tên”", "“Ngày sinh”", "“Giới tính”"), strict=True):
        assert missing in message
        assert "“STT”, “Họ và tên đệm”, “Dân tộc”, “Ghi chú”" in message


def test_headers_only_means_no_rows():
    read = read_people(xlsx([["Đơn vị: Chi bộ 5"], HEADERS]))

    assert read.rows == []
    assert read.unit_label == "Chi bộ 5"
    assert [(e.row, e.column, e.message) for e in read.errors] == [
        (0, "", "The file has no rows of people.")
    ]


def _zip(files: dict[str, str]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01garbage\xff" * 50,
        "STT,Họ và tên đệm,Tên\n1,Nguyễn Văn,An\n".encode(),
        _zip({"readme.txt": "hello"}),
        _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}),
    ],
    ids=["empty", "garbage", "csv", "zip", "docx-like"],
)
def test_not_an_xlsx(data):
    read = read_people(data)

    assert read.rows == []
    [error] = read.errors
    assert (error.row, error.column) == (0, "")
    assert error.message.startswith("The file is not a spreadsheet that can be read here")


def test_an_ole2_file_without_a_workbook_is_refused_as_such():
    read = read_people(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)  # OLE2

    assert read.rows == []
    [error] = read.errors
    assert (error.row, error.column) == (0, "")
    assert error.message.startswith("The file is not a spreadsheet that can be read here")


def test_every_error_of_every_row_is_reported():
    rows = [HEADERS]
    for number in range(1, 31):
        rows.append([number, "Nguyễn Văn", "An", "05/03/2008", "Nam", "024208001234"])
    rows[5] = [5, "", "An", "31/02/2008", "Nam", "024208001234"]
    rows[12] = [12, "Lê Thị", "", "05/03/2008", "Nữ", "024208001234"]
    rows[20] = [20, "Trần Văn", "Cường", "05/03/2008", "Không rõ", "123"]
    rows[30] = [30, "Phạm 3", "An", "05/03/2008", "Nam", "024208001234"]
    read = read_people(xlsx(rows))

    assert len(read.rows) == 30
    assert [(e.row, e.column) for e in read.errors] == [
        (6, "Họ và tên đệm"),
        (6, "Ngày sinh"),
        (13, "Tên"),
        (13, "Số CCCD"),
        (21, "Giới tính"),
        (21, "Số CCCD"),
        (31, "Họ và tên đệm"),
    ]
    assert read.errors[2].message == "The given name is missing."
    assert "“Không rõ” is not a sex" in read.errors[4].message
    assert "contains digits" in read.errors[6].message


def test_cell_error_reads_as_a_sentence():
    assert str(CellError(7, "Ngày sinh", "Bad.")) == "Row 7, column “Ngày sinh”: Bad."
    assert str(CellError(7, "", "Bad.")) == "Row 7: Bad."
    assert str(CellError(0, "", "Bad.")) == "Bad."
