from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """Where a plan stands on a day, as shown and filtered: derived from its dates and the
    Board's setting (``quotas.rules.plan_status``), never stored."""

    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Not yet in force")
    IN_FORCE = "in_force", _("In force")
    CLOSED = "closed", _("Closed")


class PlanStatusSetting(models.TextChoices):
    """What the Board sets on a plan (``Plan.status``). An issued plan follows its dates: in
    force from its date to the end of its year, closed after that; "in force" and "closed"
    are the Board's explicit decision, whatever the dates say."""

    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued: follows its dates")
    IN_FORCE = "in_force", _("Kept in force by the Board")
    CLOSED = "closed", _("Closed by the Board")


class Measure(models.TextChoices):
    """What a target counts. The training and candidates apps supply the counts
    (``quotas.measures``); the definitions shown on every page are in ``MEASURE_DEFINITIONS``."""

    NOMINATIONS = "nominations", _("Nominees sent to awareness classes")
    CERTIFICATIONS = "certifications", _("Awareness-class certificates")
    INTRODUCTIONS = "introductions", _("Outstanding members introduced to the party")
    ADMISSIONS = "admissions", _("New members admitted")


# What "actual" means for each measure; %(start)s and %(end)s are the target's period.
MEASURE_DEFINITIONS = {
    Measure.NOMINATIONS: _("nominees accepted for the awareness classes of %(period)s"),
    Measure.CERTIFICATIONS: _("awareness-class certificates dated %(period)s"),
    Measure.INTRODUCTIONS: _("outstanding members introduced to the party, dated %(period)s"),
    Measure.ADMISSIONS: _("admission decisions dated %(period)s"),
}


class PersonGroup(models.TextChoices):
    """Which candidates a target counts. Each group is a field of the candidate record."""

    EVERYONE = "", _("Everyone")
    STUDENTS = "students", _("Students")
    WORKERS = "workers", _("Workers and employees")
    MANAGERS = "managers", _("Managers and owners")
    CIVIL_SERVANTS = "civil_servants", _("Civil servants")
    WOMEN = "women", _("Women")
    ETHNIC_MINORITIES = "ethnic_minorities", _("Ethnic minorities")
    RELIGION = "religion", _("People with a religion")
    YOUTH_UNION = "youth_union", _("Youth Union members")
    TRADE_UNION = "trade_union", _("Trade-union members")
    NON_STATE_WORKERS = "non_state_workers", _("Workers of non-state enterprises")


class Status(models.TextChoices):
    """Where a target stands on a given day (see ``quotas.rules.progress_status``)."""

    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    MISSED = "missed", _("Missed")
