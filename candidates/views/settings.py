"""The Board's settings for the candidates of its units: whether missing papers of the
file refuse a cell resolution or only warn."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from units.access import BoardRequiredMixin

from ..models import PapersRule
from ..services import board_units, papers_rule_set


class PapersSettingView(BoardRequiredMixin, TemplateView):
    template_name = "candidates/settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        units = board_units(user=self.request.user)
        rules = dict(
            PapersRule.objects.filter(unit__in=units).values_list("unit_id", "paper_files_only")
        )
        context["rows"] = [(unit, rules.get(unit.pk, False)) for unit in units]
        return context

    def post(self, request):
        units = {str(u.pk): u for u in board_units(user=request.user)}
        unit = units.get(request.POST.get("unit", ""))
        if unit is None:  # not a unit of this Board
            raise Http404
        paper_only = request.POST.get("paper_files_only") == "1"
        papers_rule_set(actor=request.user, unit=unit, paper_files_only=paper_only)
        message = (
            _("Missing papers now only warn at %(unit)s.")
            if paper_only
            else _("Missing papers now refuse the cell resolution at %(unit)s.")
        )
        messages.success(request, message % {"unit": unit.name})
        return redirect("candidates:settings")
