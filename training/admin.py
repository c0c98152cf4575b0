"""Classes in the Django admin: read-mostly, for Board staff; the class pages do the work
(their services check the rules and write the audit trail)."""

from django.contrib import admin

from .models import ClassSession, Nomination, NomineeList, TrainingClass


class SessionInline(admin.TabularInline):
    model = ClassSession
    extra = 0


@admin.register(TrainingClass)
class TrainingClassAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "round", "audience", "nomination_deadline", "status"]
    list_filter = ["status", "audience", "plan"]
    search_fields = ["name"]
    inlines = [SessionInline]


@admin.register(NomineeList)
class NomineeListAdmin(admin.ModelAdmin):
    list_display = ["unit", "training_class", "status", "submitted_at"]
    list_filter = ["status", "training_class"]
    readonly_fields = ["submitted_at", "submitted_by"]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["candidate", "nominee_list", "status", "result", "certificate_number"]
    list_filter = ["status", "result", "training_class"]
    search_fields = ["candidate__name_key", "candidate__citizen_id", "certificate_number"]
    raw_id_fields = ["candidate", "nominee_list"]
    readonly_fields = ["reviewed_at", "reviewed_by"]

    def has_add_permission(self, request):
        return False  # nominees go on a list through the class pages
