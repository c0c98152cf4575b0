"""The audit trail in the admin, and the mixins that make every admin write a service call.

A model admin with ``ServiceAdminMixin`` saves and deletes through ``service_save`` and
``service_delete`` (the "delete selected" action too, one object at a time); its inlines
with ``ServiceInlineMixin`` do the same for their rows. An inline without it may only be
read: a change in it is refused rather than written behind the audit trail's back.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from .forms import ConcurrentEditMixin
from .logins import login_unlock
from .models import AuditEvent


def form_changes(form) -> list[str]:
    """The model fields a form changed (not many-to-many ones, which ``save_m2m`` sets)."""
    opts = form._meta.model._meta
    concrete = {f.name for f in opts.concrete_fields}
    return [name for name in form.changed_data if name in concrete]


def form_m2m(form) -> dict:
    """The many-to-many values a form changed, for the service to set."""
    opts = form._meta.model._meta
    many = {f.name for f in opts.many_to_many}
    return {name: form.cleaned_data[name] for name in form.changed_data if name in many}


class ServiceInlineMixin:
    """An inline whose rows are saved by ``service_save`` and deleted by ``service_delete``;
    ``service_save_formset`` may instead handle the whole set in one call."""

    def service_save(self, *, actor, obj, form) -> None:
        raise NotImplementedError

    def service_delete(self, *, actor, obj) -> None:
        raise NotImplementedError

    def service_save_formset(self, *, actor, formset) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            self.service_delete(actor=actor, obj=obj)
        forms = {id(form.instance): form for form in formset.forms}
        for obj in instances:
            self.service_save(actor=actor, obj=obj, form=forms.get(id(obj)))
        formset.save_m2m()


class ConcurrentEditAdminMixin:
    """An admin whose change form will not save over someone else's change since it was
    opened: its form becomes a ``core.forms.ConcurrentEditMixin`` (the refusal is a form
    error naming what the other person changed; what was typed stays), the hidden
    ``opened_as`` field goes on the page, and a save reads the record with its row locked for
    the change view's transaction (the admin validates and saves in one), so the form's
    check holds until the save."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.pop("form", self.form)
        bases = (base,) if issubclass(base, ConcurrentEditMixin) else (ConcurrentEditMixin, base)
        opened_as = forms.CharField(widget=forms.HiddenInput, required=False)
        guarded = type(base.__name__, bases, {ConcurrentEditMixin.OPENED: opened_as})
        return super().get_form(request, obj, change, form=guarded, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if ConcurrentEditMixin.OPENED in flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, (None, {"fields": [ConcurrentEditMixin.OPENED], "classes": ["hidden"]})]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST" and connection.in_atomic_block:
            obj = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        return obj


class ReadOnlyAdminMixin:
    """Shown, never written here: other pages (and their services) change these records."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceAdminMixin:
    """A model admin whose writes are service calls with the acting user."""

    def service_save(self, *, actor, obj, form, change: bool) -> None:
        raise NotImplementedError

    def service_delete(self, *, actor, obj) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        self.service_save(actor=request.user, obj=obj, form=form, change=change)

    def delete_model(self, request, obj):
        self.service_delete(actor=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): the service got the many-to-many values (``form_m2m``).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        inline = next(
            (
                inline
                for inline in self.get_inline_instances(request, form.instance)
                if inline.model is formset.model
            ),
            None,
        )
        if isinstance(inline, ServiceInlineMixin):
            inline.service_save_formset(actor=request.user, formset=formset)
        elif formset.has_changed():
            raise ImproperlyConfigured(
                f"{type(inline).__name__} changes {formset.model.__name__} rows without a service"
            )
        else:  # a read-only inline: nothing to save, nothing for the change message
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail is read only: nobody adds, changes or deletes a record of it."""

    list_display = ["created_at", "actor_name", "action", "object_repr", "unit_id"]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "action"]
    date_hierarchy = "created_at"


# django-axes' admin: the failed-login counts Board staff unlock early by deleting a row.
# Its access logs are off (the audit trail has the logins), so their pages go.
for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(AccessAttempt)
class LoginLockAdmin(ServiceAdminMixin, AccessAttemptAdmin):
    """The failed-login counts of django-axes: shown, and deleted to unlock (audited)."""

    actions = []  # not axes' "clean up expired attempts": it deletes without the audit

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def service_save(self, *, actor, obj, form, change: bool) -> None:  # pragma: no cover
        raise ImproperlyConfigured("Login attempts are written by django-axes only.")

    def service_delete(self, *, actor, obj) -> None:
        login_unlock(actor=actor, attempt=obj)
