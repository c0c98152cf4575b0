"""Everything a reader sees in a report workbook, as plain data: to show that a change in how
``documents.workbook`` writes the file (openpyxl's write-only mode) leaves the file the same.

``report_xlsx_golden.json`` holds the dumps of ``golden_documents()`` as the workbook writer
made them before it streamed its rows; ``test_report_xlsx.py`` compares today's with them.
"""

from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from documents.content import DATE, PERCENT, ROLLUP, TEXT, TOTAL, Column, PartyDocument, Row, Table

from .sample import sample_document

GOLDEN = Path(__file__).parent / "data" / "report_xlsx_golden.json"


def golden_documents() -> dict[str, PartyDocument]:
    """Documents with every feature the workbook draws."""
    columns = [
        Column("Đơn vị", kind=TEXT, width=30),
        Column("Số", width=8),
        Column("Tỷ lệ", kind=PERCENT, width=8),
        Column("Ngày", kind=DATE, width=14),
        Column("Ghi chú", kind=TEXT, width=12),
    ]
    rows = [
        Row(["Chi bộ thôn Đông", 3, 66.7, date(2024, 5, 19), "-2 so với 2023"], depth=2),
        Row(["Đảng ủy xã Bắc Lý", 2.5, 100, datetime(2024, 5, 19, 8, 30, tzinfo=UTC), True]),
        Row(["@Công ty", 0, None, None, "#N/A"], style=ROLLUP, depth=1),
        Row(["Tổng cộng", 5.5, 83.3, None, ""], style=TOTAL),
    ]
    two_tables = PartyDocument(
        doc_type="DANH SÁCH",
        subject="Phụ lục",
        tables=[
            Table("Biểu 1. Một", columns, rows, note="Ghi chú dưới bảng."),
            Table("Biểu 1: trùng tên", columns, rows[:2]),
            Table("Không có số", columns, []),
        ],
    )
    words_only = PartyDocument(
        doc_type="BÁO CÁO",
        subject="Chỉ có lời",
        paragraphs=["Một đoạn văn dài " * 20],
        recipients=["Lưu VP."],
    )
    return {
        "sample": sample_document(),
        "sample_annex": sample_document(12, heading=False),
        "two_tables": two_tables,
        "words_only": words_only,
    }


def _color(c):
    return None if c is None else (c.rgb if isinstance(c.rgb, str) else str(c.rgb))


def _style(cell) -> dict:
    f, b, a, fill = cell.font, cell.border, cell.alignment, cell.fill
    return {
        "format": cell.number_format,
        "font": [f.name, f.sz, f.b, f.i, f.u],
        "border": [getattr(b, side).style for side in ("left", "right", "top", "bottom")],
        "fill": [fill.fill_type, _color(fill.fgColor)],
        "align": [a.horizontal, a.vertical, a.wrap_text, a.indent],
        "quote": cell.quotePrefix,
    }


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def xlsx_dump(content: bytes) -> dict:
    """Sheets, cells (value, type and look), merges, row heights, widths, panes, print
    settings and charts of an .xlsx file."""
    wb = load_workbook(BytesIO(content))
    sheets = []
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                cells[cell.coordinate] = {
                    "value": _value(cell.value),
                    "type": cell.data_type,
                    **_style(cell),
                }
        setup, margins = ws.page_setup, ws.page_margins
        charts = []
        for chart in ws._charts:
            charts.append(
                {
                    "type": chart.tagname,
                    "bar": getattr(chart, "type", None),
                    "series": [
                        [s.val.numRef.f, s.cat.strRef.f if s.cat and s.cat.strRef else None]
                        for s in chart.series
                    ],
                    "anchor": chart.anchor._from.col if hasattr(chart.anchor, "_from") else None,
                }
            )
        sheets.append(
            {
                "title": ws.title,
                "cells": cells,
                "merged": sorted(str(r) for r in ws.merged_cells.ranges),
                "heights": {
                    str(r): d.height for r, d in sorted(ws.row_dimensions.items()) if d.height
                },
                "widths": {
                    k: d.width for k, d in sorted(ws.column_dimensions.items()) if d.customWidth
                },
                "freeze": ws.freeze_panes,
                "print_rows": ws.print_title_rows,
                "page": [
                    setup.paperSize,
                    setup.orientation,
                    setup.fitToWidth,
                    setup.fitToHeight,
                    ws.sheet_properties.pageSetUpPr.fitToPage,
                    ws.print_options.horizontalCentered,
                ],
                "margins": [
                    round(m, 4)
                    for m in (
                        margins.left,
                        margins.right,
                        margins.top,
                        margins.bottom,
                        margins.header,
                        margins.footer,
                    )
                ],
                "charts": charts,
            }
        )
    return {"sheets": sheets}
