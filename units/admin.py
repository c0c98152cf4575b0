"""The Board's register of units: a drag-and-drop tree (django-treebeard) with aliases,
role assignments and the user accounts. Every change goes through ``units.services``."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms import TextInput
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.exceptions import InvalidMoveToDescendant, InvalidPosition, PathOverflow
from treebeard.forms import movenodeform_factory

from core.admin import (
    ConcurrentEditAdminMixin,
    ServiceAdminMixin,
    ServiceInlineMixin,
    form_changes,
    form_m2m,
)

from .models import RoleAssignment, Unit, UnitAlias, UnitKind
from .selectors import unit_filter_text
from .services import (
    account_delete,
    account_password_audit,
    account_save,
    group_delete,
    group_save,
    role_assign,
    role_assignment_update,
    role_revoke,
    unit_delete,
    unit_kind_delete,
    unit_kind_save,
    unit_move,
    unit_save,
    unit_set_aliases,
)

admin.site.site_header = _("PTĐV administration")
admin.site.site_title = _("PTĐV")
admin.site.index_title = _("Organization Board: registers and accounts")


@admin.register(UnitKind)
class UnitKindAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "audience", "is_committee", "sort_order"]
    list_editable = ["sort_order"]
    prepopulated_fields = {"code": ["name"]}

    def service_save(self, *, actor, obj, form, change):
        unit_kind_save(actor=actor, kind=obj, fields=form_changes(form))

    def service_delete(self, *, actor, obj):
        unit_kind_delete(actor=actor, kind=obj)


class UnitAliasInline(ServiceInlineMixin, admin.TabularInline):
    """The aliases are set all at once by ``unit_set_aliases``."""

    model = UnitAlias
    extra = 1

    def service_save_formset(self, *, actor, formset):
        formset.save(commit=False)
        kept = [
            form.cleaned_data["name"]
            for form in formset.forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]
        unit_set_aliases(actor=actor, unit=formset.instance, aliases=kept)


def _role_assignment_save(*, actor, obj, form) -> None:
    if obj.pk is None:
        obj.pk = role_assign(actor=actor, user=obj.user, unit=obj.unit, role=obj.role).pk
        obj._state.adding = False
    else:
        role_assignment_update(actor=actor, assignment=obj, fields=form_changes(form))


class RoleAssignmentInline(ServiceInlineMixin, admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["user"]

    def service_save(self, *, actor, obj, form):
        _role_assignment_save(actor=actor, obj=obj, form=form)

    def service_delete(self, *, actor, obj):
        role_revoke(actor=actor, assignment=obj)


class AccentInsensitiveSearchMixin:
    """Admin search that ignores accents and đ/d, through the folded ``name_key`` columns."""

    def get_search_results(self, request, queryset, search_term):
        return unit_filter_text(queryset, search_term), False


class UnitAdminForm(movenodeform_factory(Unit)):
    """treebeard's move form, with its position fields in Vietnamese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        position = self.fields["treebeard_position"]
        position.label = _("Position")
        position.choices = [
            ("first-child", _("First unit under")),
            ("left", _("Just before")),
            ("right", _("Just after")),
        ]
        ref = self.fields["treebeard_ref_node"]
        ref.label = _("Relative to")
        ref.empty_label = _("-- top of the tree --")


class _MoveForm(forms.Form):
    node = forms.ModelChoiceField(queryset=Unit.objects.all())
    target = forms.ModelChoiceField(queryset=Unit.objects.all())
    relation = forms.ChoiceField(choices=(("child", "child"), ("sibling", "sibling")))


_TREE_FIELDS = {"treebeard_position", "treebeard_ref_node"}


@admin.register(Unit)
class UnitAdmin(
    ConcurrentEditAdminMixin, ServiceAdminMixin, AccentInsensitiveSearchMixin, TreeAdmin
):
    form = UnitAdminForm
    formfield_overrides = {models.CharField: {"widget": TextInput(attrs={"size": 70})}}
    list_display = ["name", "code", "kind", "has_party_organisation", "has_trade_union"]
    list_filter = ["kind", "has_party_organisation", "has_trade_union", "non_state_capital"]
    search_fields = ["name"]  # replaced by the accent-insensitive search above
    autocomplete_fields = ["admission_unit"]
    inlines = [UnitAliasInline, RoleAssignmentInline]

    def save_form(self, request, form, change):
        # treebeard's form writes the tree itself; here ``unit_save`` does, in save_model.
        return form.instance

    def service_save(self, *, actor, obj, form, change):
        moved = change is False or bool(_TREE_FIELDS & set(form.changed_data))
        unit = unit_save(
            actor=actor,
            unit=obj,
            fields=form_changes(form),
            target=form.cleaned_data.get("treebeard_ref_node"),
            position=form.cleaned_data.get("treebeard_position") if moved else None,
        )
        obj.pk = unit.pk

    def service_delete(self, *, actor, obj):
        unit_delete(actor=actor, unit=obj)

    def move_node(self, request):
        """The drag and drop of the tree (treebeard's view and messages), through ``unit_move``."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        form = _MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Invalid form data provided"))
            return HttpResponseBadRequest("Invalid form data provided")
        node, target = form.cleaned_data["node"], form.cleaned_data["target"]
        relation = form.cleaned_data["relation"]
        if not self.has_change_permission(request, node):
            messages.error(request, gettext("You do not have permission to change this object."))
            raise PermissionDenied
        position = "last-child" if relation == "child" else "left"
        try:
            unit_move(actor=request.user, unit=node, parent=target, position=position)
        except (PathOverflow, InvalidMoveToDescendant, InvalidPosition) as exc:
            messages.error(request, gettext(str(exc)))
            return HttpResponseBadRequest("Exception raised during move")
        msg = (
            gettext('Moved node "%(node)s" as child of "%(other)s"')
            if relation == "child"
            else gettext('Moved node "%(node)s" as sibling of "%(other)s"')
        )
        messages.info(request, msg % {"node": node, "other": target})
        return HttpResponse("OK")

    fieldsets = [
        (None, {"fields": ["kind", "code", "name", "short_name"]}),
        (
            _("Flags"),
            {"fields": ["has_party_organisation", "has_trade_union", "non_state_capital"]},
        ),
        (
            _("Admissions and validity"),
            {"fields": ["admission_unit", "decides_admissions", "active_from", "active_to"]},
        ),
        (_("Position in the tree"), {"fields": ["treebeard_position", "treebeard_ref_node"]}),
    ]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Assignments made here go through ``role_assign``, so Board staff get the admin."""

    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]

    def service_save(self, *, actor, obj, form, change):
        _role_assignment_save(actor=actor, obj=obj, form=form)

    def service_delete(self, *, actor, obj):
        role_revoke(actor=actor, assignment=obj)


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class AccountAdmin(ServiceAdminMixin, UserAdmin):
    """Django's user admin, with its writes audited by ``units.services``."""

    def service_save(self, *, actor, obj, form, change):
        account_save(actor=actor, user=obj, fields=form_changes(form), m2m=form_m2m(form))

    def service_delete(self, *, actor, obj):
        account_delete(actor=actor, user=obj)

    def user_change_password(self, request, id, form_url=""):
        """Django's password page (its form sets the password), in one transaction with the
        audit row."""
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                user.refresh_from_db(fields=["password"])
                if user.password != before:
                    account_password_audit(actor=request.user, user=user)
        return response


@admin.register(Group)
class AccountGroupAdmin(ServiceAdminMixin, GroupAdmin):
    def service_save(self, *, actor, obj, form, change):
        group_save(actor=actor, group=obj, fields=form_changes(form), m2m=form_m2m(form))

    def service_delete(self, *, actor, obj):
        group_delete(actor=actor, group=obj)
