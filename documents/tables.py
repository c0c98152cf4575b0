"""A list page's table as an Excel file: django-tables2's ExportMixin, written with the safe
cell writer.

tablib's own xlsx writer lets openpyxl turn text beginning with "=" into a live formula;
its ``escape`` option removes that "=" (so the text changes) and leaves "+", "-" and "@"
alone. The rows go through ``write_cell`` instead: text stays text, exactly as shown.
"""

from datetime import date

from django_tables2.export import ExportMixin, TableExport
from openpyxl import Workbook
from openpyxl.styles import Font

from core.http import download

from .xlsx import page_setup, sheet_title, workbook_bytes, write_cell


class ExcelExport(TableExport):
    """Only xlsx, written cell by cell with ``write_cell``; bold headers, frozen top row."""

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format == cls.XLSX

    def export(self) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.title = sheet_title(self.dataset.title or "")
        bold = Font(bold=True)
        for column, header in enumerate(self.dataset.headers or [], start=1):
            write_cell(ws, 1, column, header).font = bold
        for row, values in enumerate(self.dataset, start=2):
            for column, value in enumerate(values, start=1):
                if isinstance(value, date):  # a real date, shown day first
                    cell = ws.cell(row=row, column=column, value=value)
                    cell.number_format = "DD/MM/YYYY"
                else:
                    write_cell(ws, row, column, value)
        ws.freeze_panes = "A2"
        page_setup(ws, landscape=True)  # ready to print: A4 across, the heading on every page
        ws.print_title_rows = "1:1"
        for column in ws.columns:
            width = max((len(str(c.value)) for c in column if c.value is not None), default=0)
            ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
        return workbook_bytes(wb)


class ExcelExportMixin(ExportMixin):
    """``?xuat=xlsx`` downloads the filtered, sorted list, every page of it, named
    ``export_stem``; columns with ``exclude_from_export`` (links, buttons) are left out."""

    export_class = ExcelExport
    export_formats = (ExcelExport.XLSX,)
    export_trigger_param = "xuat"  # ?xuat=xlsx, in the app's Vietnamese query words
    export_stem = "export"

    def get_export_stem(self) -> str:
        return str(self.export_stem)

    def create_export(self, export_format):
        stem = self.get_export_stem()
        exporter = self.export_class(
            export_format=export_format,
            table=self.get_table(**self.get_table_kwargs()),
            exclude_columns=self.exclude_columns,
            dataset_kwargs={"title": stem, **(self.get_dataset_kwargs() or {})},
        )
        return download(exporter.export(), stem=stem, fmt="xlsx")
