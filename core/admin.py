from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is read only: nobody adds, changes or deletes a record of it."""

    list_display = ["created_at", "actor_name", "action", "object_repr", "unit_id"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "action"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
