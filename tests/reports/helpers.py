"""Reading the seed's annex and the files the reports produce."""

import re
import zlib
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "source" / "145-KH-HU_2024.txt"


def seed_annex_rows() -> list[list[str]]:
    """The non-empty lines of the annex at the end of seed 001 (from its last "DANH SÁCH"),
    each as its cells: table lines split at TABs, trailing empty cells dropped."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = max(i for i, line in enumerate(lines) if line.strip() == "DANH SÁCH")
    rows = []
    for line in lines[start:]:
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        while cells and cells[-1] == "":
            cells.pop()
        rows.append(cells)
    return rows


def sheet_rows(ws) -> list[list]:
    """The non-empty rows of a worksheet, trailing empty cells dropped."""
    rows = []
    for values in ws.iter_rows(values_only=True):
        cells = ["" if v is None else v for v in values]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def pdf_font_names(data: bytes) -> set[str]:
    """The /BaseFont names of a PDF, also inside compressed object streams."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            chunks.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    names = set()
    for chunk in chunks:
        names.update(re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", chunk))
    return {name.decode("latin-1") for name in names}
