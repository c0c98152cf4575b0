from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassAudience(models.TextChoices):
    STUDENTS = "students", _("Students")
    WORKERS = "workers", _("Workers")
    BOTH = "both", _("Students and workers")


class ClassStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for nominations")
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")


class ListStatus(models.TextChoices):
    """A unit's nominee list for one class."""

    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Not yet submitted")
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Result(models.TextChoices):
    NONE = "", _("Not yet recorded")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    ABSENT = "absent", _("Absent")
