"""Files attached to records (a plan's signed document) are checked by what they hold, not
by their name: a PDF starts with ``%PDF-``, a PNG and a JPEG with their signatures, a .docx or
.xlsx is a zip whose ``[Content_Types].xml`` names its main part, an .odt a zip whose
``mimetype`` says so, a .doc or .xls an OLE2 container with a Word or Excel stream. A file
whose content is not what its name says ("a PDF named .xlsx") is refused, and so is a
password-protected Office file (nobody else could open it) and a zip that is unsafe to unpack
(``spreadsheets.package_problem``: unpacked size, compression ratio, XML entities).

A handful of signatures for the eight kinds accepted does this without a dependency; a
general detector (``filetype``, ``puremagic``) guesses among hundreds of kinds and would still
need the zip's content types to tell a .docx from an .xlsx.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .spreadsheets import OLE2_MAGIC, package_problem, too_large_message

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENT_UNPACKED = 200 * 1024 * 1024  # pictures in a .docx barely pack
MAX_CONTENT_TYPES_BYTES = 1024 * 1024

KIND_LABELS = {
    "pdf": gettext_lazy("a PDF document"),
    "png": gettext_lazy("a PNG picture"),
    "jpg": gettext_lazy("a JPEG picture"),
    "doc": gettext_lazy("a Word document (.doc)"),
    "docx": gettext_lazy("a Word document (.docx)"),
    "xls": gettext_lazy("an Excel workbook (.xls)"),
    "xlsx": gettext_lazy("an Excel workbook (.xlsx)"),
    "odt": gettext_lazy("an OpenDocument text (.odt)"),
}
EXTENSION_KINDS = {"jpeg": "jpg"}  # other extensions are their kind's name
ENCRYPTED = "encrypted"

_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
]
_OOXML_MAIN = {
    b"wordprocessingml.document.main+xml": "docx",
    b"spreadsheetml.sheet.main+xml": "xlsx",
}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class AttachmentRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _ole2_kind(data: bytes) -> str | None:
    """An OLE2 container's kind by the names of its streams (stored in UTF-16)."""
    if _utf16("EncryptedPackage") in data:
        return ENCRYPTED  # a .docx or .xlsx saved with a password
    if _utf16("WordDocument") in data:
        return "doc"
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "xls"
    return None


def _zip_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            problem = package_problem(archive, unpacked_limit=MAX_ATTACHMENT_UNPACKED)
            if problem:
                raise AttachmentRefused(problem)
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    if member.read(len(_ODT_MIMETYPE) + 1) == _ODT_MIMETYPE:
                        return "odt"
            if "[Content_Types].xml" not in names:
                return None
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                return None
            types = archive.read(info)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return None
    return next((kind for main, kind in _OOXML_MAIN.items() if main in types), None)


def attachment_kind(upload) -> str | None:
    """What ``upload`` (an uploaded or stored file) holds: one of ``KIND_LABELS``,
    ``ENCRYPTED``, or None for anything else. Raises ``AttachmentRefused`` for a zip that is
    unsafe to unpack."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        for signature, kind in _SIGNATURES:
            if head.startswith(signature):
                return kind
        if head.startswith(OLE2_MAGIC):
            return _ole2_kind(upload.read())
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(upload)
        return None
    finally:
        upload.seek(0)


def attachment_problem(upload, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> str | None:
    """Why ``upload`` may not be attached, in the user's language, or None."""
    name = PurePath(upload.name or "").name
    size = upload.size or 0
    if size > max_bytes:
        return too_large_message(size, max_bytes)
    extension = PurePath(name).suffix.lower().lstrip(".")
    named = EXTENSION_KINDS.get(extension, extension)
    if named not in KIND_LABELS:
        return None  # the field's extension validator names the kinds accepted
    try:
        found = attachment_kind(upload)
    except AttachmentRefused as refused:
        return refused.message
    if found == ENCRYPTED:
        return _("“%(name)s” is protected by a password; attach it without the password.") % {
            "name": name
        }
    if found == named:
        return None
    expected = KIND_LABELS.get(named, extension)
    if found is None:
        return _(
            "“%(name)s” is not %(expected)s: its content is of no kind accepted here. Attach "
            "the document itself as PDF, Word, Excel or a picture."
        ) % {"name": name, "expected": expected}
    return _(
        "“%(name)s” is not %(expected)s, as its name says: it holds %(found)s. Attach it "
        "with its real extension, or the right file."
    ) % {"name": name, "expected": expected, "found": KIND_LABELS[found]}


@deconstructible
class AttachmentContentValidator:
    """A model field validator: a newly uploaded file must hold what its name says
    (``attachment_problem``). A file already stored is not read again on every save."""

    def __init__(self, max_bytes: int = MAX_ATTACHMENT_BYTES):
        self.max_bytes = max_bytes

    def __call__(self, value) -> None:
        if not value or getattr(value, "_committed", False):
            return
        problem = attachment_problem(value, max_bytes=self.max_bytes)
        if problem:
            raise ValidationError(problem, code="attachment_content")

    def __eq__(self, other) -> bool:
        return isinstance(other, AttachmentContentValidator) and self.max_bytes == other.max_bytes
