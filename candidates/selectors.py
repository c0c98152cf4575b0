"""Reads of candidates, scoped to the units the user may see."""

from datetime import date

from django.db.models import Q, QuerySet

from quotas.choices import PersonGroup
from units.selectors import unit_list
from units.text import fold

from .choices import Category, Sex
from .models import Candidate


def candidate_list(*, user) -> QuerySet[Candidate]:
    """Every candidate of the units the user may see, in Vietnamese order of given name."""
    return Candidate.objects.filter(unit__in=unit_list(user=user)).select_related("unit")


def candidate_get(*, user, pk: int) -> Candidate:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(candidate_list(user=user), pk=pk)


def candidate_same_person(
    *, citizen_id: str | None, name: str, born: date | None, exclude_pk: int | None = None
) -> QuerySet[Candidate]:
    """Candidates anywhere in the database who may be the same person: the same citizen ID,
    or the same name and date of birth. Not scoped: callers may reveal only *that* there is
    one (and whether it is in their scope), never the other record's details."""
    q = Q(pk__in=[])
    if citizen_id:
        q |= Q(citizen_id=citizen_id)
    key = fold(name)
    if key and born is not None:
        q |= Q(name_key=key, date_of_birth=born)
    qs = Candidate.objects.filter(q).select_related("unit")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def person_group_q(group: str, prefix: str = "", unit_prefix: str | None = None) -> Q:
    """The candidates a target's ``PersonGroup`` counts, as a filter on ``prefix`` + field
    (e.g. ``prefix="candidate__"`` from a nomination). ``unit_prefix`` is the path to the
    unit that decides "non-state enterprise" (by default the candidate's own unit; a stage
    event passes its own, the unit at the time)."""
    unit_prefix = f"{prefix}unit__" if unit_prefix is None else unit_prefix

    def q(**kwargs) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in kwargs.items()})

    match group:
        case PersonGroup.EVERYONE:
            return Q()
        case PersonGroup.STUDENTS:
            return q(category=Category.STUDENT)
        case PersonGroup.WORKERS:
            return q(category=Category.WORKER)
        case PersonGroup.MANAGERS:
            return q(category=Category.MANAGER)
        case PersonGroup.CIVIL_SERVANTS:
            return q(category=Category.CIVIL_SERVANT)
        case PersonGroup.WOMEN:
            return q(sex=Sex.FEMALE)
        case PersonGroup.ETHNIC_MINORITIES:
            return ~q(ethnicity__iexact="Kinh")
        case PersonGroup.YOUTH_UNION:
            return q(youth_union_member=True)
        case PersonGroup.TRADE_UNION:
            return q(trade_union_member=True)
        case PersonGroup.NON_STATE_WORKERS:
            return q(category=Category.WORKER) & Q(**{f"{unit_prefix}non_state_capital": True})
    raise ValueError(f"unknown person group {group!r}")


def unit_category(unit) -> str:
    """The category a unit's new candidates have unless told otherwise: students at schools,
    workers at enterprises; "" where the unit has no candidates of its own."""
    from units.choices import Audience

    return {Audience.STUDENTS: Category.STUDENT, Audience.WORKERS: Category.WORKER}.get(
        unit.kind.audience, ""
    )


def admissions_counter(query) -> dict[int, int]:
    """Admission decisions dated within the period, by the candidate's unit at the time of
    the decision (the definition every page shows: "admitted" = an admission decision dated
    in the period)."""
    from django.db.models import Count

    from quotas.choices import Measure

    from .choices import Stage
    from .models import StageEvent

    if query.measure != Measure.ADMISSIONS:
        return {}
    qs = StageEvent.objects.filter(
        stage=Stage.ADMISSION_DECISION, dated__gte=query.start, dated__lte=query.end
    ).filter(person_group_q(query.group, "candidate__", unit_prefix="unit__"))
    if query.unit_ids is not None:
        qs = qs.filter(unit_id__in=query.unit_ids)
    return dict(
        qs.values("unit_id")
        .annotate(n=Count("candidate", distinct=True))
        .values_list("unit_id", "n")
    )
