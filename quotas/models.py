"""Plans and their targets (quotas), as data.

Every quota shape of the seeds is a ``Target`` of a ``Plan`` plus the numbers that go with
it:

* one number per unit (``TargetValue``): "THPT Hiệp Hòa số 1: at least 20 nominees in
  round 1", "from 8 to 10 admissions by 19/5", the annex of Plan 145;
* one number for a committee, counted over the units below it that match the target's
  "count only in" filter: "Đảng ủy thị trấn Thắng: at least 10 in enterprise cells";
* one number for every unit of a kind (the ``each_*`` fields), which units added later
  inherit: "every THPT at least 1", "each trade-union enterprise sends 2";
* a share (``is_share``): the value is a percentage of everything counted in the same unit
  and period: "at least 2% of new members are workers of non-state enterprises";
* any measure (``Measure``): nominees, certificates, introductions, admissions.

Progress is never stored: ``quotas.progress`` computes it from the counts that the
training and candidates apps supply (``quotas.measures``).
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import dmy, today
from core.text import fold
from documents.attachments import AttachmentContentValidator
from units.models import Unit, UnitKind

from .choices import Measure, PersonGroup, PlanStatus, PlanStatusSetting
from .rules import plan_status


def plan_number_key(number: str) -> str:
    """ "145/KH-HU", "145-KH/HU" and "145 / kh-hu" are the same plan number."""
    return "".join(ch for ch in fold(number) if ch.isalnum())


class Plan(models.Model):
    """A plan (kế hoạch) issued by a committee for a year, with its number as written."""

    number = models.CharField(
        _("number"), max_length=60, help_text=_('As written on the document, e.g. "145/KH-HU".')
    )
    number_key = models.CharField(max_length=60, editable=False, db_index=True, default="")
    title = models.CharField(_("title"), max_length=500)
    issuer = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="plans_issued",
        verbose_name=_("issuing unit"),
    )
    issuer_label = models.CharField(
        _("issued by (as written)"),
        max_length=120,
        blank=True,
        help_text=_('How the document names its issuer, e.g. "BTV Huyện ủy".'),
    )
    area = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("applies to the units under"),
        help_text=_(
            "Targets for every unit of a kind reach the units under this one. "
            "Usually the issuing unit itself."
        ),
    )
    issued_on = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"))
    implements = models.TextField(
        _("implements"),
        blank=True,
        help_text=_("The documents this plan implements, one per line."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlanStatusSetting.choices,
        default=PlanStatusSetting.DRAFT,
        help_text=_(
            "An issued plan is in force from its date to 31/12 of its year and closed after "
            "that, by itself. Choose “kept in force” or “closed” only when the Board decides "
            "otherwise."
        ),
    )
    attachment = models.FileField(
        _("attached file"),
        upload_to="plans/%Y/",
        blank=True,
        max_length=255,
        validators=[
            FileExtensionValidator(
                ["pdf", "doc", "docx", "xls", "xlsx", "odt", "jpg", "png"],
                message=_(
                    "Files of type “%(extension)s” are not accepted. Attach the plan as "
                    "%(allowed_extensions)s."
                ),
            ),
            AttachmentContentValidator(),
        ],
        help_text=_("The signed plan as PDF, Word or a scan (at most 20 MB)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number_key"],
                name="plan_number_unique_per_issuer",
                violation_error_message=_("This unit already has a plan with this number."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1930) & Q(year__lte=2200),
                name="plan_year_plausible",
                violation_error_message=_("The year must be between 1930 and 2200."),
            ),
        ]

    def __str__(self) -> str:
        return _("Plan %(number)s") % {"number": self.number}

    def save(self, *args, **kwargs):
        self.number_key = plan_number_key(self.number)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "number_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("quotas:plan_detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        errors = {}
        self.number_key = plan_number_key(self.number)
        if self.number and not self.number_key:
            errors["number"] = _("The number must contain letters or digits.")
        # The unique constraint is on number_key, which forms do not show: say it here.
        same = Plan.objects.filter(issuer_id=self.issuer_id, number_key=self.number_key)
        if self.issuer_id and self.number_key and same.exclude(pk=self.pk).exists():
            errors["number"] = _("This unit already has a plan with this number.")
        if self.issued_on and self.year and abs(self.issued_on.year - self.year) > 1:
            errors["year"] = _("The year is far from the date of the plan; check both.")
        if errors:
            raise ValidationError(errors)

    def status_on(self, day: date) -> PlanStatus:
        """Where the plan stands on ``day`` (``quotas.rules.plan_status``)."""
        return plan_status(setting=self.status, issued_on=self.issued_on, year=self.year, today=day)

    @property
    def current_status(self) -> PlanStatus:
        """Where the plan stands today: what pages show."""
        return self.status_on(today())

    @property
    def implements_list(self) -> list[str]:
        return [line.strip() for line in self.implements.splitlines() if line.strip()]


class Round(models.Model):
    """A round of awareness classes of a plan: "Đợt 1 – tháng 4/2024".

    Classes (training app) belong to a round; nominee quotas count the round's nominees.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("round"))
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta:
        verbose_name = _("class round")
        verbose_name_plural = _("class rounds")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="round_number_unique",
                violation_error_message=_("This plan already has a round with this number."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="round_period_ordered",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


FLAG_CHOICES = [(None, _("any")), (True, _("yes")), (False, _("no"))]


def _flag(label):
    return models.BooleanField(label, null=True, blank=True, default=None, choices=FLAG_CHOICES)


class Target(models.Model):
    """One quota of a plan: what is counted, over which period, and for which units.

    The numbers live in ``TargetValue`` (one per unit or committee) and in the ``each_*``
    fields (the same number for every unit of a kind in the plan's area, including units
    added later). A unit's own value wins over the "every unit of a kind" value.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan")
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_('Column heading, e.g. "Chỉ tiêu kết nạp Đảng viên" or "Đợt 1 (tháng 4)".'),
    )
    source_text = models.TextField(
        _("as written in the plan"),
        blank=True,
        help_text=_("The sentence of the plan this target comes from."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    measure = models.CharField(_("counts"), max_length=20, choices=Measure.choices)
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("class round"),
        help_text=_("For nominee quotas: only the classes of this round count."),
    )
    starts_on = models.DateField(_("counted from"))
    ends_on = models.DateField(_("deadline"), help_text=_("The milestone: counted up to this day."))
    group = models.CharField(
        _("only these people"),
        max_length=20,
        choices=PersonGroup.choices,
        blank=True,
        default=PersonGroup.EVERYONE,
    )
    is_share = models.BooleanField(
        _("share in percent"),
        default=False,
        help_text=_(
            "The numbers are percentages of everything counted in the same unit and "
            "period: 2 means 2 per cent of all new members."
        ),
    )
    # "Count only in": which units below a committee count towards its number.
    count_kind = models.ForeignKey(
        UnitKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("count only in units of kind"),
    )
    count_party_organisation = _flag(_("count only where a party organisation exists"))
    count_trade_union = _flag(_("count only where a trade union exists"))
    count_non_state = _flag(_("count only in non-state enterprises"))
    # "Every unit of a kind": the same number for each unit that matches.
    each_kind = models.ForeignKey(
        UnitKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("every unit of kind"),
    )
    each_party_organisation = _flag(_("with a party organisation"))
    each_trade_union = _flag(_("with a trade union"))
    each_non_state = _flag(_("with non-state capital"))
    each_min = models.PositiveIntegerField(_("each at least"), null=True, blank=True)
    each_max = models.PositiveIntegerField(_("each at most"), null=True, blank=True)
    in_annex = models.BooleanField(
        _("the plan's annex"),
        default=False,
        help_text=_('This target is the table "DANH SÁCH giao chỉ tiêu" attached to the plan.'),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="target_period_ordered",
                violation_error_message=_("The deadline must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(each_min__isnull=True)
                | Q(each_max__isnull=True)
                | Q(each_max__gte=models.F("each_min")),
                name="target_each_min_le_max",
                violation_error_message=_("The minimum must not be larger than the maximum."),
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(in_annex=True),
                name="target_one_annex_per_plan",
                violation_error_message=_("This plan already has a target marked as its annex."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("quotas:plan_detail", kwargs={"pk": self.plan_id}) + f"#target-{self.pk}"

    def clean(self):
        super().clean()
        errors = {}
        if self.round_id and self.plan_id and self.round.plan_id != self.plan_id:
            errors["round"] = _("The round belongs to another plan.")
        has_each = self.each_min is not None or self.each_max is not None
        if has_each and self.each_kind_id is None and not self.each_flags():
            errors["each_kind"] = _(
                "Say which units get this number: choose a kind of unit or a condition."
            )
        if self.is_share:
            for name in ("each_min", "each_max"):
                value = getattr(self, name)
                if value is not None and value > 100:
                    errors[name] = _("A share is a percentage: at most 100.")
        if errors:
            raise ValidationError(errors)

    def each_flags(self) -> dict[str, bool]:
        """The unit conditions of the "every unit of a kind" number, as Unit field lookups."""
        return _flags(self, "each")

    def count_flags(self) -> dict[str, bool]:
        return _flags(self, "count")

    @property
    def has_each(self) -> bool:
        return self.each_min is not None or self.each_max is not None


_FLAG_FIELDS = {
    "party_organisation": "has_party_organisation",
    "trade_union": "has_trade_union",
    "non_state": "non_state_capital",
}


def _flags(target: Target, prefix: str) -> dict[str, bool]:
    flags = {}
    for suffix, unit_field in _FLAG_FIELDS.items():
        value = getattr(target, f"{prefix}_{suffix}")
        if value is not None:
            flags[unit_field] = value
    return flags


class TargetValue(models.Model):
    """The number of one target for one unit (or committee): at least ``minimum``, at most
    ``maximum`` ("from 8 to 10"); for shares, percentages."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="values", verbose_name=_("target")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="target_values", verbose_name=_("unit")
    )
    minimum = models.PositiveIntegerField(_("at least"), null=True, blank=True)
    maximum = models.PositiveIntegerField(_("at most"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # Where the unit appears in the plan's annex table (heading and order), when it differs
    # from the unit tree: Plan 145 lists its enterprises in its own order.
    section = models.CharField(_("annex section"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("order in the annex"), null=True, blank=True)

    class Meta:
        verbose_name = _("target value")
        verbose_name_plural = _("target values")
        ordering = ["target", "position", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "unit"],
                name="target_value_unique",
                violation_error_message=_("This unit already has a number for this target."),
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=False) | Q(maximum__isnull=False),
                name="target_value_not_empty",
                violation_error_message=_("Give at least a minimum or a maximum."),
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(maximum__gte=models.F("minimum")),
                name="target_value_min_le_max",
                violation_error_message=_("The minimum must not be larger than the maximum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.unit}"


class HistoricalTotal(models.Model):
    """A count from before the app existed, e.g. "2021: 2 students admitted at THPT Đức
    Trọng" (seed 002). Counted by the same progress selector as the app's own records."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="historical_totals", verbose_name=_("unit")
    )
    measure = models.CharField(_("counts"), max_length=20, choices=Measure.choices)
    group = models.CharField(
        _("people"),
        max_length=20,
        choices=PersonGroup.choices,
        blank=True,
        default=PersonGroup.EVERYONE,
    )
    dated = models.DateField(
        _("dated"), help_text=_("The day the counted records are dated, e.g. 31/12/2021.")
    )
    count = models.PositiveIntegerField(_("number"))
    quota = models.PositiveIntegerField(
        _("quota"),
        null=True,
        blank=True,
        help_text=_(
            "The year's quota for this measure at this unit, if known (on the row for "
            "everyone; reports show it beside the count)."
        ),
    )
    source = models.CharField(_("source document"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("historical total")
        verbose_name_plural = _("historical totals")
        ordering = ["-dated", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "measure", "group", "dated"],
                name="historical_total_unique",
                violation_error_message=_("There is already a total for this unit, day and group."),
            ),
            models.CheckConstraint(
                condition=Q(quota__isnull=True) | Q(group=PersonGroup.EVERYONE),
                name="historical_total_quota_for_everyone",
                violation_error_message=_(
                    "A quota is kept only on the total for everyone, not on a group's."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_measure_display()} · {dmy(self.dated)}: {self.count}"
