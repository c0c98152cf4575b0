"""Candidates in the Django admin (Board staff), with their stage events read-only: stages
change through the services, which derive the current stage and audit the change."""

from django.contrib import admin

from core.text import fold

from .models import Candidate, StageEvent


class StageEventInline(admin.TabularInline):
    model = StageEvent
    extra = 0
    can_delete = False
    readonly_fields = ["stage", "dated", "document_number", "unit", "note", "recorded_by"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date_of_birth", "unit", "category", "stage", "certificate_date"]
    list_filter = ["stage", "category", "sex"]
    search_fields = ["name_key", "citizen_id"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["stage", "certificate_number", "certificate_date"]
    inlines = [StageEventInline]

    def get_search_results(self, request, queryset, search_term):
        # Search ignores accents: "nguyen van an" finds "Nguyễn Văn An".
        return super().get_search_results(request, queryset, fold(search_term) or search_term)
