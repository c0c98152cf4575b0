"""Report downloads. Access is the object's: ``quotas.selectors.plan_get`` and
``training.selectors.class_get`` decide (404 otherwise), and every format of a report is
drawn from the same selector."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.http import download
from quotas.models import Target
from quotas.selectors import plan_get
from training.selectors import class_get, class_roster

from .annex import annex_table
from .class_sheets import KINDS, class_sheet_pdf, class_sheet_xlsx
from .renderers import ANNEX_RENDERERS

CLASS_SHEET_RENDERERS = {"xlsx": class_sheet_xlsx, "pdf": class_sheet_pdf}


@require_safe
@login_required
def plan_annex(request, pk: int, fmt: str):
    """The annex of a plan ("DANH SÁCH giao chỉ tiêu …") as .xlsx or .pdf."""
    plan = plan_get(user=request.user, pk=pk)
    try:
        table = annex_table(plan=plan)
    except Target.DoesNotExist:
        raise Http404(_("This plan has no annex.")) from None
    return download(ANNEX_RENDERERS[fmt](table), stem=table.file_stem, fmt=fmt)


@require_safe
@login_required
def class_sheet(request, pk: int, kind: str, fmt: str):
    """The roster (danh sách học viên) or the results list of a class, as PDF or Excel."""
    if kind not in KINDS:
        raise Http404
    cls = class_get(user=request.user, pk=pk)
    roster = class_roster(user=request.user, training_class=cls)
    sessions = list(cls.sessions.all())
    data = CLASS_SHEET_RENDERERS[fmt](
        training_class=cls, kind=kind, roster=roster, sessions=sessions
    )
    title = _("Class roster") if kind == "roster" else _("Class results")
    return download(data, stem=f"{title} {cls.round.name} {cls.get_audience_display()}", fmt=fmt)
