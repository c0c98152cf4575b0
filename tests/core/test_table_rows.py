"""``{% table_rows %}`` draws the same rows as django-tables2's own template."""

import re

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.html import format_html

ROWS = [
    {"name": "Nguyễn Thị <Lan>", "unit": "THPT Hiệp Hòa số 1", "born": 2007},
    {"name": "Trần Văn Bình", "unit": "", "born": None},
    {"name": "Lê & Hà", "unit": "Cấp nước Hiệp Hòa", "born": 2006},
]

LIBRARY = '{% extends "django_tables2/bootstrap5.html" %}'
OURS = LIBRARY + (
    "{% load table_rows %}{% block table.tbody %}"
    "<tbody>{% table_rows table %}</tbody>{% endblock table.tbody %}"
)


class People(tables.Table):
    name = tables.Column(attrs={"td": {"class": "fw-bold", "data-x": "1"}})
    unit = tables.Column(default="—")
    born = tables.Column(attrs={"td": {"class": lambda value: f"y{value}"}})
    link = tables.Column(accessor="name", empty_values=(), orderable=False)

    def render_link(self, value):
        return format_html('<a href="/p/{}">{}</a>', len(value), value)

    class Meta:
        row_attrs = {"data-born": lambda record: record["born"] or ""}


def _tbody(template: str, page: int) -> str:
    table = People(ROWS)
    table.paginate(page=page, per_page=2)
    request = RequestFactory().get("/")
    html = Template(template).render(Context({"table": table, "request": request}))
    body = re.search(r"<tbody[^>]*>(.*)</tbody>", html, re.S).group(1)
    return re.sub(r">\s+<", "><", " ".join(body.split()))


@pytest.mark.parametrize("page", [1, 2])
def test_the_rows_are_those_of_the_librarys_template(page):
    ours = _tbody(OURS, page)
    assert ours == _tbody(LIBRARY, page)
    assert ours.count("<tr ") == (2 if page == 1 else 1)
    if page == 1:  # escaped text, the render method's markup, callable attributes
        assert "Nguyễn Thị &lt;Lan&gt;" in ours and '<a href="/p/16">' in ours
        assert 'class="y2007"' in ours and 'data-born="2007"' in ours and "—" in ours


def test_a_column_that_localizes_is_refused():
    class Localized(People):
        born = tables.Column(localize=True)

    table = Localized(ROWS)
    with pytest.raises(ValueError, match="born"):
        Template("{% load table_rows %}{% table_rows table %}").render(Context({"table": table}))
