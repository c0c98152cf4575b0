"""Classes in the Django admin: read-mostly, for Board staff; the class pages do the work
(their services check the rules and write the audit trail). Nominee lists and nominations
are only shown here: deadlines, reviews, results and certificates belong to the class
pages, whose services keep the candidates' stage history in step."""

from django.contrib import admin

from core.admin import (
    ConcurrentEditAdminMixin,
    ReadOnlyAdminMixin,
    ServiceAdminMixin,
    ServiceInlineMixin,
)

from .models import ClassSession, Nomination, NomineeList, TrainingClass
from .services import class_delete, class_save, session_delete, session_save


class SessionInline(ServiceInlineMixin, admin.TabularInline):
    model = ClassSession
    extra = 0

    def service_save(self, *, actor, obj, form):
        session_save(actor=actor, session=obj)

    def service_delete(self, *, actor, obj):
        session_delete(actor=actor, session=obj)


@admin.register(TrainingClass)
class TrainingClassAdmin(ConcurrentEditAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "plan", "round", "audience", "nomination_deadline", "status"]
    list_filter = ["status", "audience", "plan"]
    search_fields = ["name"]
    inlines = [SessionInline]

    def service_save(self, *, actor, obj, form, change):
        class_save(actor=actor, training_class=obj)

    def service_delete(self, *, actor, obj):
        class_delete(actor=actor, training_class=obj)


@admin.register(NomineeList)
class NomineeListAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "training_class", "status", "submitted_at"]
    list_filter = ["status", "training_class"]
    readonly_fields = ["submitted_at", "submitted_by"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["candidate", "nominee_list", "status", "result", "certificate_number"]
    list_filter = ["status", "result", "training_class"]
    search_fields = ["candidate__name_key", "candidate__citizen_id", "certificate_number"]
    raw_id_fields = ["candidate", "nominee_list"]
    readonly_fields = ["reviewed_at", "reviewed_by"]
