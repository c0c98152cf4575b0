"""Attendance, results and certificates of a class, for the Organization Board.

A class of a hundred is recorded in a few clicks: "all present" for a session and "all
passed" fill the page for everyone (then the exceptions are changed), or the results sheet
goes out as Excel and comes back filled in. A refused save shows the page as it was typed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.dates import dmy, today
from core.http import download
from units.access import BoardRequiredMixin

from ..choices import Result
from ..forms import CertificateForm, UploadForm
from ..imports import class_results_import
from ..results_xlsx import MAX_UPLOAD_MB, read_results, results_template_xlsx
from ..selectors import class_get, class_roster
from ..services import certificates_issue, class_record
from .lists import error_text


class AttendanceMixin(BoardRequiredMixin):
    @cached_property
    def training_class(self):
        return class_get(user=self.request.user, pk=self.kwargs["pk"])

    @cached_property
    def roster(self):
        return class_roster(user=self.request.user, training_class=self.training_class)

    @cached_property
    def sessions(self):
        return list(self.training_class.sessions.all())

    def page_url(self) -> str:
        return reverse("training:attendance", args=[self.training_class.pk])


class AttendanceView(AttendanceMixin, TemplateView):
    template_name = "training/attendance.html"

    def get_context_data(self, **kwargs):
        """``typed``: the page as posted (present, results) when a save was refused."""
        context = super().get_context_data(**kwargs)
        cls, sessions, roster = self.training_class, self.sessions, self.roster
        typed = kwargs.get("typed")
        day = today()
        for n in roster:
            if typed:
                here = {s for s, ids in typed[0].items() if n.pk in ids}
                n.shown_result = typed[1].get(n.pk, n.result)
            else:
                here = {a.session_id for a in n.attendance.all() if a.present}
                n.shown_result = n.result
            n.cells = [(s, s.pk in here) for s in sessions]
        context.update(
            cls=cls,
            sessions=[(s, s.dated > day) for s in sessions],
            roster=roster,
            results=Result.choices,
            certificate_form=kwargs.get("certificate_form")
            or CertificateForm(initial={"dated": min(cls.last_day or day, day)}),
            upload_form=kwargs.get("upload_form") or UploadForm(),
            upload_max_mb=MAX_UPLOAD_MB,
            import_errors=kwargs.get("import_errors"),
            upload_name=kwargs.get("upload_name", ""),
            save_errors=kwargs.get("save_errors"),
            passed_without=sum(
                1 for n in roster if n.result == Result.PASSED and not n.certificate_number
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "save")
        if action == "certificates":
            return self.certificates()
        cls, roster = self.training_class, self.roster
        present = {
            s.pk: [n.pk for n in roster if request.POST.get(f"present-{s.pk}-{n.pk}")]
            for s in self.sessions
        }
        results = {
            n.pk: request.POST.get(f"result-{n.pk}", "")
            for n in roster
            if f"result-{n.pk}" in request.POST
        }
        done = _("Attendance and results were saved.")
        if action.startswith("all_present-"):
            session = next((s for s in self.sessions if f"all_present-{s.pk}" == action), None)
            if session is not None:  # but not those whose result says they were absent
                present[session.pk] = [
                    n.pk for n in roster if results.get(n.pk, n.result) != Result.ABSENT
                ]
                done = _(
                    "Everyone was marked present on %(day)s. Untick those who were absent "
                    "and save again."
                ) % {"day": dmy(session.dated)}
        elif action == "all_passed":
            results = self.all_passed(present, results)
            done = _(
                "Everyone without a result passed (absent: those at no session). Change the "
                "results of the exceptions and save again."
            )
        try:
            class_record(actor=request.user, training_class=cls, present=present, results=results)
        except ValidationError as exc:
            context = self.get_context_data(typed=(present, results), save_errors=exc.messages)
            return self.render_to_response(context, status=400)
        messages.success(request, done)
        return redirect(self.page_url())

    def all_passed(self, present, results) -> dict[int, str]:
        """Passed for everyone with no result yet; absent for those ticked at no session
        held so far (the others keep theirs)."""
        day = today()
        held = [s.pk for s in self.sessions if s.dated <= day]
        filled = dict(results)
        for n in self.roster:
            if filled.get(n.pk, n.result):
                continue
            attended = any(n.pk in present.get(pk, ()) for pk in held)
            filled[n.pk] = Result.PASSED if attended or not held else Result.ABSENT
        return filled

    def certificates(self):
        request, cls = self.request, self.training_class
        form = CertificateForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(certificate_form=form), status=400)
        try:
            issued = certificates_issue(
                actor=request.user, training_class=cls, dated=form.cleaned_data["dated"]
            )
        except ValidationError as exc:
            form.add_error("dated", error_text(exc))
            return self.render_to_response(self.get_context_data(certificate_form=form), status=400)
        messages.success(request, _("%(n)s certificates were issued.") % {"n": issued})
        return redirect(self.page_url())


class ResultsUploadView(AttendanceMixin, TemplateView):
    """The results sheet filled in: every row checked first, then all or nothing."""

    def get(self, request, *args, **kwargs):
        """The form posts here; opened as a page, the address leads back to the class's
        attendance page."""
        return redirect(self.page_url())

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES)
        errors, name = None, ""
        if form.is_valid():
            upload = form.cleaned_data["file"]
            name = upload.name
            read = read_results(
                upload.read(), roster=self.roster, sessions=self.sessions, today=today()
            )
            errors = read.errors
            if read.ok:
                try:
                    class_results_import(
                        actor=request.user, training_class=self.training_class, read=read
                    )
                except ValidationError as exc:
                    errors = [{"message": m} for m in exc.messages]
                else:
                    messages.success(
                        request,
                        _("%(n)s rows of the file were recorded.") % {"n": read.rows},
                    )
                    return redirect(self.page_url())
        view = AttendanceView()
        view.setup(request, **self.kwargs)
        context = view.get_context_data(upload_form=form, import_errors=errors, upload_name=name)
        return view.render_to_response(context, status=400)


class ResultsTemplateView(AttendanceMixin, View):
    """The results sheet to fill in, with the accepted nominees and what is recorded."""

    def get(self, request, *args, **kwargs):
        cls = self.training_class
        data = results_template_xlsx(training_class=cls, roster=self.roster, sessions=self.sessions)
        return download(data, stem=_("Results %(name)s") % {"name": cls.round.name}, fmt="xlsx")
