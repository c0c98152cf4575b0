"""Pure rules of the awareness classes: plain values in, a Vietnamese reason (or None) out."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidates.rules import CERTIFICATE_VALID_MONTHS, certificate_valid_until

from .choices import ClassStatus

__all__ = ["CERTIFICATE_VALID_MONTHS", "certificate_number", "certificate_valid_until"]


def list_change_problem(
    *, today: date, deadline: date, class_status: str, is_board: bool
) -> str | None:
    """Why a unit's list for a class cannot be changed now, or None when it can.

    Units change their lists while the class is open for nominations, up to and including
    the deadline; the Board may still correct them until the class is finished."""
    if class_status == ClassStatus.FINISHED:
        return _("The class is finished; its lists can no longer be changed.")
    if is_board:
        return None
    if class_status == ClassStatus.PLANNED:
        return _("The class is not open for nominations yet.")
    if class_status == ClassStatus.IN_PROGRESS:
        return _("The class has started; ask the Organization Board to change the list.")
    if today > deadline:
        return _(
            "The deadline for nominations was %(deadline)s; ask the Organization Board to "
            "change the list."
        ) % {"deadline": date_format(deadline, "SHORT_DATE_FORMAT")}
    return None


def quota_missing(bounds: tuple[int | None, int | None] | None, counted: int) -> int:
    """How many more people a unit's list needs to reach the round's minimum ("18 of at
    least 20": 2); 0 without a quota or a minimum."""
    if not bounds or bounds[0] is None:
        return 0
    return max(0, bounds[0] - counted)


def certificate_number(prefix: str, sequence: int, width: int = 3) -> str:
    """ "NTVĐ-2024/1-" and 7 → "NTVĐ-2024/1-007"."""
    return f"{prefix}{sequence:0{width}d}"


def capacity_problem(*, capacity: int | None, taken: int, adding: int) -> str | None:
    """Why ``adding`` more nominees do not fit in a class of ``capacity`` places of which
    ``taken`` are taken, or None when they fit. A class without a capacity has no limit."""
    if capacity is None or adding <= 0 or taken + adding <= capacity:
        return None
    left = max(capacity - taken, 0)
    if not left:
        return _(
            "The class is full: all its %(capacity)s places are taken; nobody more can be "
            "put on a list."
        ) % {"capacity": capacity}
    return _(
        "Only %(left)s of the class's %(capacity)s places are left, too few for the "
        "%(adding)s people to add; nothing was saved."
    ) % {"left": left, "capacity": capacity, "adding": adding}
