"""File downloads: one response for every file the app hands out."""

from io import BytesIO

from django.http import FileResponse
from django.utils.cache import add_never_cache_headers

from core.text import ascii_filename

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def download(content: bytes, *, stem: str, fmt: str) -> FileResponse:
    """``content`` as an attachment named ``stem.fmt``, never cached (files hold personal
    data).

    Django's ``FileResponse`` names a Vietnamese file in ``filename*`` (RFC 6266); an ASCII
    ``filename`` is put before it for clients that read only that one.
    """
    name = f"{'-'.join(stem.replace('/', '-').split())}.{fmt}"
    response = FileResponse(
        BytesIO(content),
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(fmt),
    )
    disposition = response["Content-Disposition"]
    if "filename*=" in disposition:
        plain = f"{ascii_filename(stem)}.{fmt}"
        response["Content-Disposition"] = disposition.replace(
            "attachment;", f'attachment; filename="{plain}";', 1
        )
    add_never_cache_headers(response)
    return response
