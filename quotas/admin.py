"""Plans and quotas in the Django admin: a fallback for Board staff, who normally use the
plan pages and the quota grid. Historical totals (years before the app) are entered here."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.admin import ConcurrentEditAdminMixin, ServiceAdminMixin, ServiceInlineMixin
from core.forms import AdminStoredFileInput

from .models import HistoricalTotal, Plan, Round, Target, TargetValue
from .services import (
    historical_total_delete,
    historical_total_record,
    plan_delete,
    plan_save,
    round_delete,
    round_save,
    target_delete,
    target_save,
    target_value_delete,
    target_value_save,
)


class RoundInline(ServiceInlineMixin, admin.TabularInline):
    model = Round
    extra = 0

    def service_save(self, *, actor, obj, form):
        round_save(actor=actor, round=obj)

    def service_delete(self, *, actor, obj):
        round_delete(actor=actor, round=obj)


@admin.register(Plan)
class PlanAdmin(ConcurrentEditAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["number", "title", "issuer", "issued_on", "year", "status_today", "status"]
    list_filter = ["status", "year"]
    search_fields = ["number", "title"]
    autocomplete_fields = ["issuer", "area"]
    inlines = [RoundInline]

    @admin.display(description=_("Status today"))
    def status_today(self, plan: Plan) -> str:
        """Where the plan stands today (its dates and the Board's setting, as the pages show
        it); the ``status`` column is the Board's setting."""
        return plan.current_status.label

    def get_form(self, request, obj=None, **kwargs):
        """The attached file's link is the app's access-checked download, not the storage's
        address (docs/deploy.md)."""
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "attachment" in form.base_fields:
            form.base_fields["attachment"].widget = AdminStoredFileInput(
                download_url=reverse("quotas:plan_attachment", args=[obj.pk])
            )
        return form

    def service_save(self, *, actor, obj, form, change):
        plan_save(actor=actor, plan=obj)

    def service_delete(self, *, actor, obj):
        plan_delete(actor=actor, plan=obj)


class TargetValueInline(ServiceInlineMixin, admin.TabularInline):
    model = TargetValue
    extra = 0
    autocomplete_fields = ["unit"]

    def service_save(self, *, actor, obj, form):
        target_value_save(actor=actor, value=obj)

    def service_delete(self, *, actor, obj):
        target_value_delete(actor=actor, value=obj)


@admin.register(Target)
class TargetAdmin(ConcurrentEditAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "plan", "measure", "starts_on", "ends_on", "is_share", "in_annex"]
    list_filter = ["plan", "measure"]
    search_fields = ["name", "plan__number"]
    inlines = [TargetValueInline]

    def service_save(self, *, actor, obj, form, change):
        target_save(actor=actor, target=obj)

    def service_delete(self, *, actor, obj):
        target_delete(actor=actor, target=obj)


@admin.register(HistoricalTotal)
class HistoricalTotalAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "measure", "group", "dated", "count", "quota", "source"]
    list_filter = ["measure", "group"]
    autocomplete_fields = ["unit"]
    exclude = ["recorded_by"]

    def service_save(self, *, actor, obj, form, change):
        historical_total_record(actor=actor, total=obj)

    def service_delete(self, *, actor, obj):
        historical_total_delete(actor=actor, total=obj)
