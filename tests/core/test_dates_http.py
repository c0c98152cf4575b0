from datetime import date, datetime

from core.dates import dmy
from core.http import download


def test_dmy_is_day_first_with_zeros():
    assert dmy(date(2024, 3, 5)) == "05/03/2024"
    assert dmy(datetime(2024, 12, 31, 23, 59)) == "31/12/2024"
    assert dmy(None) == ""


def test_download_names_the_file_in_ascii_and_vietnamese_and_is_never_cached():
    response = download(b"%PDF-1.7 x", stem="Danh sách học viên Đợt 1/2024", fmt="pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.getvalue() == b"%PDF-1.7 x"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Danh-sach-hoc-vien-Dot-1-2024.pdf";')
    assert "filename*=utf-8''Danh-s%C3%A1ch-h%E1%BB%8Dc-vi%C3%AAn-%C4%90%E1%BB%A3t-1-2024.pdf" in (
        disposition
    )
    assert "no-store" in response["Cache-Control"]


def test_download_of_an_ascii_name_has_one_filename():
    response = download(b"PK", stem="bang-chi-tieu", fmt="xlsx")

    assert response["Content-Disposition"] == 'attachment; filename="bang-chi-tieu.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
