"""The organisation tree: units of any depth, their aliases, and who holds which unit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from core.text import fold

from .choices import Audience, Role


class UnitKind(models.Model):
    """A kind of unit (commune committee, party cell, high school, enterprise, ...).

    Kinds are data, not code: Board staff add new ones in the admin. Quotas "for every unit
    of a kind" point here.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    audience = models.CharField(
        _("candidates are"), max_length=20, choices=Audience.choices, blank=True, default=""
    )
    is_committee = models.BooleanField(
        _("is a party committee"),
        default=False,
        help_text=_("A committee over other units (e.g. a commune or agency party committee)."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("unit kind")
        verbose_name_plural = _("unit kinds")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Unit(MP_Node):
    """A node of the organisation tree: a committee, a cell, a school, an enterprise, ...

    The tree has any depth (since 1/7/2025 Vietnam has no district level; nothing here
    assumes one). ``path``/``depth`` come from django-treebeard's materialised path, which
    makes "every unit below these" a single indexed ``path__startswith`` query.
    """

    kind = models.ForeignKey(
        UnitKind, on_delete=models.PROTECT, related_name="units", verbose_name=_("kind")
    )
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short stable identifier, e.g. THPT-HH1. Used by imports and URLs."),
    )
    name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    has_party_organisation = models.BooleanField(_("has a party organisation"), default=False)
    has_trade_union = models.BooleanField(_("has a trade union"), default=False)
    non_state_capital = models.BooleanField(_("non-state capital"), default=False)
    admission_unit = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="admits_for",
        verbose_name=_("unit that runs admissions"),
        help_text=_(
            "For an enterprise without a party organisation: the party unit that runs "
            "the admission of its workers."
        ),
    )
    decides_admissions = models.BooleanField(
        _("decides admissions"),
        default=False,
        help_text=_(
            "Its standing committee (or, where the power is delegated, its executive "
            "committee) decides the admission of party members for the units below it. A unit "
            "is decided for by the nearest such unit above it, or by itself; the top of the "
            "tree decides when none is marked."
        ),
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    # Folded copies (units.text.fold) for accent-insensitive search and alias matching.
    name_key = models.CharField(max_length=255, editable=False, db_index=True, default="")
    short_key = models.CharField(max_length=120, editable=False, db_index=True, default="")

    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True)
                | models.Q(active_from__isnull=True)
                | models.Q(active_to__gte=models.F("active_from")),
                name="unit_active_period_ordered",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = fold(self.name)
        self.short_key = fold(self.short_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "short_key"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.admission_unit_id is None:
            return
        if self.admission_unit_id == self.pk:
            raise ValidationError({"admission_unit": _("A unit cannot run admissions for itself.")})
        if self.has_party_organisation:
            raise ValidationError(
                {
                    "admission_unit": _(
                        "This unit has its own party organisation, which runs its admissions; "
                        "leave this field empty."
                    )
                }
            )
        if not (
            self.admission_unit.has_party_organisation or self.admission_unit.kind.is_committee
        ):
            raise ValidationError(
                {"admission_unit": _("The unit that runs admissions must be a party organisation.")}
            )

    def get_absolute_url(self) -> str:
        return reverse("units:unit_detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_active_on(self, day) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to
        )


class UnitAlias(models.Model):
    """Another spelling of a unit's name, as found in documents and spreadsheets.

    Seed 001 writes one company as "Sơn Uyên" and "Uyên Sơn"; every import and search
    matches units through their name and these aliases.
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("unit")
    )
    name = models.CharField(_("alias"), max_length=255)
    name_key = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="unit_alias_unique",
                violation_error_message=_("This unit already has this alias."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)


class RoleAssignment(models.Model):
    """A user holds a role at a unit, and with it every unit below that unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="role_assignment_unique",
                violation_error_message=_("This user already holds this role at this unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
