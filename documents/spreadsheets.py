"""The one door for uploaded spreadsheets: every .xlsx a user sends is opened here, with the
same guards, so no reader meets a file it should not have opened.

``open_workbook`` refuses, with a Vietnamese message and before openpyxl parses anything, a
file over the size limit, an old .xls or a password-protected workbook (both OLE2
containers), anything that is not a zip holding a workbook, and a zip whose unpacked size
is out of proportion (a "zip bomb"); then a workbook openpyxl cannot read or that has no
sheet. Formulas are never evaluated: cells keep the formula text (``data_only=False``).
"""

import logging
import zipfile
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

logger = logging.getLogger(__name__)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


class SpreadsheetRefused(Exception):
    """The upload cannot be read; ``message`` says why, for the user, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _size(size: int, decimals: int) -> str:
    """1,5 MB or 900 KB, with a decimal comma; whole numbers without decimals."""
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    text = f"{size / 1024 / 1024:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " MB"


def sizes(size: int, limit: int) -> dict[str, str]:
    """The size and the limit as text, precise enough to tell them apart: a file just over
    5 MB reads "5,005 MB; at most 5 MB", never "5,0 MB; at most 5 MB"."""
    for decimals in (1, 2, 3):
        texts = {"size": _size(size, decimals), "limit": _size(limit, decimals)}
        if texts["size"] != texts["limit"]:
            break
    return texts


def not_a_workbook_message() -> str:
    return _(
        "The file is not an Excel workbook (.xlsx). Open it in Excel and save it as “Excel "
        "Workbook (.xlsx)”, without a password, then upload it again."
    )


def _read(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def open_workbook(
    upload,
    *,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    read_only: bool = False,
) -> Workbook:
    """The workbook in ``upload`` (bytes or an uploaded file), or ``SpreadsheetRefused``."""
    size = len(upload) if isinstance(upload, bytes | bytearray) else (upload.size or 0)
    if size > max_bytes:
        raise SpreadsheetRefused(
            _("The file is too large (%(size)s); the limit is %(limit)s.") % sizes(size, max_bytes)
        )
    data = _read(upload)
    if data.startswith(OLE2_MAGIC):
        raise SpreadsheetRefused(
            _(
                "This is an old Excel file (.xls) or a workbook with a password. Open it in "
                "Excel, remove the password and save it as “Excel Workbook (.xlsx)”, then "
                "upload it again."
            )
        )
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetRefused(not_a_workbook_message())
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetRefused(not_a_workbook_message()) from None
    if "xl/workbook.xml" not in names and "[Content_Types].xml" not in names:
        raise SpreadsheetRefused(not_a_workbook_message())
    if unpacked > max_unpacked_bytes:
        raise SpreadsheetRefused(
            _("The file holds too much data once unpacked (%(size)s); the limit is %(limit)s.")
            % sizes(unpacked, max_unpacked_bytes)
        )
    try:
        workbook = load_workbook(BytesIO(data), read_only=read_only, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a broken or foreign file
        logger.info("spreadsheet upload: unreadable file", exc_info=True)
        raise SpreadsheetRefused(not_a_workbook_message()) from None
    if not workbook.worksheets:
        raise SpreadsheetRefused(not_a_workbook_message())
    return workbook
