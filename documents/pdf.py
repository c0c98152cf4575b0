"""PDFs with WeasyPrint, in Tinos (Times New Roman metrics, full Vietnamese coverage).

The font comes from the npm package ``@fontsource/tinos`` (``scripts/fetch_assets.py``, run by
``make``) as one WOFF file per Unicode subset. WeasyPrint 70 tells embedded fonts apart by
family, weight and style only, so three files that all call themselves "Tinos" would be
merged into one PDF font and every glyph outside the first file drawn as a wrong letter.
Each subset therefore gets its own family name ("Tinos", "Tinos Vietnamese", "Tinos Latin
Ext") and the font stack lists them in turn, each limited to its ``unicode-range``.

Without the files (offline install) the PDF still renders, in a fallback serif, and a
warning is logged.
"""

import functools
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string

from .content import PartyDocument
from .layout import MARGIN_MM, SIZES

logger = logging.getLogger(__name__)
# WeasyPrint logs each rendering step at INFO, which the console handler would print.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Subset of @fontsource/tinos -> the family name it gets here; the order of the font stack.
FAMILIES = {"latin": "Tinos", "vietnamese": "Tinos Vietnamese", "latin-ext": "Tinos Latin Ext"}
REQUIRED_SUBSETS = ("latin", "vietnamese")
WEIGHTS = (400, 700)
STYLES = ("normal", "italic")
FALLBACK_FAMILIES = ("Times New Roman", "Liberation Serif", "DejaVu Serif", "serif")
# The page margins of a party document, in CSS order (top, right, bottom, left).
PAGE_MARGIN_CSS = " ".join(f"{MARGIN_MM[side]}mm" for side in ("top", "right", "bottom", "left"))


def font_dir() -> Path:
    """Where ``scripts/fetch_assets.py`` puts Tinos (setting ``PTDV_FONT_DIR`` to move it)."""
    default = Path(settings.BASE_DIR) / "static" / "vendor" / "fonts" / "tinos"
    return Path(getattr(settings, "PTDV_FONT_DIR", default))


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    url: str
    unicode_range: str = ""


def font_faces(directory: Path | None = None) -> list[FontFace]:
    """The @font-face rules for the Tinos files that are present."""
    directory = directory or font_dir()
    try:
        ranges = json.loads((directory / "unicode.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ranges = {}
    faces = []
    for subset, family in FAMILIES.items():
        for weight in WEIGHTS:
            for style in STYLES:
                path = directory / f"tinos-{subset}-{weight}-{style}.woff"
                if path.is_file():
                    url = path.resolve().as_uri()
                    faces.append(FontFace(family, weight, style, url, ranges.get(subset, "")))
    return faces


def fonts_complete(faces: list[FontFace]) -> bool:
    present = {(f.family, f.weight, f.style) for f in faces}
    return all(
        (FAMILIES[subset], weight, style) in present
        for subset in REQUIRED_SUBSETS
        for weight in WEIGHTS
        for style in STYLES
    )


def font_stack(faces: list[FontFace]) -> str:
    """The CSS ``font-family`` value: the Tinos families present, then fallbacks."""
    families = list(dict.fromkeys(f.family for f in faces)) + list(FALLBACK_FAMILIES[:-1])
    return ", ".join(f'"{name}"' for name in families) + ", " + FALLBACK_FAMILIES[-1]


@functools.cache
def _fetcher_class():
    # WeasyPrint is imported when the first PDF is made, not when the URLconf loads.
    from weasyprint.urls import URLFetcher

    class FontFolderFetcher(URLFetcher):
        """Lets a report load nothing but the files of the font folder: no network, no
        other files, whatever ends up in the HTML."""

        def __init__(self, root: Path):
            super().__init__(allowed_protocols={"file"})
            self.root = root.resolve()

        def fetch(self, url, headers=None):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"Reports may only load files from {self.root}: {url}")
            return super().fetch(url, headers)

    return FontFolderFetcher


def pdf_html(template_name: str, context: dict) -> str:
    """The HTML that ``render_pdf`` hands to WeasyPrint: ``template_name`` with the report
    fonts (bench/reports.py renders it with WeasyPrint alone, as the PDF's floor)."""
    directory = font_dir()
    faces = font_faces(directory)
    if not fonts_complete(faces):
        logger.warning(
            "Tinos fonts are missing from %s: the PDF uses a fallback serif font. "
            "Run `make install` (scripts/fetch_assets.py) to fetch them.",
            directory,
        )
    return render_to_string(
        template_name,
        {
            **context,
            "font_faces": faces,
            "font_family": font_stack(faces),
            "page_margin": PAGE_MARGIN_CSS,
        },
    )


def html_pdf(html: str) -> bytes:
    """``html`` drawn by WeasyPrint, loading nothing but the font folder's files."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_fetcher_class()(font_dir())).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` (HTML) to PDF bytes with the report fonts."""
    return html_pdf(pdf_html(template_name, context))


DOCUMENT_TEMPLATE = "documents/report.html"


def document_html(doc: PartyDocument) -> str:
    """The HTML of ``document_pdf``, before WeasyPrint draws it."""
    return pdf_html(DOCUMENT_TEMPLATE, {"doc": doc, "sizes": SIZES})


def document_pdf(doc: PartyDocument) -> bytes:
    """A party document (``documents.content``) as a PDF laid out per Hướng dẫn 36-HD/VPTW:
    the party header, the title, the body, the tables, the chart, "Nơi nhận" and the
    signature (``templates/documents/report.html``)."""
    return html_pdf(document_html(doc))
