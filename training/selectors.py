"""Reads of classes and nominee lists, scoped to the user, and the round's progress table."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from quotas.choices import Measure
from quotas.models import Round, Target
from quotas.progress import target_each_applies
from quotas.selectors import area_units, plan_list
from units.choices import Audience
from units.models import Unit
from units.selectors import unit_list, user_can_change

from .choices import ClassAudience, ClassStatus, ListStatus, NominationStatus, Result
from .models import Attendance, ClassSession, Nomination, NomineeList, TrainingClass
from .rules import ListState, list_state

AUDIENCES = {
    ClassAudience.STUDENTS: {Audience.STUDENTS},
    ClassAudience.WORKERS: {Audience.WORKERS},
    ClassAudience.BOTH: {Audience.STUDENTS, Audience.WORKERS},
}


def class_list(*, user) -> QuerySet[TrainingClass]:
    """The classes of the plans the user may read."""
    return (
        TrainingClass.objects.filter(plan__in=plan_list(user=user))
        .select_related("plan", "round", "organiser")
        .prefetch_related("sessions")
    )


def class_list_waiting(*, user) -> QuerySet[TrainingClass]:
    """``class_list`` with ``n_waiting``: how many lists of the units the user sees hold
    nominees waiting for the Board's review (the Board's column of the class list)."""
    # A subquery per class shown, not a join of every nomination grouped by class: a
    # province's page of 50 classes reads their lists only.
    waiting = (
        NomineeList.objects.filter(
            training_class=OuterRef("pk"),
            unit__in=unit_list(user=user).values("pk"),
            nominations__status=NominationStatus.PENDING,
        )
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    return class_list(user=user).annotate(
        n_waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), 0)
    )


def class_places_taken(training_class: TrainingClass) -> int:
    """The places of the class taken: its nominations on every unit's list, whatever their
    status, except those the Board returned. A person taken off a list is deleted, which
    frees the place; a returned person sent again takes one again."""
    return (
        Nomination.objects.filter(training_class=training_class)
        .exclude(status=NominationStatus.RETURNED)
        .count()
    )


def class_get(*, user, pk: int) -> TrainingClass:
    return get_object_or_404(class_list(user=user), pk=pk)


def class_sessions(training_class: TrainingClass) -> list[ClassSession]:
    return list(training_class.sessions.all())


def nominating_unit_pool(*, user) -> list[Unit]:
    """Every unit whose list the user may build for some class: in scope, editable by the
    user, with candidates of their own. One query; ``nominating_units_among`` narrows it to
    a class."""
    audiences = {audience for group in AUDIENCES.values() for audience in group}
    units = (
        unit_list(user=user).filter(kind__audience__in=audiences).select_related("admission_unit")
    )
    return [u for u in units if user_can_change(user=user, unit=u)]


def nominating_units_among(units: list[Unit], training_class: TrainingClass) -> list[Unit]:
    """Those of ``units`` inside the class's plan area whose people are its audience."""
    audiences = AUDIENCES[training_class.audience]
    area = training_class.plan.area.path
    return [
        u
        for u in units
        if u.kind.audience in audiences
        and (
            u.path.startswith(area)
            or (u.admission_unit_id is not None and u.admission_unit.path.startswith(area))
        )
    ]


def nominating_units(*, user, training_class: TrainingClass) -> list[Unit]:
    """The units whose list for the class the user may build: in scope, editable by the
    user, inside the plan's area, and whose people are the class's audience."""
    return nominating_units_among(nominating_unit_pool(user=user), training_class)


def nominee_list_get(*, user, training_class: TrainingClass, unit_pk: int) -> NomineeList | None:
    """The list of one unit the user may see (None while the unit has not started one)."""
    unit = get_object_or_404(unit_list(user=user), pk=unit_pk)
    return (
        NomineeList.objects.filter(training_class=training_class, unit=unit)
        .select_related("unit", "training_class", "submitted_by")
        .first()
    )


def nomination_list(*, nominee_list: NomineeList) -> QuerySet[Nomination]:
    """The people on a list in Vietnamese order of given name."""
    return nominee_list.nominations.select_related("candidate", "reviewed_by").order_by(
        "candidate__sort_key", "candidate__date_of_birth", "pk"
    )


def nominations_of(nominee_list: NomineeList) -> list[Nomination]:
    """The people on a list in Vietnamese order of given name."""
    return list(nomination_list(nominee_list=nominee_list))


def nominee_list_state(nominee_list: NomineeList) -> ListState:
    """The list as it is now, to compare with what a page showed (``rules.list_changes``)."""
    return list_state(
        nominee_list.status, nominee_list.nominations.values_list("candidate_id", "status")
    )


def nominee_list_list(*, user, training_class: TrainingClass) -> QuerySet[NomineeList]:
    """The lists of the class the user may see, with per-status counts, in tree order."""
    counts = {
        f"n_{status}": Count("nominations", filter=Q(nominations__status=status))
        for status in NominationStatus.values
    }
    return (
        NomineeList.objects.filter(training_class=training_class, unit__in=unit_list(user=user))
        .select_related("unit", "submitted_by")
        .annotate(**counts)
        .order_by("unit__path")
    )


def class_lists(*, user, training_class: TrainingClass) -> list[NomineeList]:
    """The lists of the class the user may see, with per-status counts, in tree order."""
    return list(nominee_list_list(user=user, training_class=training_class))


def class_roster(*, user, training_class: TrainingClass) -> list[Nomination]:
    """Accepted nominees of a class the user may see, in Vietnamese order of given name,
    with their unit and attendance: the roster and the results list."""
    return list(
        Nomination.objects.filter(
            training_class=training_class,
            status=NominationStatus.ACCEPTED,
            nominee_list__unit__in=unit_list(user=user),
        )
        .select_related("candidate", "nominee_list__unit")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("session"))
        )
        .order_by("candidate__sort_key", "candidate__date_of_birth", "pk")
    )


# --- quotas: "18 of at least 20" ----------------------------------------------------------


def round_targets(round_: Round) -> list[Target]:
    return rounds_targets([round_.pk]).get(round_.pk, [])


def rounds_targets(round_ids) -> dict[int, list[Target]]:
    """The nominee targets of several rounds at once, by round id (two queries)."""
    found: dict[int, list[Target]] = {}
    for target in (
        Target.objects.filter(round_id__in=list(round_ids), measure=Measure.NOMINATIONS)
        .select_related("each_kind", "count_kind")
        .prefetch_related("values")
    ):
        found.setdefault(target.round_id, []).append(target)
    return found


def unit_round_bounds(
    *, unit: Unit, round_: Round, targets: list[Target] | None = None
) -> tuple[int | None, int | None] | None:
    """The unit's nominee quota for a round — (minimum, maximum), its own number winning over
    an "every unit of a kind" number — or None when it has none. ``targets`` are the round's
    (``round_targets``), when the caller asks for many units."""
    for target in round_targets(round_) if targets is None else targets:
        for value in target.values.all():
            if value.unit_id == unit.pk:
                return value.minimum, value.maximum
        if target_each_applies(target, unit):
            return target.each_min, target.each_max
    return None


# --- the round's table: nominated, accepted, attended, passed --------------------------------


FIGURES = ("quota_min", "quota_max", "nominated", "accepted", "returned", "attended", "passed")


@dataclass
class RoundRow:
    unit: Unit
    depth: int
    figures: dict[str, int | None] = field(default_factory=dict)
    is_rollup: bool = False

    @property
    def short(self) -> bool:
        """Fewer accepted than the quota's minimum."""
        lo = self.figures.get("quota_min")
        return lo is not None and (self.figures.get("accepted") or 0) < lo


def round_progress(*, user, round_: Round, on: date | None = None) -> list[RoundRow]:
    """For every unit in the user's scope with a nominee quota in the round or nominees in
    its classes: the quota and how many were nominated (submitted), accepted, returned,
    attended at least one session and passed — and, for committees above such units, the
    sums of their units. Counts every class of the round; ``on`` limits to nominations
    submitted by that day."""
    units = area_units(plan=round_.plan)
    quotas = _round_quotas(round_, units)
    tallies = _round_tallies(round_, on)
    by_path = {u.path: u for u in units}
    rows: dict[str, RoundRow] = {}
    for u in units:
        if u.pk not in quotas and not tallies["nominated"][u.pk]:
            continue
        figures = {name: tallies[name][u.pk] for name in FIGURES[2:]}
        lo, hi = quotas.get(u.pk, (None, None))
        figures.update(quota_min=lo, quota_max=hi)
        rows[u.path] = RoundRow(unit=u, depth=u.depth, figures=figures)
        _add_to_committees(rows, by_path, u, figures)
    visible = set(unit_list(user=user).values_list("pk", flat=True))
    return [rows[path] for path in sorted(rows) if rows[path].unit.pk in visible]


def _round_quotas(round_: Round, units: list[Unit]) -> dict[int, tuple[int | None, int | None]]:
    """{unit id: (minimum, maximum)} of the round's nominee targets: a unit's own number wins
    over an "every unit of a kind" number; the first target that gives one counts."""
    quotas: dict[int, tuple[int | None, int | None]] = {}
    for target in round_targets(round_):
        for u in units:
            if u.pk not in quotas and target_each_applies(target, u):
                quotas[u.pk] = (target.each_min, target.each_max)
        for value in target.values.all():
            quotas[value.unit_id] = (value.minimum, value.maximum)
    return quotas


def _round_tallies(round_: Round, on: date | None) -> dict[str, Counter]:
    """{figure: {unit id: count}} of the round's submitted nominations, by the unit that
    sent them."""
    nominations = Nomination.objects.filter(training_class__round=round_).exclude(
        status=NominationStatus.DRAFT
    )
    if on is not None:
        nominations = nominations.filter(nominated_on__lte=on)
    tallies: dict[str, Counter] = {name: Counter() for name in FIGURES[2:]}
    attended_ids = set(
        Attendance.objects.filter(
            present=True, nomination__training_class__round=round_
        ).values_list("nomination_id", flat=True)
    )
    for unit_id, status, result, pk in nominations.values_list(
        "nominee_list__unit_id", "status", "result", "pk"
    ):
        tallies["nominated"][unit_id] += 1
        if status == NominationStatus.ACCEPTED:
            tallies["accepted"][unit_id] += 1
            if pk in attended_ids or result in (Result.PASSED, Result.FAILED):
                tallies["attended"][unit_id] += 1
            if result == Result.PASSED:
                tallies["passed"][unit_id] += 1
        elif status == NominationStatus.RETURNED:
            tallies["returned"][unit_id] += 1
    return tallies


def _add_to_committees(
    rows: dict[str, RoundRow], by_path: dict[str, Unit], unit: Unit, figures: dict
) -> None:
    """Add a unit's figures to the row of every committee above it (made when missing)."""
    for i in range(Unit.steplen, len(unit.path), Unit.steplen):
        parent = by_path.get(unit.path[:i])
        if parent is None:
            continue
        row = rows.get(parent.path)
        if row is None:
            row = rows[parent.path] = RoundRow(
                unit=parent,
                depth=parent.depth,
                figures={**dict.fromkeys(FIGURES, 0), "quota_min": None, "quota_max": None},
                is_rollup=True,
            )
        for name in FIGURES:
            value = figures.get(name)
            if value is not None:
                row.figures[name] = (row.figures[name] or 0) + value


# --- counters for the quotas app ------------------------------------------------------------


def _count_by_unit(qs: QuerySet[Nomination], query) -> dict[int, int]:
    from candidates.selectors import person_group_q

    qs = qs.filter(person_group_q(query.group, "candidate__"))
    if query.round_id is not None:
        qs = qs.filter(training_class__round_id=query.round_id)
    if query.unit_ids is not None:
        qs = qs.filter(nominee_list__unit_id__in=query.unit_ids)
    unit = "nominee_list__unit_id"
    qs = qs.order_by()  # no join for the model's order (by the candidate's name)
    return dict(qs.values(unit).annotate(n=Count("pk")).values_list(unit, "n"))


def nominations_counter(query) -> dict[int, int]:
    """Accepted nominees, by the unit that sent them, submitted within the period — of the
    target's round when it has one."""
    if query.measure != Measure.NOMINATIONS:
        return {}
    qs = Nomination.objects.filter(
        status=NominationStatus.ACCEPTED,
        nominated_on__gte=query.start,
        nominated_on__lte=query.end,
    )
    return _count_by_unit(qs, query)


def certifications_counter(query) -> dict[int, int]:
    """Certificates dated within the period, by the unit that sent the nominee."""
    if query.measure != Measure.CERTIFICATIONS:
        return {}
    qs = Nomination.objects.filter(
        result=Result.PASSED,
        certificate_date__gte=query.start,
        certificate_date__lte=query.end,
    )
    return _count_by_unit(qs, query)


def classes_due(query, units: list[Unit]) -> dict[int, date]:
    """The day each of ``units`` must have its records of a step target (``quotas.measures``):
    the latest nomination deadline — for certificates, the latest last session — of the
    target's classes its people may attend (the classes of its round, or without one those
    whose day falls in its period). A unit with no such class has no day."""
    if query.measure == Measure.NOMINATIONS:
        day = F("nomination_deadline")
    elif query.measure == Measure.CERTIFICATIONS:
        day = Max("sessions__dated")
    else:
        return {}
    classes = TrainingClass.objects.filter(plan_id=query.plan_id).annotate(day=day)
    if query.round_id is not None:
        classes = classes.filter(round_id=query.round_id)
    else:
        classes = classes.filter(day__gte=query.start, day__lte=query.end)
    latest: dict[str, date] = {}  # the latest day for each audience of unit
    for audience, when in classes.filter(day__isnull=False).values_list("audience", "day"):
        for unit_audience in AUDIENCES[audience]:
            if unit_audience not in latest or when > latest[unit_audience]:
                latest[unit_audience] = when
    return {u.pk: latest[u.kind.audience] for u in units if u.kind.audience in latest}


# --- the user's to-do list (home page and e-mail reminders) ---------------------------------

# The days before a class's nomination deadline an e-mail announces it (``core.todo``).
DEADLINE_REMIND = (7, 2)


def todo_for(*, user, today: date) -> list:
    """What the user must do about classes (``core.todo.TodoGroup`` list):

    * the Board: the nominee lists waiting for its review, and the classes to close (their
      last session past, accepted nominees without a result);
    * a secretary or committee staff: each class open for nominations whose list for one of
      their units is not sent or short of the round's quota, with the deadline and the gap;
      the people the Board returned, with the reason, while the list can still be changed.

    A constant number of queries for any number of classes and units."""
    from units.selectors import user_is_board

    if user_is_board(user=user):
        return [g for g in (_todo_reviews(user), _todo_closing(user, today)) if g.items]
    pool = nominating_unit_pool(user=user)
    if not pool:
        return []
    return [g for g in (_todo_open(user, pool, today), _todo_returned(pool, today)) if g.items]


def _todo_reviews(user):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.todo import TodoGroup, TodoItem

    waiting = (
        NomineeList.objects.filter(unit__in=unit_list(user=user))
        .exclude(training_class__status=ClassStatus.FINISHED)
        .annotate(
            n_pending=Count("nominations", filter=Q(nominations__status=NominationStatus.PENDING))
        )
        .filter(n_pending__gt=0)
        .select_related("unit", "training_class")
        .order_by("submitted_at", "pk")
    )
    items = [
        TodoItem(
            key=f"training.review:{nl.pk}:{nl.submitted_at:%Y-%m-%dT%H:%M}",
            group="training.review",
            title=_("%(unit)s: %(n)s awaiting review")
            % {"unit": nl.unit.short_name or nl.unit.name, "n": nl.n_pending},
            detail=nl.training_class.name,
            url=reverse("training:list_review", args=[nl.training_class_id, nl.unit_id]),
            unit=nl.unit.short_name or nl.unit.name,
        )
        for nl in waiting
    ]
    return TodoGroup(
        "training.review",
        _("Nominee lists waiting for review"),
        items,
        more_url=reverse("training:class_list") + "?waiting=true",
    )


def _todo_closing(user, today: date):
    """Classes whose last session is past and whose accepted nominees lack a result."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.todo import TodoGroup, TodoItem

    classes = (
        TrainingClass.objects.filter(plan__in=plan_list(user=user))
        .exclude(status=ClassStatus.FINISHED)
        .annotate(
            last_session=Max("sessions__dated"),
            n_open=Count(
                "nominations",
                filter=Q(
                    nominations__status=NominationStatus.ACCEPTED,
                    nominations__result=Result.NONE,
                ),
                distinct=True,
            ),
        )
        .filter(last_session__lt=today, n_open__gt=0)
        .order_by("last_session", "pk")
    )
    items = [
        TodoItem(
            key=f"training.close:{c.pk}",
            group="training.close",
            title=_("%(name)s: attendance and results of %(n)s nominees")
            % {"name": c.name, "n": c.n_open},
            detail=_("last session %(day)s") % {"day": c.last_session.strftime("%d/%m/%Y")},
            url=reverse("training:attendance", args=[c.pk]),
        )
        for c in classes
    ]
    return TodoGroup("training.close", _("Classes to close"), items)


def _todo_open(user, pool: list[Unit], today: date):
    """Each open class the user's units may send people to whose list is not sent, or is
    short of the round's minimum: "18 / at least 20 · 2 missing", with the deadline."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.todo import TodoGroup, TodoItem

    from .rules import quota_missing

    classes = list(
        class_list(user=user)
        .filter(status=ClassStatus.OPEN, nomination_deadline__gte=today)
        .select_related("plan__area")
        .order_by("nomination_deadline", "pk")
    )
    lists = {
        (nl.training_class_id, nl.unit_id): nl
        for nl in NomineeList.objects.filter(
            training_class__in=classes, unit__in=[u.pk for u in pool]
        ).annotate(
            n_counted=Count(
                "nominations", filter=~Q(nominations__status=NominationStatus.RETURNED)
            ),
            n_unsent=Count(
                "nominations",
                filter=Q(
                    nominations__status__in=[NominationStatus.DRAFT, NominationStatus.RETURNED]
                ),
            ),
        )
    }
    targets = rounds_targets({cls.round_id for cls in classes})
    items = []
    for cls in classes:
        for unit in nominating_units_among(pool, cls):
            nl = lists.get((cls.pk, unit.pk))
            counted = nl.n_counted if nl else 0
            bounds = unit_round_bounds(
                unit=unit, round_=cls.round, targets=targets.get(cls.round_id, [])
            )
            missing = quota_missing(bounds, counted)
            unsent = nl is None or nl.status != ListStatus.SUBMITTED or nl.n_unsent > 0
            if not (missing or unsent):
                continue
            if missing:
                detail = _("%(counted)s on the list, %(missing)s missing") % {
                    "counted": counted,
                    "missing": missing,
                }
            else:
                detail = _("%(counted)s on the list, not sent yet") % {"counted": counted}
            items.append(
                TodoItem(
                    key=f"training.nominate:{cls.pk}:{unit.pk}",
                    group="training.nominate",
                    title=_("%(unit)s: nominees for %(name)s")
                    % {"unit": unit.short_name or unit.name, "name": cls.name},
                    detail=detail,
                    url=reverse("training:list_detail", args=[cls.pk, unit.pk]),
                    due=cls.nomination_deadline,
                    remind=DEADLINE_REMIND,
                    days_left=(cls.nomination_deadline - today).days,
                    unit=unit.short_name or unit.name,
                    extra={"missing": missing, "counted": counted},
                )
            )
    return TodoGroup(
        "training.nominate",
        _("Classes open for nominations"),
        items,
        more_url=reverse("training:class_list"),
    )


def _todo_returned(pool: list[Unit], today: date):
    """The people the Board returned, with its reason, while their unit may still change
    the list (``rules.list_change_problem``)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.todo import TodoGroup, TodoItem

    from .rules import list_change_problem

    returned = (
        Nomination.objects.filter(
            status=NominationStatus.RETURNED, nominee_list__unit__in=[u.pk for u in pool]
        )
        .exclude(training_class__status=ClassStatus.FINISHED)
        .select_related("candidate", "training_class", "nominee_list__unit")
        .order_by("training_class__nomination_deadline", "candidate__sort_key", "pk")
    )
    items = []
    for n in returned:
        cls = n.training_class
        if list_change_problem(
            today=today,
            deadline=cls.nomination_deadline,
            class_status=cls.status,
            is_board=False,
        ):
            continue
        unit = n.nominee_list.unit
        stamp = f"{n.reviewed_at:%Y-%m-%dT%H:%M}" if n.reviewed_at else ""
        items.append(
            TodoItem(
                key=f"training.returned:{n.pk}:{stamp}",
                group="training.returned",
                title=_("%(name)s returned by the Board") % {"name": n.candidate.full_name},
                detail=n.reason or n.nominee_list.returned_reason,
                url=reverse("training:list_detail", args=[cls.pk, unit.pk]),
                due=cls.nomination_deadline,
                days_left=(cls.nomination_deadline - today).days,
                unit=unit.short_name or unit.name,
            )
        )
    return TodoGroup("training.returned", _("People returned by the Board"), items)
