"""Report downloads. Access is the plan's: ``quotas.selectors.plan_get`` decides (404
otherwise), and every format is drawn from the same selector."""

import re
import unicodedata
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from quotas.models import Target
from quotas.selectors import plan_get

from .annex import annex_table
from .renderers import ANNEX_RENDERERS, CONTENT_TYPES

_NOT_SAFE = re.compile(r"[^A-Za-z0-9]+")


def ascii_filename(stem: str) -> str:
    """ "Phụ lục chỉ tiêu 145-KH-HU 2024" -> "Phu-luc-chi-tieu-145-KH-HU-2024": accents off,
    đ -> d, case kept, anything else between words -> "-"."""
    decomposed = unicodedata.normalize("NFD", stem)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("đ", "d").replace("Đ", "D")
    return _NOT_SAFE.sub("-", plain).strip("-") or "report"


def attachment(content: bytes, *, stem: str, fmt: str) -> HttpResponse:
    """A download named ``stem.fmt``: an ASCII name for old clients, the Vietnamese one in
    ``filename*`` (RFC 6266)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    plain = f"{ascii_filename(stem)}.{fmt}"
    full = quote(f"{'-'.join(stem.split())}.{fmt}", safe="")
    response["Content-Disposition"] = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{full}"
    return response


@require_safe
@never_cache
@login_required
def plan_annex(request, pk: int, fmt: str):
    """The annex of a plan ("DANH SÁCH giao chỉ tiêu …") as .xlsx or .pdf."""
    plan = plan_get(user=request.user, pk=pk)
    try:
        table = annex_table(plan=plan)
    except Target.DoesNotExist:
        raise Http404(_("This plan has no annex.")) from None
    return attachment(ANNEX_RENDERERS[fmt](table), stem=table.file_stem, fmt=fmt)
