"""Renderers: a report's table (from a selector) in, the bytes of a file out.

``xlsx`` draws with ``documents.xlsx`` (one safe cell writer); ``pdf`` renders a template
with ``documents.pdf`` (WeasyPrint, Tinos embedded).
"""

from .pdf import annex_pdf
from .xlsx import annex_xlsx

FORMATS = ("xlsx", "pdf")

# The annex of a plan in each format.
ANNEX_RENDERERS = {"xlsx": annex_xlsx, "pdf": annex_pdf}

__all__ = ["ANNEX_RENDERERS", "FORMATS", "annex_pdf", "annex_xlsx"]
