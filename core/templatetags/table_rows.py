"""``{% table_rows table %}``: the ``<tr>`` of a django-tables2 table's page, drawn in one
pass.

django-tables2's own template draws each cell through the template engine (the column's
``attrs.td.as_html``, its ``localize`` setting, then the value): a quarter of the time of a
province's list page of 50 people (docs/benchmarks.md, third pass). This tag asks the table
for the same things — each row's ``attrs``, ``row.items()`` with each cell rendered by its
column, each column's ``attrs["td"]`` (once, when none of them is a callable) — and only
joins the markup itself. It draws columns that leave ``localize`` at ``None`` and refuses a
table with any other: such a table keeps the library's template."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def table_rows(table) -> str:
    for column in table.columns:
        if column.localize is not None:
            raise ValueError(f"table_rows does not localize: column {column.name!r}")
    # A column whose cell attributes are plain values has the same <td> on every row.
    fixed = {
        column.name: column.attrs["td"].as_html()
        for column in table.columns
        if not any(callable(v) for v in _cell_attrs(table, column).values())
    }
    rows = []
    for row in table.paginated_rows:
        cells = "".join(
            f"<td {fixed[column.name] if column.name in fixed else column.attrs['td'].as_html()}>"
            f"{conditional_escape(cell)}</td>"
            for column, cell in row.items()
        )
        rows.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(), mark_safe(cells)))  # noqa: S308 - parts escaped
    return mark_safe("\n".join(rows))  # noqa: S308 - each row built by format_html


def _cell_attrs(table, column) -> dict:
    """The attributes django-tables2 gives the column's cells before computing them (the
    table's, then the column's, ``td`` over ``cell``: ``BoundColumn.attrs``)."""
    attrs = {**table.attrs, **column.column.attrs}
    return attrs.get("td", attrs.get("cell", {}))
