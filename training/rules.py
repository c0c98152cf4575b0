"""Pure rules of the awareness classes: plain values in, a Vietnamese reason (or None) out."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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


def certificate_number(prefix: str, sequence: int, width: int = 3) -> str:
    """ "NTVĐ-2024/1-" and 7 → "NTVĐ-2024/1-007"."""
    return f"{prefix}{sequence:0{width}d}"


# --- a nominee list as someone saw it --------------------------------------------------------

# {"status": the list's status, "people": {candidate id (as text): the nomination's status}}
ListState = dict


def list_state(status: str, people: Iterable[tuple[int, str]]) -> ListState:
    """A nominee list as a page shows it: its status and each person's (candidate id, status)."""
    return {"status": status, "people": {str(pk): state for pk, state in people}}


@dataclass
class ListChanges:
    """What changed in a list between two of its states (candidate ids)."""

    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    restated: dict[str, list[int]] = field(default_factory=dict)  # new status -> people
    status: str | None = None  # the list's new status, when it changed

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.restated or self.status)


def list_changes(opened: Mapping, now: Mapping) -> ListChanges:
    """What someone else changed in a list since it was ``opened`` (both ``list_state``)."""
    before, after = opened.get("people", {}), now.get("people", {})
    changes = ListChanges(
        added=sorted(int(pk) for pk in after.keys() - before.keys()),
        removed=sorted(int(pk) for pk in before.keys() - after.keys()),
        status=now.get("status") if now.get("status") != opened.get("status") else None,
    )
    for pk in sorted(after.keys() & before.keys(), key=int):
        if after[pk] != before[pk]:
            changes.restated.setdefault(after[pk], []).append(int(pk))
    return changes
