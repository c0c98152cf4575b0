"""Reads of plans and targets, scoped to the user.

Progress is not read here: ``quotas.progress.target_progress`` turns a target and a day into
actual, target, remaining and status; ``quotas.dashboard.plan_dashboard`` lays it out.
"""

from datetime import date, timedelta

from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from units.models import Unit
from units.selectors import role_assignment_list, unit_list, unit_subtree

from .choices import PersonGroup, PlanStatus, PlanStatusSetting
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


def plan_status_expression(*, today: date) -> Case:
    """``quotas.rules.plan_status`` in SQL, to filter plans by where they stand on
    ``today`` (a test keeps the two alike)."""
    return Case(
        When(status=PlanStatusSetting.DRAFT, then=Value(PlanStatus.DRAFT.value)),
        When(status=PlanStatusSetting.IN_FORCE, then=Value(PlanStatus.IN_FORCE.value)),
        When(status=PlanStatusSetting.CLOSED, then=Value(PlanStatus.CLOSED.value)),
        When(issued_on__gt=today, then=Value(PlanStatus.UPCOMING.value)),
        When(year__lt=today.year, then=Value(PlanStatus.CLOSED.value)),
        default=Value(PlanStatus.IN_FORCE.value),
        output_field=CharField(),
    )


def plan_annotate_status(qs: QuerySet[Plan], *, today: date) -> QuerySet[Plan]:
    """``qs`` with ``status_now``: where each plan stands on ``today`` (to filter and sort;
    pages show ``Plan.current_status``, the same rule)."""
    if "status_now" in qs.query.annotations:
        return qs
    return qs.annotate(status_now=plan_status_expression(today=today))


def plan_with_status(qs: QuerySet[Plan], *, status: str, today: date) -> QuerySet[Plan]:
    """The plans of ``qs`` that stand at ``status`` on ``today``."""
    return plan_annotate_status(qs, today=today).filter(status_now=status)


def plan_for_year(*, user, year: int) -> Plan | None:
    """The plan to show for ``year``: the user's plan of that year that is not a draft, else
    the latest such plan (None when the user sees none). Of several plans of a year, the
    one issued last."""
    plans = plan_list(user=user).exclude(status=PlanStatusSetting.DRAFT)
    return plans.filter(year=year).first() or plans.first()


def plan_current(*, user, on: date) -> Plan | None:
    """The plan to show by default: the plan of the year of ``on``, else the latest."""
    return plan_for_year(user=user, year=on.year)


def plan_other_years(*, user, plan: Plan) -> list[Plan]:
    """The user's other plans that are not drafts, newest year first: the links to the
    plans of other years beside a plan's progress."""
    plans = plan_list(user=user).exclude(status=PlanStatusSetting.DRAFT).exclude(pk=plan.pk)
    return list(plans)


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
    issued more than ``STALE_DRAFT_DAYS`` ago. (An issued plan closes by itself at the end
    of its year: nothing to do.) Only the plans issued by units the Board sees from its own
    units down (not a province's plan above it); one query."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.todo import TodoGroup, TodoItem
    from units.selectors import user_is_board

    if not user_is_board(user=user):
        return []
    plans = plan_list(user=user).filter(
        status=PlanStatusSetting.DRAFT,
        issued_on__lt=today - timedelta(days=STALE_DRAFT_DAYS),
        issuer__in=unit_list(user=user),
    )
    items = [
        TodoItem(
            key=f"quotas.plan:{plan.pk}:{plan.status}",
            group="quotas.plan",
            title=str(plan),
            detail=_("still a draft: put it in force or delete it"),
            url=reverse("quotas:plan_update", args=[plan.pk]),
        )
        for plan in plans
    ]
    if not items:
        return []
    return [TodoGroup("quotas.plan", _("Plans whose status is out of date"), items)]
