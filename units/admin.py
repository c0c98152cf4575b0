"""The Board's register of units: a drag-and-drop tree (django-treebeard) with aliases."""

from django.contrib import admin
from django.db import models
from django.forms import TextInput
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import RoleAssignment, Unit, UnitAlias, UnitKind
from .selectors import unit_filter_text
from .services import role_assign

admin.site.site_header = _("PTĐV administration")
admin.site.site_title = _("PTĐV")
admin.site.index_title = _("Organization Board: registers and accounts")


@admin.register(UnitKind)
class UnitKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "audience", "is_committee", "sort_order"]
    list_editable = ["sort_order"]
    prepopulated_fields = {"code": ["name"]}


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["user"]


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


@admin.register(Unit)
class UnitAdmin(AccentInsensitiveSearchMixin, TreeAdmin):
    form = UnitAdminForm
    formfield_overrides = {models.CharField: {"widget": TextInput(attrs={"size": 70})}}
    list_display = ["name", "code", "kind", "has_party_organisation", "has_trade_union"]
    list_filter = ["kind", "has_party_organisation", "has_trade_union", "non_state_capital"]
    search_fields = ["name"]  # replaced by the accent-insensitive search above
    autocomplete_fields = ["admission_unit"]
    inlines = [UnitAliasInline, RoleAssignmentInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is RoleAssignment:
            for obj in formset.new_objects:
                role_assign(actor=request.user, user=obj.user, unit=obj.unit, role=obj.role)

    fieldsets = [
        (None, {"fields": ["kind", "code", "name", "short_name"]}),
        (
            _("Flags"),
            {"fields": ["has_party_organisation", "has_trade_union", "non_state_capital"]},
        ),
        (_("Admissions and validity"), {"fields": ["admission_unit", "active_from", "active_to"]}),
        (_("Position in the tree"), {"fields": ["treebeard_position", "treebeard_ref_node"]}),
    ]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Assignments made here go through ``role_assign``, so Board staff get the admin."""

    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            obj.pk = role_assign(actor=request.user, user=obj.user, unit=obj.unit, role=obj.role).pk
