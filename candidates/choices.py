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


MAIN_STAGES = frozenset(PIPELINE)
EXITS = frozenset({Stage.WITHDRAWN, Stage.NOT_APPROVED, Stage.NOT_RECOGNISED})
"""Side exits that end the road (a transfer does not: the person goes on at the new unit)."""
FINAL = EXITS | {Stage.FULL_MEMBER}


class UnionResolution(models.TextChoices):
    """A union's resolution that stands for one of the two introducers."""

    NONE = "", _("None (two introducers)")
    YOUTH_UNION = "youth_union", _("Youth Union resolution")
    TRADE_UNION = "trade_union", _("Trade-union resolution")


class DocumentKind(models.TextChoices):
    """The papers of an admission file (Hướng dẫn 12-HD/BTCTW, part II.1.1) a cell collects
    before its resolution. The certificate and the resolutions and decisions after it are
    the candidate's certificate and stage events, not entries here."""

    APPLICATION = "application", _("Application to join the party (form 1-KNĐ)")
    BACKGROUND = "background", _("Personal background (form 2-KNĐ)")
    VERIFICATION = "verification", _("Background verification")
    INTRODUCTION = "introduction", _("Introducer's statement (form 3-KNĐ)")
    UNION_RESOLUTION = "union_resolution", _("Union resolution introducing the member (form 4-KNĐ)")
    OPINIONS = "opinions", _("Opinions of the unions and the residence cell (form 5-KNĐ)")


class MentorPhase(models.TextChoices):
    """Whom a mentor helps: the candidate before admission (Quy định 294-QĐ/TW 3.4.1) or
    the probationary member after the ceremony (Hướng dẫn 06-HD/TW 3.8c)."""

    CANDIDATE = "candidate", _("Helping the candidate")
    PROBATIONARY = "probationary", _("Helping the probationary member")
