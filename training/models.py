"""Party-awareness classes, the units' nominee lists, attendance and certificates.

A class belongs to a plan's round ("Đợt 1 – tháng 4/2024"). Each unit sends one nominee
list per class; the Board accepts or returns each nominee; after the class every accepted
nominee gets a result and, when passed, a certificate (form CN-NTVĐ, valid 60 months).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from core.dates import dmy
from quotas.models import Plan, Round
from units.models import Unit

from .choices import ClassAudience, ClassStatus, ListStatus, NominationStatus, Result


class TrainingClass(models.Model):
    """A party-awareness class (lớp bồi dưỡng nhận thức về Đảng) run by the political centre."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="classes", verbose_name=_("plan")
    )
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="classes", verbose_name=_("round")
    )
    name = models.CharField(_("name"), max_length=200)
    audience = models.CharField(_("audience"), max_length=10, choices=ClassAudience.choices)
    organiser = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="organised_classes",
        verbose_name=_("organiser"),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("The capacity must be at least 1."))],
    )
    nomination_deadline = models.DateField(_("deadline for nominations"))
    status = models.CharField(
        _("status"), max_length=12, choices=ClassStatus.choices, default=ClassStatus.PLANNED
    )
    certificate_prefix = models.CharField(
        _("certificate number prefix"),
        max_length=20,
        blank=True,
        help_text=_('Certificates are numbered from it: "NTVĐ-2024/1-" gives NTVĐ-2024/1-001.'),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("awareness class")
        verbose_name_plural = _("awareness classes")
        ordering = ["-plan__year", "round__number", "nomination_deadline", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("training:class_detail", args=[self.pk])

    @property
    def first_day(self):
        sessions = list(self.sessions.all())
        return sessions[0].dated if sessions else None

    @property
    def last_day(self):
        sessions = list(self.sessions.all())
        return sessions[-1].dated if sessions else None


class ClassSession(models.Model):
    """One day of a class (Sunday classes are normal)."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("class")
    )
    dated = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        ordering = ["training_class", "dated", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "dated"],
                name="session_one_per_day",
                violation_error_message=_("The class already has a session on this day."),
            ),
        ]

    def __str__(self) -> str:
        return dmy(self.dated)


class NomineeList(models.Model):
    """What one unit sends to one class: built by its secretary (or, for an enterprise without
    a party organisation, by its committee), submitted, reviewed by the Board."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="lists", verbose_name=_("class")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="nominee_lists", verbose_name=_("unit")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    returned_reason = models.TextField(_("reason for returning the list"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("nominee list")
        verbose_name_plural = _("nominee lists")
        ordering = ["training_class", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "unit"],
                name="nominee_list_one_per_unit",
                violation_error_message=_("This unit already has a list for this class."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.training_class}"

    def get_absolute_url(self) -> str:
        return reverse("training:list_detail", args=[self.training_class_id, self.unit_id])


class Nomination(models.Model):
    """One candidate on a unit's list for a class, and what became of them there."""

    nominee_list = models.ForeignKey(
        NomineeList, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("list")
    )
    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("class")
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("candidate")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NominationStatus.choices,
        default=NominationStatus.DRAFT,
    )
    nominated_on = models.DateField(_("nominated on"), null=True, blank=True)
    reason = models.TextField(_("reason for returning"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    result = models.CharField(
        _("result"), max_length=8, choices=Result.choices, default=Result.NONE, blank=True
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["nominee_list", "candidate__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "candidate"],
                name="nomination_once_per_class",
                violation_error_message=_("This person is already on a list for this class."),
            ),
            models.UniqueConstraint(
                fields=["training_class", "certificate_number"],
                condition=~Q(certificate_number=""),
                name="certificate_number_unique",
                violation_error_message=_("Another nominee of the class has this certificate."),
            ),
            models.CheckConstraint(
                condition=Q(certificate_number="") | Q(result=Result.PASSED),
                name="certificate_only_when_passed",
                violation_error_message=_("Only a nominee who passed gets a certificate."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.training_class}"


class Attendance(models.Model):
    """Whether an accepted nominee was at one session."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("nominee")
    )
    session = models.ForeignKey(
        ClassSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "session"], name="attendance_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} {self.session}"
