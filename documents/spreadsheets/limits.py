"""What an uploaded spreadsheet may be (``Limits``), the refusal (``SpreadsheetRefused``) and
the Vietnamese messages the door's checks give, shared by every format's reader."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 25 * 1024 * 1024
# A member that unpacks to more than RATIO_FROM bytes may be at most MAX_RATIO times its
# packed size. Sheets measured here pack 10 to 15 times; a zip bomb near 1,000.
MAX_RATIO = 200
RATIO_FROM = 1024 * 1024
MAX_ROWS = 3000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 2000
MAX_DIGITS = 15  # Excel keeps 15 significant digits; a longer number is not a typed one
XML_HEAD_BYTES = 4096  # a document type declaration comes before the root element


@dataclass(frozen=True)
class Limits:
    """What an uploaded spreadsheet may hold. Readers pass their own where they differ."""

    size: int = MAX_UPLOAD_BYTES  # bytes of the upload
    unpacked: int = MAX_UNPACKED_BYTES  # bytes of all zip members, unpacked
    rows: int = MAX_ROWS  # filled rows of the first sheet
    columns: int = MAX_COLUMNS
    cell_chars: int = MAX_CELL_CHARS

    @property
    def area(self) -> int:
        """Cells a sheet may reach from A1 (rows × columns): calamine, which reads .xls and
        .ods, holds that rectangle in memory whatever is filled in it."""
        return self.rows * self.columns


class SpreadsheetRefused(Exception):
    """The upload cannot be read; ``message`` says why, for the user, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- messages ------------------------------------------------------------------------------


def _size(size: int, decimals: int) -> str:
    """1,5 MB or 900 KB, with a decimal comma; whole numbers without decimals."""
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    text = f"{size / 1024 / 1024:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " MB"


def sizes(size: int, limit: int) -> dict[str, str]:
    """The size and the limit as text, precise enough to tell them apart: a file just over
    5 MB reads "5,005 MB; at most 5 MB", one byte over "more than 5 MB; at most 5 MB", never
    "5,0 MB; at most 5 MB"."""
    for decimals in (1, 2, 3):
        texts = {"size": _size(size, decimals), "limit": _size(limit, decimals)}
        if texts["size"] != texts["limit"]:
            return texts
    if size > limit:  # a few bytes over: "more than 5 MB; at most 5 MB"
        texts["size"] = _("more than %(limit)s") % {"limit": texts["limit"]}
    return texts


def too_large_message(size: int, limit: int) -> str:
    return _("The file is too large (%(size)s); the limit is %(limit)s.") % sizes(size, limit)


def count(n: int) -> str:
    """3.000 in Vietnamese, 3,000 in English."""
    return number_format(n, force_grouping=True)


def not_a_workbook_message() -> str:
    return _(
        "The file is not a spreadsheet that can be read here (Excel .xlsx or .xls, "
        "LibreOffice .ods). Open it in Excel or LibreOffice and save it as “Excel Workbook "
        "(.xlsx)”, without a password, then upload it again."
    )


def password_message() -> str:
    return _(
        "The workbook is protected with a password and cannot be read. Open it, remove the "
        "password, save it and upload it again."
    )


def dtd_message() -> str:
    return _(
        "The file contains XML declarations that Office never writes (a document type, "
        "entities); it was not made by Excel or Word and is not read. Open it in Excel or "
        "Word and save it again."
    )


def unpacked_message(size: int, limit: int) -> str:
    return _(
        "The file holds too much data once unpacked (%(size)s); the limit is %(limit)s."
    ) % sizes(size, limit)


def area_message(cell: str, limits: Limits) -> str:
    return _(
        "Cell %(cell)s is filled far away from the list: a sheet may reach at most "
        "%(n)s cells from A1 (rows × columns). Delete the rows and columns outside the list, "
        "save the file and upload it again."
    ) % {"cell": cell, "n": count(limits.area)}
