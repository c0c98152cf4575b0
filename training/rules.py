"""Pure rules of the awareness classes: plain values in, a Vietnamese reason (or None) out."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates.rules import CERTIFICATE_VALID_MONTHS, add_months, certificate_valid_until
from core.dates import dmy
from core.text import fold

from .choices import ClassStatus, Result

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


# --- what may be recorded when (issue 15, item 4) -----------------------------------------


def session_attendance_problem(*, session_day: date, today: date) -> str | None:
    """Why nobody can be recorded present at the session of ``session_day`` yet, or None."""
    if session_day > today:
        return _(
            "The session of %(day)s has not taken place yet; attendance is recorded on the "
            "day or after it."
        ) % {"day": dmy(session_day)}
    return None


def results_time_problem(*, today: date, last_day: date | None) -> str | None:
    """Why results cannot be recorded on ``today``, or None: they come after the class's
    last session (a class without sessions has none to come after)."""
    if last_day is None:
        return _("The class has no session yet; results are recorded after its last session.")
    if today < last_day:
        return _("The class ends on %(day)s; results are recorded on that day or after it.") % {
            "day": dmy(last_day)
        }
    return None


def result_attendance_problem(
    *, name: str, result: str, attended: int, recorded: int
) -> str | None:
    """Whether ``result`` agrees with the attendance: "absent" for someone at no session of
    the ``recorded`` ones, passed or failed for someone at one at least. ``recorded`` 0 (no
    attendance taken) leaves the result free."""
    if result == Result.ABSENT and attended:
        return ngettext(
            "%(name)s attended %(n)s session; the result “absent” is for someone who "
            "attended none. Untick the session or choose another result.",
            "%(name)s attended %(n)s sessions; the result “absent” is for someone who "
            "attended none. Untick the sessions or choose another result.",
            attended,
        ) % {"name": name, "n": attended}
    if result in (Result.PASSED, Result.FAILED) and recorded and not attended:
        return _(
            "%(name)s attended no session; record the result “absent”, or tick the sessions "
            "they attended."
        ) % {"name": name}
    return None


def certificate_date_problem(*, dated: date, today: date, last_day: date | None) -> str | None:
    """Why certificates cannot carry ``dated``, or None: not in the future, not before the
    class's last session."""
    if dated > today:
        return _("The certificate date %(day)s is in the future.") % {"day": dmy(dated)}
    if last_day and dated < last_day:
        return _("Certificates are dated on or after the last session (%(day)s).") % {
            "day": dmy(last_day)
        }
    return None


def sessions_outside_round(*, days: list[date], starts_on: date, ends_on: date) -> list[date]:
    """The session days outside the round's period (a class normally keeps to its round's
    month: students in April and October, workers in May and September)."""
    return [day for day in days if not starts_on <= day <= ends_on]


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


# --- the Board's review: warnings, not refusals (issue 15, item 6) ---------------------------

# Which date a nominee's age is checked against (``age_warning``). No unit stores a planned
# admission date, so the candidate's own planned cell-resolution date stands in for it (the
# day 294-QĐ/TW 1.1 counts the age on), then for a student 31 May of the graduation year
# (``candidates.pipeline.planned_resolution``), and last the end of the plan's year: the
# class's plan counts admissions up to then.
AGE_BASIS_PLANNED = "planned"
AGE_BASIS_GRADUATION = "graduation"
AGE_BASIS_PLAN_YEAR = "plan_year"


def age_warning(*, born: date, on: date, basis: str, min_age_months: int) -> str | None:
    """Why a nominee born on ``born`` will not be old enough on ``on`` (the planned day of
    the cell's resolution, or its stand-in named by ``basis``), or None. A class nominee may
    be younger: this is a warning for the Board, not a refusal."""
    adult = add_months(born, min_age_months)
    if adult <= on:
        return None
    values = {"years": min_age_months // 12, "day": dmy(on), "birthday": dmy(adult)}
    if basis == AGE_BASIS_PLANNED:
        text = _(
            "Not a full %(years)s by the planned cell-resolution date %(day)s "
            "(a full %(years)s on %(birthday)s)."
        )
    elif basis == AGE_BASIS_GRADUATION:
        text = _(
            "Not a full %(years)s by %(day)s, the end of the school year of graduation, when "
            "the cell is expected to consider students (a full %(years)s on %(birthday)s)."
        )
    else:
        text = _(
            "Not a full %(years)s by %(day)s, the end of the plan's year: cannot be admitted "
            "under this plan (a full %(years)s on %(birthday)s)."
        )
    return text % values


def certificate_warning(
    *, issued: date, on: date, class_name: str = "", elsewhere: str = ""
) -> str | None:
    """Why a nominee need not attend again: an awareness-class certificate of ``issued``
    still valid on ``on`` (60 months, 06-HD/TW 5.4b), from ``class_name`` when known; or
    None. ``elsewhere``: the other record's unit, when the certificate is on a record that
    may be the same person."""
    until = certificate_valid_until(issued)
    if on > until:
        return None
    values = {"class": class_name, "issued": dmy(issued), "until": dmy(until)}
    if class_name:
        text = _(
            "Already passed %(class)s: the certificate of %(issued)s is valid until %(until)s."
        )
    else:
        text = _(
            "Already holds an awareness-class certificate of %(issued)s, valid until %(until)s."
        )
    text %= values
    if elsewhere:
        text += " " + _("(On a record at %(unit)s that may be the same person.)") % {
            "unit": elsewhere
        }
    return text


@dataclass(frozen=True)
class PersonKey:
    """What tells two records of people apart: the citizen ID, else name and birth."""

    pk: int
    citizen_id: str | None
    name: str
    born: date | None

    @property
    def name_key(self) -> tuple[str, date] | None:
        key = fold(self.name)
        return (key, self.born) if key and self.born else None


def same_person_reason(a: PersonKey, b: PersonKey) -> str | None:
    """Why ``a`` and ``b`` may be the same person ("citizen_id", "name_birth"), or None.
    The name is compared without accents, case or extra spaces (đ as d)."""
    if a.pk == b.pk:
        return None
    if a.citizen_id and a.citizen_id == b.citizen_id:
        return "citizen_id"
    if a.name_key is not None and a.name_key == b.name_key:
        return "name_birth"
    return None


def duplicates_among(people: Iterable[PersonKey]) -> dict[int, list[tuple[int, str]]]:
    """{pk: [(other pk, reason), …]} of the people who may be someone else of ``people``."""
    people = list(people)
    by_id: dict[str, list[PersonKey]] = {}
    by_name: dict[tuple[str, date], list[PersonKey]] = {}
    for p in people:
        if p.citizen_id:
            by_id.setdefault(p.citizen_id, []).append(p)
        if p.name_key is not None:
            by_name.setdefault(p.name_key, []).append(p)
    found: dict[int, list[tuple[int, str]]] = {}
    for p in people:
        near = by_id.get(p.citizen_id, []) if p.citizen_id else []
        near = near + (by_name.get(p.name_key, []) if p.name_key is not None else [])
        seen = set()
        for other in near:
            reason = same_person_reason(p, other)
            if reason and other.pk not in seen:
                seen.add(other.pk)
                found.setdefault(p.pk, []).append((other.pk, reason))
    return found


def duplicate_warning(*, reason: str, name: str = "", unit: str = "", status: str = "") -> str:
    """The line shown beside a nominee who may be the same person as someone else: on this
    list (no ``unit``), or on another unit's list of the round (``name`` empty when the
    Board may not see that unit)."""
    if not unit:
        if reason == "citizen_id":
            return _("Another person on this list has the same citizen ID.")
        return _("Another person on this list has the same name and date of birth.")
    if not name:
        return _("Possibly the same person as someone on another unit's list in this round.")
    values = {"name": name, "unit": unit, "status": status}
    if reason == "citizen_id":
        return (
            _(
                "Possibly the same person as %(name)s on the list of %(unit)s (%(status)s): "
                "the same citizen ID."
            )
            % values
        )
    return (
        _(
            "Possibly the same person as %(name)s on the list of %(unit)s (%(status)s): "
            "the same name and date of birth."
        )
        % values
    )


def capacity_warning(*, capacity: int | None, taken_by_others: int, on_list: int) -> str | None:
    """Why the ``on_list`` people of a list (not returned) do not all fit in the class, whose
    other lists take ``taken_by_others`` of its ``capacity`` places; or None. The Board may
    still accept: the centre may open more places."""
    if capacity is None or on_list <= 0:
        return None
    left = max(capacity - taken_by_others, 0)
    if on_list <= left:
        return None
    return ngettext(
        "The list has %(n)s person; the class has %(left)s places left (of %(capacity)s).",
        "The list has %(n)s people; the class has %(left)s places left (of %(capacity)s).",
        on_list,
    ) % {"n": on_list, "left": left, "capacity": capacity}
