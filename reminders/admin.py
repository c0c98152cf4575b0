"""The Board turns a user's daily digest on or off (the address is on the user's page)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceAdminMixin

from .models import ReminderSetting
from .services import reminder_setting_delete, reminder_setting_save


@admin.register(ReminderSetting)
class ReminderSettingAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["user", "email", "email_digest"]
    list_filter = ["email_digest"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    autocomplete_fields = ["user"]
    fields = ["user", "email_digest"]

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None else []

    @admin.display(description=_("E-mail address"), ordering="user__email")
    def email(self, obj):
        return obj.user.email or "—"

    def service_save(self, *, actor, obj, form, change: bool) -> None:
        reminder_setting_save(
            user=obj.user,
            email=obj.user.email,
            email_digest=obj.email_digest,
            actor=actor,
        )
        if obj.pk is None:  # the admin's message and redirect need the saved row
            obj.pk = type(obj).objects.get(user=obj.user).pk

    def service_delete(self, *, actor, obj) -> None:
        reminder_setting_delete(setting=obj, actor=actor)  # back to the default: digest on
