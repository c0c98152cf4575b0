"""Template helpers that draw a ``PartyDocument`` (``documents.content``): the PDF template
(``documents/report.html``) and the web page's ``documents/_report_body.html`` use the same
ones, so a cell reads the same in both — it is ``format_cell`` of its column's kind."""

from dataclasses import dataclass

from django import template

from documents.content import INT, TEXT, Chart, Row, Table, format_cell

register = template.Library()


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool  # a number or a date: centred; text is left-aligned
    indent: int = 0  # the row's depth, on the row's first text column only


@register.filter
def cells(row: Row, table: Table) -> list[Cell]:
    """``row``'s cells as text, each with how it is aligned and indented."""
    first_text = next((i for i, c in enumerate(table.columns) if c.kind == TEXT), None)
    return [
        Cell(
            text=format_cell(value, column.kind),
            numeric=column.kind != TEXT,
            indent=row.depth if index == first_text else 0,
        )
        for index, (value, column) in enumerate(zip(row.cells, table.columns, strict=True))
    ]


@register.filter
def column_widths(table: Table) -> list[str]:
    """Each column's share of the table's width, in the ratio of ``Column.width``."""
    total = sum(c.width for c in table.columns) or 1
    return [f"{100 * c.width / total:.2f}%" for c in table.columns]


@register.filter
def row_blocks(table: Table) -> list[dict]:
    """The rows in ``<tbody>`` blocks: the last row — or the trailing total row(s) with the
    row before them — in a block of their own (``keep``), which the PDF keeps on one page:
    a total never opens a page alone, and the closing joins that block after the last table."""
    rows = table.rows
    start = len(rows)
    while start > 0 and rows[start - 1].is_total:
        start -= 1
    start = max(start - 1, 0)
    blocks = [{"rows": rows[:start], "keep": False}] if start else []
    return blocks + [{"rows": rows[start:], "keep": True}]  # empty for a table without rows


# The bar chart, in points (the SVG's user unit): it prints at this size.
CHART_WIDTH = 450
CHART_FONT = 10
CHART_BAR = 11
CHART_GAP = 7
CHART_LEGEND = 22
CHART_VALUE = 40  # room for the value after the longest bar
# Black, greys and white-with-a-border: series that a black-and-white printer tells apart.
CHART_FILLS = ("#000000", "#a6a6a6", "#ffffff", "#595959", "#d9d9d9")
CHART_LABEL_CHARS = 40


def _short(label: str, chars: int = CHART_LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"


@register.inclusion_tag("documents/_chart.svg.html", takes_context=True)
def party_chart(context, chart: Chart) -> dict:
    """A horizontal bar chart: a group of bars per label, one per series, the value at the end
    of each bar and a legend above. In the PDF its text is in the report's font (WeasyPrint's
    SVG text does not inherit the page's); on the web page, in the page's."""
    # Times glyphs (the PDF's font) are about half an em wide on average; the web page's
    # sans-serif about 0.62 em: labels are shortened to what fits, never cut on the left.
    glyph = 0.5 if context.get("font_family") else 0.62
    room = CHART_WIDTH * 0.45
    fits = int((room - 8) / (CHART_FONT * glyph))
    labels = [_short(str(label), min(CHART_LABEL_CHARS, fits)) for label in chart.labels]
    count = max(len(chart.series), 1)
    label_width = min(
        max((len(label) for label in labels), default=0) * CHART_FONT * glyph + 8, room
    )
    label_width = max(label_width, 40)
    bar_room = CHART_WIDTH - label_width - CHART_VALUE
    group = count * CHART_BAR + CHART_GAP
    peak = chart.peak
    groups = []
    for index, label in enumerate(labels):
        top = CHART_LEGEND + index * group
        bars = []
        for number, (_name, values) in enumerate(chart.series):
            value = values[index] if index < len(values) else None
            if value is None:
                continue
            y = top + number * CHART_BAR
            length = max(bar_room * value / peak, 0)
            bars.append(
                {
                    "y": y,
                    "width": round(length, 2),
                    "fill": CHART_FILLS[number % len(CHART_FILLS)],
                    "text": format_cell(value, INT),
                    "text_x": round(label_width + length + 3, 2),
                    "text_y": round(y + CHART_BAR - 2.5, 2),
                }
            )
        groups.append(
            {
                "label": label,
                "label_y": round(top + count * CHART_BAR / 2 + CHART_FONT * 0.35, 2),
                "bars": bars,
            }
        )
    height = CHART_LEGEND + len(labels) * group
    legend = []
    x = label_width
    for number, (name, _values) in enumerate(chart.series):
        legend.append(
            {"x": x, "text_x": x + 14, "name": name, "fill": CHART_FILLS[number % len(CHART_FILLS)]}
        )
        x += 14 + len(str(name)) * CHART_FONT * 0.5 + 24
    return {
        "chart": chart,
        "font_family": context.get("font_family", "inherit"),
        "width": CHART_WIDTH,
        "height": height,
        "font_size": CHART_FONT,
        "bar_height": CHART_BAR - 1,
        "axis_x": label_width,
        "axis_top": CHART_LEGEND - 3,
        "axis_bottom": height - CHART_GAP + 3,
        "label_x": label_width - 5,
        "groups": groups,
        "legend": legend,
    }
