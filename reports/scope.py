"""What a report covers and for whom: the plan, the period, the units the user may see.

``report_scope`` is the one place a report decides its units. It reads the plan through
``quotas.selectors.plan_get`` and the units through ``units.selectors.unit_list`` (404 for a
plan or unit the user may not see), so a secretary's report holds their own unit only and a
commune committee's the cells under it — the same rule as every list and dashboard.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.http import Http404
from django.utils.translation import gettext as _

from core.text import nfc
from quotas.models import Plan
from quotas.selectors import area_units, plan_get
from units.models import Unit
from units.selectors import unit_list


@dataclass(frozen=True)
class Letterhead:
    """What is typed once when a report is issued (blank while it is a draft)."""

    number: str = ""  # "12-BC/HU" (the "Số" is added by the heading)
    issued_on: date | None = None
    mandate: str = ""  # "T/M BAN THƯỜNG VỤ"
    signer_title: str = ""  # "PHÓ BÍ THƯ"
    signer_name: str = ""
    recipients: tuple[str, ...] = ()


@dataclass
class Scope:
    plan: Plan
    root: Unit  # the unit the report is about: the plan's area, or a unit under it
    units: list[Unit]  # every unit the plan reaches, in tree order (for counting)
    visible: list[Unit]  # those the report shows: under ``root`` and seen by the user
    start: date  # the period the report covers
    end: date
    letterhead: Letterhead = field(default_factory=Letterhead)
    # Figures worked out once for the scope and read by several parts of a report.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def visible_ids(self) -> set[int]:
        return {u.pk for u in self.visible}

    @property
    def is_whole_plan(self) -> bool:
        return self.root.pk == self.plan.area_id

    @property
    def year(self) -> int:
        return self.plan.year

    def depth(self, unit: Unit) -> int:
        return max(0, unit.depth - self.root.depth)

    def label(self, unit: Unit) -> str:
        return nfc(unit.name)


def _under(unit: Unit, root: Unit) -> bool:
    """``unit`` is under ``root``, or its admissions are run by a unit under it (as every
    list and the dashboard count it)."""
    if unit.path.startswith(root.path):
        return True
    runner = unit.admission_unit if unit.admission_unit_id else None
    return runner is not None and runner.path.startswith(root.path)


def report_scope(
    *,
    user,
    plan_pk: int,
    unit_pk: int | None = None,
    start: date | None = None,
    end: date | None = None,
    letterhead: Letterhead | None = None,
) -> Scope:
    """The scope of a report of plan ``plan_pk`` for ``user``; 404 when the user may not
    read the plan or the unit. Without a unit, the highest unit of the plan's area that the
    user sees (the area itself for the Board and the standing office)."""
    plan = plan_get(user=user, pk=plan_pk)
    units = area_units(plan=plan)
    seen = set(
        unit_list(user=user).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
    )
    by_id = {u.pk: u for u in units}
    if unit_pk is not None:
        root = by_id.get(unit_pk)
        if root is None or root.pk not in seen:
            raise Http404(_("You may not see this unit's report."))
    else:
        root = next((u for u in units if u.pk in seen), None)
        if root is None:
            raise Http404(_("No unit of this plan is yours."))
    visible = [u for u in units if u.pk in seen and _under(u, root)]
    year_start, year_end = date(plan.year, 1, 1), date(plan.year, 12, 31)
    start = start or year_start
    end = end or year_end
    if end < start:
        raise ValueError(_("The end of the period is before its start."))
    return Scope(
        plan=plan,
        root=root,
        units=units,
        visible=visible,
        start=start,
        end=end,
        letterhead=letterhead or Letterhead(),
    )
