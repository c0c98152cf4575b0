import unicodedata

import pytest

from core.text import fold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hiệp Hòa", "hiep hoa"),
        ("Đảng ủy thị trấn Thắng", "dang uy thi tran thang"),
        ("ĐẢNG ỦY", "dang uy"),
        ("Trung tâm GDNN - GDTX", "trung tam gdnn gdtx"),
        ("Trung tâm GDNN – GDTX", "trung tam gdnn gdtx"),
        ("TT GDNN-GDTX", "tt gdnn gdtx"),
        ("  Công ty   May  Hà Thanh ", "cong ty may ha thanh"),
        ("Số 145/KH-HU", "so 145 kh hu"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_removes_accents_case_and_punctuation(text, expected):
    assert fold(text) == expected


def test_fold_treats_decomposed_text_like_precomposed():
    nfc = "Nguyễn Thị Thu Hà, Đảng ủy xã Hoàng Thanh"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert fold(nfd) == fold(nfc) == "nguyen thi thu ha dang uy xa hoang thanh"


def test_vi_sort_key_orders_given_names_the_vietnamese_way():
    from core.text import vi_sort_key

    names = ["Đức", "Dũng", "Ân", "Anh", "Ánh", "Ăn", "An", "Bình", "Hương", "Huy", "Hùng"]
    assert sorted(names, key=vi_sort_key) == [
        "An", "Anh", "Ánh", "Ăn", "Ân", "Bình", "Dũng", "Đức", "Hùng", "Huy", "Hương",
    ]  # fmt: skip


def test_vi_sort_key_sorts_by_given_name_then_family_name_and_ignores_nfd():
    import unicodedata

    from core.text import vi_sort_key

    people = [("Lan", "Lê Thị"), ("An", "Trần Văn"), ("Lan", "Đỗ Thị"), ("Lan", "Dương Thị")]
    ordered = sorted(people, key=lambda p: vi_sort_key(*p))
    assert ordered == [
        ("An", "Trần Văn"),
        ("Lan", "Dương Thị"),
        ("Lan", "Đỗ Thị"),
        ("Lan", "Lê Thị"),
    ]
    assert vi_sort_key(unicodedata.normalize("NFD", "Nguyễn Đức")) == vi_sort_key("Nguyễn Đức")
    assert vi_sort_key("Đức").isdigit()  # sorts the same under any database collation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đảng ủy thị trấn Thắng", "Dang uy thi tran Thang"),
        ("e\u0301", "e"),  # decomposed input
        ("", ""),
        (None, ""),
    ],
)
def test_strip_accents_keeps_case_and_spaces(text, expected):
    from core.text import strip_accents

    assert strip_accents(text) == expected


def test_nfc_composes_and_strips():
    from core.text import nfc

    assert nfc("  Nguye\u0302\u0303n ") == "Nguyễn"
    assert nfc(None) == ""


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("Phụ lục chỉ tiêu 145/KH-HU 2024", "Phu-luc-chi-tieu-145-KH-HU-2024"),
        ("Đợt 1 – tháng 4", "Dot-1-thang-4"),
        ("«»", "file"),
    ],
)
def test_ascii_filename(stem, expected):
    from core.text import ascii_filename

    assert ascii_filename(stem) == expected
