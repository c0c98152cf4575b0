import unicodedata

import pytest

from units.text import fold


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
