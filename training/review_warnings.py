"""What the Organization Board should look at before accepting a unit's nominee list
(issue 15, item 6): selectors for the warnings of the review page, never refusals.

* a nominee who will not be a full 18 by the planned date (``rules.age_warning``);
* a nominee who already passed a class, their certificate still valid
  (``rules.certificate_warning``), on their own record or one that may be theirs;
* a possible duplicate: someone else on this list, or on another unit's list of the
  round, with the same citizen ID or the same name and date of birth;
* a list with more people than the class has places left (``rules.capacity_warning``).

A fixed number of queries for any size of list. Only the Board reads this page; even so,
a record in a unit outside the reader's scope is mentioned without its name.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from candidates.choices import Category
from candidates.pipeline import planned_resolution
from candidates.rules import ruleset_on
from candidates.selectors import candidate_same_people
from units.selectors import unit_list

from .choices import NominationStatus, Result
from .models import Nomination, NomineeList, TrainingClass
from .rules import (
    AGE_BASIS_GRADUATION,
    AGE_BASIS_PLAN_YEAR,
    AGE_BASIS_PLANNED,
    PersonKey,
    age_warning,
    capacity_warning,
    certificate_warning,
    duplicate_warning,
    duplicates_among,
    same_person_reason,
)
from .selectors import class_places_taken

AGE, CERTIFICATE, DUPLICATE, CAPACITY = "age", "certificate", "duplicate", "capacity"


@dataclass(frozen=True)
class ReviewWarning:
    kind: str  # AGE, CERTIFICATE, DUPLICATE, CAPACITY: the badge's colour and label
    text: str  # why, in Vietnamese


@dataclass
class ReviewWarnings:
    """The warnings of one list: per nomination (by its id) and for the whole list."""

    people: dict[int, list[ReviewWarning]] = field(default_factory=dict)
    whole: list[ReviewWarning] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.people or self.whole)

    def add(self, nomination_pk: int, kind: str, text: str | None) -> None:
        if text:
            self.people.setdefault(nomination_pk, []).append(ReviewWarning(kind, text))

    def concern(self, nomination_pks) -> bool:
        """Whether accepting these people means passing over a warning."""
        return bool(self.whole) or any(self.people.get(pk) for pk in nomination_pks)

    @property
    def digest(self) -> str:
        """A short fingerprint of the warnings: the Board's "I have seen the warnings"
        carries it, so a warning that appeared since the page was opened asks again."""
        lines = [f"*{w.kind}:{w.text}" for w in self.whole]
        for pk in sorted(self.people):
            lines += [f"{pk}:{w.kind}:{w.text}" for w in self.people[pk]]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _planned(candidate, plan_year: int, today: date) -> tuple[date, str]:
    """The day the age is checked on, and which stand-in it is (``rules.AGE_BASIS_*``). A
    planned date already past is stale (as for ``candidates.pipeline.underage_on_plan``):
    the end of the plan's year stands in for it."""
    planned = planned_resolution(candidate)
    if planned is not None and planned >= today:
        if candidate.planned_resolution_on:
            return planned, AGE_BASIS_PLANNED
        if candidate.category == Category.STUDENT:
            return planned, AGE_BASIS_GRADUATION
    return date(plan_year, 12, 31), AGE_BASIS_PLAN_YEAR


def _key(candidate) -> PersonKey:
    return PersonKey(
        candidate.pk, candidate.citizen_id, candidate.full_name, candidate.date_of_birth
    )


def review_warnings(
    *,
    user,
    training_class: TrainingClass,
    nominee_list: NomineeList,
    rows: list[Nomination],
    today: date,
) -> ReviewWarnings:
    """The warnings of ``nominee_list`` (``rows``: its nominations with their candidates,
    ``selectors.nominations_of``) as the Board reviews it on ``today``."""
    found = ReviewWarnings()
    by_candidate = {n.candidate_id: n for n in rows}

    for n in rows:
        on, basis = _planned(n.candidate, training_class.plan.year, today)
        found.add(
            n.pk,
            AGE,
            age_warning(
                born=n.candidate.date_of_birth,
                on=on,
                basis=basis,
                min_age_months=ruleset_on(on).min_age_months,
            ),
        )

    for candidate_pk, others in duplicates_among(_key(n.candidate) for n in rows).items():
        nomination = by_candidate[candidate_pk]
        for reason in dict.fromkeys(reason for _other, reason in others):
            found.add(nomination.pk, DUPLICATE, duplicate_warning(reason=reason))

    # Records anywhere that may be the people of this list (their own included), then those
    # records' nominations that matter: on another list of the round, or passed elsewhere.
    same = candidate_same_people(
        [(n.candidate.citizen_id, n.candidate.full_name, n.candidate.date_of_birth) for n in rows]
    )
    records = {c.pk: c for group in same for c in group}
    records.update({n.candidate_id: n.candidate for n in rows})
    nominations = list(
        Nomination.objects.filter(candidate_id__in=list(records))
        .filter(
            Q(training_class__round_id=training_class.round_id)
            & ~Q(nominee_list=nominee_list)
            & ~Q(status=NominationStatus.RETURNED)
            | Q(result=Result.PASSED, certificate_date__isnull=False)
            & ~Q(training_class=training_class)
        )
        .select_related("nominee_list__unit", "training_class")
        .order_by("pk")
    )
    units = {c.unit_id for c in records.values()} | {o.nominee_list.unit_id for o in nominations}
    visible = set(unit_list(user=user).filter(pk__in=units).values_list("pk", flat=True))

    for n, group in zip(rows, same, strict=True):
        mine = _key(n.candidate)
        near = {c.pk: c for c in group}  # the same citizen ID, or name and birth
        near[n.candidate_id] = n.candidate
        _round_duplicates(found, n, mine, near, nominations, visible, training_class.round_id)
        _certificates(found, n, near, nominations, visible, today)

    if training_class.capacity:
        on_list = sum(n.status != NominationStatus.RETURNED for n in rows)
        text = capacity_warning(
            capacity=training_class.capacity,
            taken_by_others=class_places_taken(training_class) - on_list,
            on_list=on_list,
        )
        if text:
            found.whole.append(ReviewWarning(CAPACITY, text))
    return found


def _unit_name(unit) -> str:
    return unit.short_name or unit.name


def _round_duplicates(found, n, mine, near, nominations, visible, round_id) -> None:
    """Someone who may be ``n``'s person on another unit's list of the class's round."""
    for other in nominations:
        if other.candidate_id not in near or other.training_class.round_id != round_id:
            continue
        unit = other.nominee_list.unit
        record = near[other.candidate_id]
        shown = unit.pk in visible
        found.add(
            n.pk,
            DUPLICATE,
            duplicate_warning(
                reason=same_person_reason(mine, _key(record)) or "citizen_id",
                name=record.full_name if shown else "",
                unit=_unit_name(unit),
                status=str(NominationStatus(other.status).label),
            ),
        )


def _certificates(found, n, near, nominations, visible, today) -> None:
    """The latest certificate still valid of ``n``'s person, from a class they passed or
    on record, their own first."""
    held: list[tuple[date, bool, str, object]] = []  # (issued, own record, class, record)
    for other in nominations:
        if other.candidate_id in near and other.result == Result.PASSED:
            record = near[other.candidate_id]
            own = record.pk == n.candidate_id
            held.append((other.certificate_date, own, other.training_class.name, record))
    for record in near.values():
        issued = record.certificate_date
        if issued and issued != n.certificate_date and not any(h[0] == issued for h in held):
            held.append((issued, record.pk == n.candidate_id, "", record))
    if not held:
        return
    issued, own, class_name, record = max(held, key=lambda h: (h[0], h[1]))
    elsewhere = ""
    if not own:  # another record: its unit came with it (``candidate_same_people``)
        shown = record.unit_id in visible
        elsewhere = _unit_name(record.unit) if shown else _("another unit")
    found.add(
        n.pk,
        CERTIFICATE,
        certificate_warning(issued=issued, on=today, class_name=class_name, elsewhere=elsewhere),
    )
