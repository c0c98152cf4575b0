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
