"""Reads of plans and targets, scoped to the user.

Progress is not read here: ``quotas.progress.target_progress`` turns a target and a day into
actual, target, remaining and status; ``quotas.dashboard.plan_dashboard`` lays it out.
"""

from datetime import date, timedelta

from django.db.models import Case, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from units.models import Unit
from units.selectors import role_assignment_list, unit_list, unit_subtree

from .choices import PersonGroup, PlanStatus
from .models import HistoricalTotal, Plan, Target


def plan_list(*, user) -> QuerySet[Plan]:
    """The plans a user may read: those whose area covers, or lies under, a unit they hold."""
    qs = Plan.objects.select_related("issuer", "area").order_by("-year", "-issued_on", "number")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    q = Q(pk__in=[])
    for ra in role_assignment_list(user=user):
        path = ra.unit.path
        prefixes = [path[:i] for i in range(Unit.steplen, len(path) + 1, Unit.steplen)]
        q |= Q(area__path__in=prefixes) | Q(area__path__startswith=path)
    return qs.filter(q)


def plan_get(*, user, pk: int) -> Plan:
    return get_object_or_404(plan_list(user=user), pk=pk)


def plan_find(*, number: str, user=None) -> list[Plan]:
    """Plans whose number is ``number`` once spaces, case, accents and separators are ignored
    ("145/KH-HU" = "145-KH/HU")."""
    from .models import plan_number_key

    qs = plan_list(user=user) if user is not None else Plan.objects.select_related("issuer")
    return list(qs.filter(number_key=plan_number_key(number)))


def plan_current(*, user, on: date) -> Plan | None:
    """The plan to show by default: in force, for the year of ``on`` or else the latest."""
    plans = list(plan_list(user=user).filter(status=PlanStatus.IN_FORCE))
    for plan in plans:
        if plan.year == on.year:
            return plan
    return plans[0] if plans else None


def plan_default_day(*, plan: Plan, today: date) -> date:
    """The day a plan's progress is shown for: today, or the day after the plan's last
    deadline once that is past (a 2024 plan is shown as it ended, with final statuses)."""
    last = plan.targets.order_by("-ends_on").values_list("ends_on", flat=True).first()
    if last is not None and today > last:
        return last + timedelta(days=1)
    return today


def target_list(*, plan: Plan) -> list[Target]:
    return list(
        plan.targets.select_related("round", "count_kind", "each_kind").order_by("position", "pk")
    )


def area_units(*, plan: Plan) -> list[Unit]:
    """Every unit a plan reaches, in tree order (not scoped to a user: counting needs them
    all; what is *shown* is scoped by the callers)."""
    return list(unit_subtree(unit=plan.area).select_related("kind", "admission_unit"))


# --- historical totals ---------------------------------------------------------------------


def historical_total_list(*, user) -> QuerySet[HistoricalTotal]:
    """The historical totals of the units the user may see, newest year first, in tree
    order."""
    group_order = Case(
        *(When(group=group, then=Value(i)) for i, group in enumerate(PersonGroup.values)),
        default=Value(len(PersonGroup.values)),
    )
    return (
        HistoricalTotal.objects.filter(unit__in=unit_list(user=user))
        .select_related("unit")
        .order_by("-dated", "unit__path", "measure", group_order)
    )


# --- the user's to-do list (home page and e-mail reminders) ---------------------------------

# A draft plan issued this many days ago should be in force (or deleted) by now.
STALE_DRAFT_DAYS = 14


def todo_for(*, user, today: date) -> list:
    """The Board's plans whose status is stale (``core.todo.TodoGroup`` list): a draft
    issued more than ``STALE_DRAFT_DAYS`` ago, and a plan still in force after its year has
    ended (to close). Only the plans issued by units the Board sees from its own units
    down (not a province's plan above it); one query."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.todo import TodoGroup, TodoItem
    from units.selectors import user_is_board

    if not user_is_board(user=user):
        return []
    plans = plan_list(user=user).filter(
        Q(status=PlanStatus.DRAFT, issued_on__lt=today - timedelta(days=STALE_DRAFT_DAYS))
        | Q(status=PlanStatus.IN_FORCE, year__lt=today.year),
        issuer__in=unit_list(user=user),
    )
    items = [
        TodoItem(
            key=f"quotas.plan:{plan.pk}:{plan.status}",
            group="quotas.plan",
            title=str(plan),
            detail=(
                _("still a draft: put it in force or delete it")
                if plan.status == PlanStatus.DRAFT
                else _("in force although %(year)s has ended: close it") % {"year": plan.year}
            ),
            url=reverse("quotas:plan_update", args=[plan.pk]),
        )
        for plan in plans
    ]
    if not items:
        return []
    return [TodoGroup("quotas.plan", _("Plans whose status is out of date"), items)]
