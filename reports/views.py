"""The "Báo cáo" section: the kinds of report, a report's page (parameters, preview,
downloads, issuing), the archive, and the quota annex and class sheets.

Access is the scope's: ``reports.scope.report_scope`` reads the plan and the unit through the
same selectors as every page (404 otherwise); an archived report is readable by whoever may
see its unit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView

from core.dates import today
from core.http import download
from quotas.models import Target
from quotas.selectors import plan_current, plan_get, plan_list
from training.selectors import class_get, class_list, class_roster
from units.selectors import unit_list, user_can_change, user_sees_personal_data

from .annex import annex_table
from .class_sheets import KINDS as SHEET_KINDS
from .class_sheets import class_sheet_pdf, class_sheet_xlsx
from .forms import LetterheadForm, ReportParamsForm, default_issue_day
from .kinds import KINDS, build_document
from .kinds.base import recipients, signature
from .models import IssuedReport, ReportStatus
from .renderers import ANNEX_RENDERERS
from .scope import Scope, report_scope
from .services import FORMATS, is_large, report_build, report_issue
from .tasks import report_enqueue

CLASS_SHEET_RENDERERS = {"xlsx": class_sheet_xlsx, "pdf": class_sheet_pdf}


def _kind(key: str):
    kind = KINDS.get(key)
    if kind is None:
        raise Http404
    return kind


def _params_form(request, kind) -> ReportParamsForm:
    """The report's parameters from the address; 404 for a plan or unit the user may not
    see (as every page answers), not a form error that would confirm it exists."""
    data = request.GET.copy()
    for name, allowed in (
        ("ke_hoach", plan_list(user=request.user)),
        ("don_vi", unit_list(user=request.user)),
    ):
        value = data.get(name)
        if value and not (value.isascii() and value.isdigit()):
            raise Http404
        if value and not allowed.filter(pk=int(value)).exists():
            raise Http404
    if "ke_hoach" not in data:
        plan = plan_current(user=request.user, on=today())
        if plan is not None:
            data["ke_hoach"] = str(plan.pk)
    if not any(data.get(name) for name in ("ky", "tu_ngay", "den_ngay")):
        data["ky"] = "q1"  # an interim report opens on a period, not on an error
    return ReportParamsForm(data, user=request.user, kind=kind)


def _scope(request, form: ReportParamsForm, letterhead=None) -> Scope:
    data = form.cleaned_data
    unit = data.get("don_vi")
    return report_scope(
        user=request.user,
        plan_pk=data["ke_hoach"].pk,
        unit_pk=unit.pk if unit else None,
        start=data.get("start"),
        end=data.get("end"),
        letterhead=letterhead,
    )


@require_safe
@login_required
def report_index(request):
    """The kinds of report, the plan's annex and classes, and the latest archived reports."""
    plans = list(plan_list(user=request.user)[:10])
    plan = plan_current(user=request.user, on=today())
    return render(
        request,
        "reports/index.html",
        {
            "kinds": KINDS.values(),
            "plans": plans,
            "plan": plan,
            "classes": list(class_list(user=request.user).filter(plan=plan)) if plan else [],
            "archive": archive_list(user=request.user)[:5],
        },
    )


@require_safe
@login_required
def report_page(request, kind: str):
    """A report's parameters, its preview on screen and its downloads."""
    kind = _kind(kind)
    form = _params_form(request, kind)
    context = {"kind": kind, "form": form, "formats": FORMATS}
    if form.is_valid():
        try:
            scope = _scope(request, form)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            context["scope"] = scope
            context["large"] = is_large(scope)
            if not context["large"]:
                try:
                    context["doc"] = build_document(kind.key, scope, user=request.user)
                except ValueError as exc:
                    form.add_error(None, str(exc))
            context["query"] = request.GET.urlencode() or form.data.urlencode()
            context["may_issue"] = user_can_change(user=request.user, unit=scope.root)
            context["letterhead_form"] = LetterheadForm(
                initial={
                    "fmt": "pdf",
                    "issued_on": default_issue_day(scope.end),
                    "mandate": signature(scope).mandate,
                    "recipients": "\n".join(recipients(scope)),
                }
            )
    return render(request, "reports/report.html", context)


@require_safe
@login_required
def report_download(request, kind: str, fmt: str):
    """The report as a file (not archived): built now, or by the worker when it is large."""
    kind = _kind(kind)
    form = _params_form(request, kind)
    if not form.is_valid():
        messages.error(request, _("Check the report's parameters."))
        return HttpResponseRedirect(reverse("reports:report", args=[kind.key]))
    try:
        scope = _scope(request, form)
        if is_large(scope, fmt):
            report = report_enqueue(actor=request.user, kind=kind.key, scope=scope, fmt=fmt)
            messages.info(request, _("The report is large: it is being built in the background."))
            return HttpResponseRedirect(report.get_absolute_url())
        built = report_build(kind=kind.key, scope=scope, user=request.user, fmt=fmt)
    except ValueError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("reports:report", args=[kind.key]))
    return download(built.content, stem=built.stem, fmt=fmt)


@require_POST
@login_required
def report_issue_view(request, kind: str):
    """Issue a report: its number, date, signer and recipients typed once; the file kept."""
    kind = _kind(kind)
    form = _params_form(request, kind)
    letterhead = LetterheadForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the report's parameters."))
        return HttpResponseRedirect(reverse("reports:report", args=[kind.key]))
    scope = _scope(request, form)
    if not user_can_change(user=request.user, unit=scope.root):
        raise PermissionDenied(_("Only those who work for this unit issue its reports."))
    context = {
        "kind": kind,
        "form": form,
        "formats": FORMATS,
        "letterhead_form": letterhead,
        "scope": scope,
        "query": request.GET.urlencode(),
        "may_issue": True,
    }
    if not letterhead.is_valid():
        messages.error(request, _("The report was not issued: check the fields in red."))
        return render(request, "reports/report.html", context, status=400)
    scope = _scope(request, form, letterhead.letterhead())
    fmt = letterhead.cleaned_data["fmt"]
    if is_large(scope, fmt):
        report = report_enqueue(actor=request.user, kind=kind.key, scope=scope, fmt=fmt)
    else:
        try:
            report = report_issue(actor=request.user, kind=kind.key, scope=scope, fmt=fmt)
        except ValueError as exc:  # the report cannot be built (e.g. no milestone): say why
            form.add_error(None, str(exc))
            return render(request, "reports/report.html", context, status=400)
        messages.success(
            request,
            _("Report No. %(number)s is issued and kept in the archive.")
            % {"number": report.number},
        )
    return HttpResponseRedirect(report.get_absolute_url())


# --- the archive ------------------------------------------------------------------------------


def archive_list(*, user):
    """Archived reports of the units the user may see, newest first."""
    return IssuedReport.objects.filter(unit__in=unit_list(user=user)).select_related(
        "plan", "unit", "created_by"
    )


class ArchiveListView(LoginRequiredMixin, ListView):
    template_name = "reports/archive_list.html"
    context_object_name = "reports"
    paginate_by = 50
    page_kwarg = "trang"

    def get_queryset(self):
        return archive_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, kinds=KINDS)


class ArchiveDetailView(LoginRequiredMixin, DetailView):
    template_name = "reports/archive_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return archive_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        report = self.object
        waiting = report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
        return super().get_context_data(**kwargs, kind=KINDS.get(report.kind), waiting=waiting)


@require_safe
@login_required
def archive_file(request, pk: int):
    """The exact file that was issued."""
    report = get_object_or_404(archive_list(user=request.user), pk=pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404(_("This report's file is not ready."))
    with report.file.open("rb") as fh:
        content = fh.read()
    stem = report.file_name.rsplit(".", 1)[0] or report.title
    return download(content, stem=stem, fmt=report.fmt)


# --- the annex and the class sheets -------------------------------------------------------------


@require_safe
@login_required
def plan_annex(request, pk: int, fmt: str):
    """The annex of a plan ("DANH SÁCH giao chỉ tiêu …") as .xlsx or .pdf."""
    if fmt not in ANNEX_RENDERERS:
        raise Http404
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
    if kind not in SHEET_KINDS or fmt not in CLASS_SHEET_RENDERERS:
        raise Http404
    cls = class_get(user=request.user, pk=pk)
    roster = class_roster(user=request.user, training_class=cls)
    sessions = list(cls.sessions.all())
    data = CLASS_SHEET_RENDERERS[fmt](
        training_class=cls,
        kind=kind,
        roster=roster,
        sessions=sessions,
        full_birth=lambda unit: user_sees_personal_data(user=request.user, unit=unit),
    )
    title = _("Class roster") if kind == "roster" else _("Class results")
    return download(data, stem=f"{title} {cls.round.name} {cls.get_audience_display()}", fmt=fmt)
