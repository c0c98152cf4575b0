"""The quota annex as a PDF (``documents.pdf`` renders it in the embedded font)."""

from documents.pdf import render_pdf
from reports.annex import AnnexTable


def annex_pdf(table: AnnexTable) -> bytes:
    """The annex as an A4 portrait PDF."""
    return render_pdf("reports/annex.html", {"table": table})
