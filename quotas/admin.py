"""Plans and quotas in the Django admin: a fallback for Board staff, who normally use the
plan pages and the quota grid. Historical totals (years before the app) are entered here."""

from django.contrib import admin

from .models import HistoricalTotal, Plan, Round, Target, TargetValue
from .services import historical_total_record


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "issuer", "issued_on", "year", "status"]
    list_filter = ["status", "year"]
    search_fields = ["number", "title"]
    autocomplete_fields = ["issuer", "area"]
    inlines = [RoundInline]


class TargetValueInline(admin.TabularInline):
    model = TargetValue
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "measure", "starts_on", "ends_on", "is_share", "in_annex"]
    list_filter = ["plan", "measure"]
    search_fields = ["name", "plan__number"]
    inlines = [TargetValueInline]


@admin.register(HistoricalTotal)
class HistoricalTotalAdmin(admin.ModelAdmin):
    list_display = ["unit", "measure", "group", "dated", "count", "source"]
    list_filter = ["measure", "group"]
    autocomplete_fields = ["unit"]
    exclude = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        historical_total_record(actor=request.user, total=obj)
