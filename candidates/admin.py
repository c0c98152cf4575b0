"""Candidates in the Django admin (Board staff), with their stage events read-only: stages
change through the services, which derive the current stage and audit the change."""

from django.contrib import admin

from core.admin import ConcurrentEditAdminMixin, ReadOnlyAdminMixin, ServiceAdminMixin
from core.text import fold

from .models import Candidate, StageEvent
from .services import candidate_delete, candidate_save


class StageEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StageEvent
    extra = 0
    can_delete = False
    readonly_fields = ["stage", "dated", "document_number", "unit", "note", "recorded_by"]
    fields = readonly_fields


@admin.register(Candidate)
class CandidateAdmin(ConcurrentEditAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "date_of_birth", "unit", "category", "stage", "certificate_date"]
    list_filter = ["stage", "category", "sex"]
    search_fields = ["name_key", "citizen_id"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["stage", "certificate_number", "certificate_date"]
    inlines = [StageEventInline]

    def service_save(self, *, actor, obj, form, change):
        candidate_save(actor=actor, candidate=obj)

    def service_delete(self, *, actor, obj):
        candidate_delete(actor=actor, candidate=obj)

    def get_search_results(self, request, queryset, search_term):
        # Search ignores accents: "nguyen van an" finds "Nguyễn Văn An".
        return super().get_search_results(request, queryset, fold(search_term) or search_term)
