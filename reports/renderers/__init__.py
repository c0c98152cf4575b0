"""Renderers: a report's table (from a selector) in, the bytes of a file out.

``xlsx`` draws with openpyxl through one safe cell writer; ``pdf`` renders a template with
WeasyPrint in Tinos (see ``reports.renderers.pdf``).
"""

from .pdf import annex_pdf
from .xlsx import annex_xlsx

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)

# The annex of a plan in each format.
ANNEX_RENDERERS = {"xlsx": annex_xlsx, "pdf": annex_pdf}

__all__ = ["ANNEX_RENDERERS", "CONTENT_TYPES", "FORMATS", "annex_pdf", "annex_xlsx"]
