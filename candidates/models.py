"""Candidates and their stage events.

The awareness-class issue needs the people themselves (a nominee is a candidate) and two
stages (nominated, certified); the pipeline issue adds introducers, rules and the rest.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dates import dmy
from core.text import fold, vi_sort_key
from units.models import Unit

from .choices import Category, DocumentKind, MentorPhase, Sex, Stage, UnionResolution

citizen_id_validator = RegexValidator(r"^\d{12}$", _("A citizen ID has exactly 12 digits."))


class Candidate(models.Model):
    """A person on the road to party membership: an outstanding Youth Union member or
    non-member, at the unit (cell, school, enterprise) that develops them."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("unit")
    )
    family_name = models.CharField(_("family and middle name"), max_length=80)
    given_name = models.CharField(_("given name"), max_length=40)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, default="Kinh")
    religion = models.CharField(_("religion"), max_length=40, blank=True)
    citizen_id = models.CharField(
        _("citizen ID (CCCD)"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[citizen_id_validator],
        error_messages={"unique": _("Another candidate already has this citizen ID.")},
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    school_class = models.CharField(_("class"), max_length=20, blank=True)
    graduation_year = models.PositiveSmallIntegerField(
        _("expected graduation year"), null=True, blank=True
    )
    youth_union_member = models.BooleanField(_("Youth Union member"), default=False)
    trade_union_member = models.BooleanField(_("trade-union member"), default=False)
    education = models.CharField(_("education"), max_length=60, blank=True)
    union_resolution = models.CharField(
        _("introduced by a union's resolution"),
        max_length=20,
        choices=UnionResolution.choices,
        blank=True,
        default="",
        help_text=_("A Youth Union or trade-union resolution stands for one of two introducers."),
    )
    planned_resolution_on = models.DateField(
        _("planned cell-resolution date"),
        null=True,
        blank=True,
        help_text=_(
            "When the cell expects to consider the candidate; students who will not be a full "
            "18 by then are flagged. Students without one are checked against 31 May of "
            "their graduation year."
        ),
    )
    stage = models.CharField(
        _("stage"),
        max_length=24,
        choices=Stage.choices,
        default=Stage.IDENTIFIED,
        help_text=_("Derived from the stage events; never typed in."),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    name_key = models.CharField(max_length=140, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=600, editable=False, default="")
    # The day the next step (admission decision, ceremony, recognition) is due, extensions
    # included: counted in working days once, when a step is recorded
    # (``services.candidate_stage_refresh``), and again when the holiday calendar or the
    # rules data change (``services.due_dates_check``), so "overdue" is an indexed query.
    due_on = models.DateField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["sort_key", "date_of_birth", "pk"]
        indexes = [
            models.Index(fields=["name_key", "date_of_birth"], name="candidate_name_born"),
            # The list's order, with the unit for its scope: a page's keys are read from
            # the index alone, however deep the page (PostgreSQL; INCLUDE is left out
            # elsewhere).
            models.Index(
                fields=["sort_key", "date_of_birth", "id"],
                include=["unit"],
                name="candidate_sort_order",
            ),
            # The home page's counts of people on the road (stage IN …, per unit) and the
            # not-yet-18 flag, which reads only the young (``candidates_underage``).
            models.Index(fields=["stage", "unit"], name="candidate_stage_unit"),
            models.Index(fields=["date_of_birth"], name="candidate_born"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(citizen_id__isnull=True) | Q(citizen_id__regex=r"^[0-9]{12}$"),
                name="candidate_citizen_id_12_digits",
                violation_error_message=_("A citizen ID has exactly 12 digits."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.tidy()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"family_name", "given_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_key", "sort_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("candidates:candidate_detail", args=[self.pk])

    def tidy(self) -> None:
        """What every save does first (and the imports' bulk writes, which skip ``save``):
        names without stray spaces, no empty citizen ID, the search and sort keys."""
        self.family_name = " ".join(self.family_name.split())
        self.given_name = " ".join(self.given_name.split())
        self.citizen_id = self.citizen_id or None
        self.name_key = fold(self.full_name)
        self.sort_key = vi_sort_key(self.given_name, self.family_name)

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def certificate_valid_until(self):
        """The last day the awareness-class certificate counts (60 months), or None."""
        from .rules import certificate_valid_until

        return certificate_valid_until(self.certificate_date) if self.certificate_date else None


class Recorded(models.Model):
    """Who recorded a row and when (steps, extensions)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True


class StageEvent(Recorded):
    """One step of a candidate's road: the stage reached, on which date, by which document.

    The candidate's current stage is the stage of their latest event (``Candidate.stage``
    is kept equal to it by the services)."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="events", verbose_name=_("candidate")
    )
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices)
    dated = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("The candidate's unit when the event happened."),
    )
    note = models.TextField(_("note"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes in favour"), null=True, blank=True)
    full_members = models.PositiveSmallIntegerField(
        _("full members of the cell"), null=True, blank=True
    )
    to_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved to"),
        help_text=_("For a transfer: the unit the candidate went to."),
    )
    rules = models.CharField(
        _("rules applied"), max_length=20, blank=True, help_text=_("e.g. 294-QĐ/TW")
    )
    effective_on = models.DateField(
        _("takes effect on"),
        null=True,
        blank=True,
        help_text=_(
            "For a full member: the day the 12 months of probation end, even when the cell "
            "or the committee met later (294-QĐ/TW 4.2.2)."
        ),
    )

    class Meta:
        verbose_name = _("stage event")
        verbose_name_plural = _("stage events")
        ordering = ["candidate", "dated", "pk"]
        # The counters behind every target read one step's events of a period
        # (``selectors.admissions_counter``, ``introductions_counter``).
        indexes = [models.Index(fields=["stage", "dated"], name="stageevent_stage_dated")]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.get_stage_display()} {dmy(self.dated)}"


class Introducer(models.Model):
    """A full party member who introduces the candidate (form 3-KNĐ)."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="introducers", verbose_name=_("candidate")
    )
    name = models.CharField(_("full name"), max_length=120)
    full_member = models.BooleanField(_("full member"), default=True)
    unit_name = models.CharField(_("their party cell or unit"), max_length=160, blank=True)
    since = models.DateField(
        _("has worked or studied with the candidate since"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("introducer")
        verbose_name_plural = _("introducers")
        ordering = ["candidate", "pk"]

    def __str__(self) -> str:
        return self.name


class CandidateDocument(models.Model):
    """One paper of the candidate's admission file, ticked off with its date."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="documents", verbose_name=_("candidate")
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    dated = models.DateField(_("date"))
    number = models.CharField(_("number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("file document")
        verbose_name_plural = _("file documents")
        ordering = ["candidate", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "kind"],
                name="candidate_document_once",
                violation_error_message=_("This document is already on the file."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {dmy(self.dated)}"


class PapersRule(models.Model):
    """A Board's setting for the units under it: whether a cell resolution is refused while
    papers of the file are not on record, or only warned about (for offices that keep the
    papers on paper only). Without a setting at or above a unit, missing papers refuse."""

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="papers_rule", verbose_name=_("unit")
    )
    paper_files_only = models.BooleanField(
        _("the papers are kept on paper only"),
        default=False,
        help_text=_(
            "Missing papers of the file only warn, and do not refuse the cell resolution, for "
            "this unit and every unit below it."
        ),
    )

    class Meta:
        verbose_name = _("papers setting")
        verbose_name_plural = _("papers settings")

    def __str__(self) -> str:
        return str(self.unit)


class DeadlineExtension(Recorded):
    """The deciding committee extends the admission decision's deadline in a special case
    (29-QĐ/TW and 24-QĐ/TW: at most 30 working days; 294-QĐ/TW 4.3.1: at most 15). It
    counts for the cell resolution of ``since``; a new resolution starts a new deadline."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("candidate")
    )
    since = models.DateField(_("deadline counted from"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    dated = models.DateField(_("date"))

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["candidate", "dated", "pk"]

    def __str__(self) -> str:
        return f"{self.candidate}: +{self.working_days} ({dmy(self.dated)})"


class Mentor(models.Model):
    """A full member the cell assigns to help the candidate (Quy định 294-QĐ/TW 3.4.1) or,
    from the ceremony, the probationary member (Hướng dẫn 06-HD/TW 3.8c). A mentor who moves
    is replaced (06-HD/TW 3.10): the old one keeps their record with the day it ended."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="mentors", verbose_name=_("candidate")
    )
    name = models.CharField(_("full name"), max_length=120)
    unit_name = models.CharField(_("their party cell"), max_length=160, blank=True)
    phase = models.CharField(
        _("helps"), max_length=20, choices=MentorPhase.choices, default=MentorPhase.CANDIDATE
    )
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("When the mentor stopped (moved, replaced, or the help was over)."),
    )

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["candidate", "assigned_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("assigned_on")),
                name="mentor_ends_after_assignment",
                violation_error_message=_("A mentor cannot end before they were assigned."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> bool:
        return self.ended_on is None


class MentorComment(models.Model):
    """A mentor's dated comment on the person they help (the app asks for one a quarter,
    its own practice; the last one of probation is the written assessment, bản nhận xét, of
    Hướng dẫn 06-HD/TW 4.3)."""

    mentor = models.ForeignKey(
        Mentor, on_delete=models.CASCADE, related_name="comments", verbose_name=_("mentor")
    )
    dated = models.DateField(_("date"))
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("mentor's comment")
        verbose_name_plural = _("mentors' comments")
        ordering = ["mentor", "dated", "pk"]

    def __str__(self) -> str:
        return f"{self.mentor}: {dmy(self.dated)}"


class DueBasis(models.Model):
    """What the stored due dates (``Candidate.due_on``) were counted with: a fingerprint of
    the holiday calendar and the rules data. A release that changes either has them counted
    again when ``migrate`` runs (``services.due_dates_check``)."""

    fingerprint = models.CharField(max_length=64)
    counted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("basis of the due dates")
        verbose_name_plural = _("bases of the due dates")

    def __str__(self) -> str:
        return self.fingerprint[:12]
