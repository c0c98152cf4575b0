"""Plans, targets and the progress dashboard (being written)."""

from django.http import HttpResponse
from django.views import View


class _Stub(View):  # pragma: no cover - placeholder while the views are written
    def get(self, request, *args, **kwargs):
        return HttpResponse("…")


PlanListView = PlanCreateView = PlanDetailView = PlanUpdateView = DashboardView = _Stub
RoundCreateView = RoundUpdateView = TargetCreateView = TargetUpdateView = _Stub
TargetDeleteView = _Stub
