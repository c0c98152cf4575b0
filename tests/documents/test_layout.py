import pytest

from documents.layout import MARGIN_MM, PAGE_MM, SIZES, text_width_cm


def test_the_figures_of_36_hd_vptw():
    assert MARGIN_MM == {"top": 20, "bottom": 20, "left": 30, "right": 15}
    assert PAGE_MM["portrait"] == (210, 297)
    assert SIZES["party"] == 15 and SIZES["issuer"] == 14 and 15 <= SIZES["kind"] <= 16


@pytest.mark.parametrize(("orientation", "cm"), [("portrait", 16.4), ("landscape", 25.1)])
def test_the_width_of_the_text_between_the_margins(orientation, cm):
    assert text_width_cm(orientation) == pytest.approx(cm)
