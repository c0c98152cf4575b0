from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Category(models.TextChoices):
    """Where a candidate comes from; plan targets count by it (``quotas.PersonGroup``)."""

    STUDENT = "student", _("Student")
    WORKER = "worker", _("Worker or employee")
    MANAGER = "manager", _("Manager or owner")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    """Where a candidate stands on the road to full membership (DESIGN.md, "The pipeline").

    Keys are stable; the order of the main road is ``PIPELINE``. The last four are side exits.
    """

    IDENTIFIED = "identified", _("Outstanding non-member")
    NOMINATED = "nominated", _("Nominated to an awareness class")
    CERTIFIED = "certified", _("Certified by an awareness class")
    FILE_PREPARATION = "file_preparation", _("File in preparation")
    BACKGROUND_VERIFIED = "background_verified", _("Background verified")
    CELL_RESOLUTION = "cell_resolution", _("Cell resolution")
    COMMITTEE_RESOLUTION = "committee_resolution", _("Grassroots-committee resolution")
    ADMISSION_DECISION = "admission_decision", _("Admission decision")
    CEREMONY = "ceremony", _("Admission ceremony")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL_MEMBER = "full_member", _("Full member")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_APPROVED = "not_approved", _("Not approved")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    NOT_RECOGNISED = "not_recognised", _("Probation not recognised")


PIPELINE = [
    Stage.IDENTIFIED,
    Stage.NOMINATED,
    Stage.CERTIFIED,
    Stage.FILE_PREPARATION,
    Stage.BACKGROUND_VERIFIED,
    Stage.CELL_RESOLUTION,
    Stage.COMMITTEE_RESOLUTION,
    Stage.ADMISSION_DECISION,
    Stage.CEREMONY,
    Stage.PROBATIONARY,
    Stage.FULL_MEMBER,
]
