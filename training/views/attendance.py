"""Attendance, results and certificates of a class, for the Organization Board."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from units.access import BoardRequiredMixin

from ..choices import Result
from ..forms import CertificateForm
from ..selectors import class_get, class_roster
from ..services import certificates_issue, class_record
from .lists import error_text


class AttendanceView(BoardRequiredMixin, TemplateView):
    template_name = "training/attendance.html"

    @cached_property
    def training_class(self):
        return class_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cls = self.training_class
        sessions = list(cls.sessions.all())
        roster = class_roster(user=self.request.user, training_class=cls)
        for n in roster:
            here = {a.session_id for a in n.attendance.all() if a.present}
            n.cells = [(s, s.pk in here) for s in sessions]
        context.update(
            cls=cls,
            sessions=sessions,
            roster=roster,
            results=Result.choices,
            certificate_form=kwargs.get("certificate_form")
            or CertificateForm(initial={"dated": cls.last_day}),
            passed_without=sum(
                1 for n in roster if n.result == Result.PASSED and not n.certificate_number
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        cls = self.training_class
        if request.POST.get("action") == "certificates":
            form = CertificateForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(
                    self.get_context_data(certificate_form=form), status=400
                )
            try:
                issued = certificates_issue(
                    actor=request.user, training_class=cls, dated=form.cleaned_data["dated"]
                )
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("%(n)s certificates were issued.") % {"n": issued})
            return redirect(reverse("training:attendance", args=[cls.pk]))
        roster = class_roster(user=request.user, training_class=cls)
        sessions = list(cls.sessions.all())
        present = {
            s.pk: [n.pk for n in roster if request.POST.get(f"present-{s.pk}-{n.pk}")]
            for s in sessions
        }
        results = {
            n.pk: request.POST.get(f"result-{n.pk}", "")
            for n in roster
            if f"result-{n.pk}" in request.POST
        }
        try:
            class_record(actor=request.user, training_class=cls, present=present, results=results)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Attendance and results were saved."))
        return redirect(reverse("training:attendance", args=[cls.pk]))
