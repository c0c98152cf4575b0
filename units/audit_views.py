"""The audit page ("Nhật ký thay đổi") and one object's history ("Lịch sử thay đổi")."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView

from core.history import describe, object_name

from .access import BoardRequiredMixin
from .audit import AuditEventFilterSet, audit_event_list, object_history

PER_PAGE = 50


class AuditLogView(BoardRequiredMixin, TemplateView):
    """Every event the Board may read, newest first, filtered by who, unit, what and when."""

    template_name = "units/audit_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = AuditEventFilterSet(
            self.request.GET or None,
            queryset=audit_event_list(user=self.request.user),
            user=self.request.user,
        )
        events = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        page = Paginator(events.order_by("-created_at", "-pk"), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=filterset,
            page=page,
            entries=describe(page.object_list),
            query=query.urlencode(),
            filtered=any(v for k, v in self.request.GET.items() if k != "page"),
        )
        return context


class ObjectHistoryView(BoardRequiredMixin, TemplateView):
    """What happened to one record: every event that named it or changed it."""

    template_name = "units/object_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        object_type = get_object_or_404(ContentType, pk=self.kwargs["type_id"])
        object_id = str(self.kwargs["object_id"])
        events = object_history(
            user=self.request.user, object_type=object_type, object_id=object_id
        )
        page = Paginator(events.order_by("-created_at", "-pk"), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        model = object_type.model_class()
        context.update(
            name=object_name(object_type, object_id),
            kind=model._meta.verbose_name if model is not None else object_type.model,
            page=page,
            entries=describe(page.object_list, focus=(object_type, object_id)),
            back=self._back(),
        )
        return context

    def _back(self) -> str:
        """The page the user came from (a path of this site only)."""
        back = self.request.GET.get("next", "")
        allowed = url_has_allowed_host_and_scheme(
            back, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return back if allowed and back.startswith("/") else ""
