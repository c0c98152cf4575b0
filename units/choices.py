from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who a unit's candidates are, for class rounds and category counts."""

    STUDENTS = "students", _("Students")
    WORKERS = "workers", _("Workers")
    NONE = "", _("No candidates of its own")


class Role(models.TextChoices):
    """What a user may do at the unit they hold (and every unit below it)."""

    BOARD = "board", _("Organization Board staff")
    COMMITTEE = "committee", _("Committee staff")
    SECRETARY = "secretary", _("Cell secretary")
    STANDING_OFFICE = "standing_office", _("Standing office")


# Roles that may change data in the units they hold; the standing office only reads.
EDITING_ROLES = frozenset({Role.BOARD, Role.COMMITTEE, Role.SECRETARY})
# Roles that record the admission decision at the unit that decides admissions: its Board
# (Ban Tổ chức; a commune's Ban Xây dựng Đảng) and its committee staff.
DECIDING_ROLES = frozenset({Role.BOARD, Role.COMMITTEE})
