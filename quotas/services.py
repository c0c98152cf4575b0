"""The only code that changes plans, rounds, targets and their numbers.

Every function is one transaction, takes the acting user and writes an ``AuditEvent``.
"""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit_record, delete_audited
from core.changes import bulk_create_audited
from core.concurrency import OpenedAs, check_unchanged
from units.models import Unit

from .choices import PlanStatusSetting
from .history.plan import UNCHANGED, HistoricalImportPlan, historical_totals_plan
from .models import HistoricalTotal, Plan, Round, Target, TargetValue
from .rules import shift_year_in_text, shift_years

if TYPE_CHECKING:
    from .history.read import HistoryRow

Bounds = tuple[int | None, int | None]


def _save(
    instance, *, actor, action: str, unit: Unit, opened_as: OpenedAs | None = None, **details
) -> None:
    check_unchanged(instance, opened_as)
    creating = instance.pk is None
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor,
        action=f"{action}_{'create' if creating else 'update'}",
        unit=unit,
        obj=instance,
        pk=instance.pk,
        **details,
    )


def _remove_file_on_commit(field_file, name: str) -> None:
    """Delete a stored file once the change that dropped it is committed (a rolled-back
    change keeps it), unless another plan still points to it."""
    storage = field_file.storage

    def remove() -> None:
        if name and not Plan.objects.filter(attachment=name).exists():
            storage.delete(name)

    transaction.on_commit(remove)


@transaction.atomic
def plan_save(
    *, actor: AbstractBaseUser | None, plan: Plan, opened_as: OpenedAs | None = None
) -> Plan:
    """Create or update a plan (validated); with ``opened_as`` (the edit form's), refused if
    someone else changed it since. A replaced or cleared attachment's old file is removed
    from storage."""
    check_unchanged(plan, opened_as)
    old = None
    if plan.pk is not None:
        old = Plan.objects.filter(pk=plan.pk).values_list("attachment", flat=True).first()
    _save(plan, actor=actor, action="plan", unit=plan.issuer, number=plan.number)
    if old and old != plan.attachment.name:
        _remove_file_on_commit(plan.attachment, old)
    return plan


@transaction.atomic
def plan_create(*, actor: AbstractBaseUser | None, **fields: Any) -> Plan:
    return plan_save(actor=actor, plan=Plan(**fields))


@transaction.atomic
def plan_delete(*, actor: AbstractBaseUser | None, plan: Plan) -> None:
    """Delete a plan with its rounds and targets (classes of the plan protect it), and its
    attached file."""
    attachment = plan.attachment.name
    delete_audited(plan, actor=actor, action="plan_delete", unit=plan.issuer, pk=plan.pk)
    if attachment:
        _remove_file_on_commit(plan.attachment, attachment)


# What a copied target does not keep as it is: its plan, round, dates and texts move to the
# new plan and year; every other field (what it counts, for whom, its numbers) is copied.
_TARGET_MOVED = {"id", "plan", "round", "starts_on", "ends_on", "name", "source_text"}
_VALUE_COPIED = ["unit_id", "minimum", "maximum", "note", "section", "position"]


@transaction.atomic
def plan_copy(*, plan: Plan, year: int, actor: AbstractBaseUser | None) -> Plan:
    """A draft plan for ``year`` made from ``plan``: the same issuer and area, class rounds,
    targets (shapes and numbers per unit), every date and every mention of the old year in
    titles and names moved to ``year`` (29/02 becomes 28/02). The attached file is not
    copied. The new plan's number says it is a draft; the Board types the real one when
    the plan is issued.

    Refused (``ValidationError``) when the issuer already has a plan for ``year``.
    """
    existing = Plan.objects.filter(issuer=plan.issuer_id, year=year).first()
    if existing is not None:
        raise ValidationError(
            _("%(issuer)s already has a plan for %(year)s: %(number)s.")
            % {"issuer": plan.issuer.name, "year": year, "number": existing.number}
        )
    years = year - plan.year

    def text(value: str) -> str:
        return shift_year_in_text(value, old=plan.year, new=year)

    new = Plan(
        number=_("draft %(year)s") % {"year": year},
        title=text(plan.title),
        issuer=plan.issuer,
        issuer_label=plan.issuer_label,
        area=plan.area,
        issued_on=shift_years(plan.issued_on, years),
        year=year,
        implements=plan.implements,
        status=PlanStatusSetting.DRAFT,
    )
    new.full_clean()
    new.save()
    rounds = {}
    for old in plan.rounds.all():
        rounds[old.pk] = Round.objects.create(
            plan=new,
            number=old.number,
            name=text(old.name),
            starts_on=shift_years(old.starts_on, years),
            ends_on=shift_years(old.ends_on, years),
        )
    values = []
    for old in plan.targets.prefetch_related("values"):
        target = Target.objects.create(
            plan=new,
            name=text(old.name),
            source_text=text(old.source_text),
            round=rounds.get(old.round_id),
            starts_on=shift_years(old.starts_on, years),
            ends_on=shift_years(old.ends_on, years),
            **{
                f.attname: getattr(old, f.attname)
                for f in Target._meta.concrete_fields
                if f.name not in _TARGET_MOVED
            },
        )
        values += [
            TargetValue(target=target, **{name: getattr(v, name) for name in _VALUE_COPIED})
            for v in old.values.all()
        ]
    bulk_create_audited(TargetValue, values)
    audit_record(
        actor=actor,
        action="plan_copy",
        unit=plan.issuer,
        obj=new,
        pk=new.pk,
        source=plan.pk,
        year=year,
    )
    return new


@transaction.atomic
def round_save(
    *, actor: AbstractBaseUser | None, round: Round, opened_as: OpenedAs | None = None
) -> Round:
    """Create or update a round; with ``opened_as``, refused if someone else changed it since."""
    _save(
        round,
        actor=actor,
        action="round",
        unit=round.plan.issuer,
        opened_as=opened_as,
        name=round.name,
    )
    return round


@transaction.atomic
def round_delete(*, actor: AbstractBaseUser | None, round: Round) -> None:
    delete_audited(round, actor=actor, action="round_delete", unit=round.plan.issuer, pk=round.pk)


@transaction.atomic
def target_save(
    *,
    actor: AbstractBaseUser | None,
    target: Target,
    area_bounds: Bounds | None = None,
    opened_as: OpenedAs | None = None,
) -> Target:
    """Create or update a target; with ``opened_as`` (the edit form's), refused if someone
    else changed it since. ``area_bounds`` (min, max), when given, is the number for the
    plan's whole area ("250 a year", "at least 2%"); (None, None) removes it."""
    _save(
        target,
        actor=actor,
        action="target",
        unit=target.plan.issuer,
        opened_as=opened_as,
        name=target.name,
    )
    if area_bounds is not None:
        target_values_set(
            actor=actor, plan=target.plan, cells={(target.pk, target.plan.area_id): area_bounds}
        )
    return target


@transaction.atomic
def target_delete(*, actor: AbstractBaseUser | None, target: Target) -> None:
    pk, name = target.pk, target.name
    target.delete()
    audit_record(actor=actor, action="target_delete", unit=target.plan.issuer, pk=pk, name=name)


@transaction.atomic
def target_value_save(*, actor: AbstractBaseUser | None, value: TargetValue) -> TargetValue:
    """Create or update one number of a target, with its note and place in the annex."""
    _save(value, actor=actor, action="target_value", unit=value.unit, target=value.target_id)
    return value


@transaction.atomic
def target_value_delete(*, actor: AbstractBaseUser | None, value: TargetValue) -> None:
    delete_audited(
        value, actor=actor, action="target_value_delete", unit=value.unit, target=value.target_id
    )


@transaction.atomic
def target_values_set(
    *,
    actor: AbstractBaseUser | None,
    plan: Plan,
    cells: Mapping[tuple[int, int], Bounds],
) -> int:
    """Set the numbers of ``plan``'s targets: ``{(target_id, unit_id): (min, max)}``.

    (None, None) removes a number. Every value is validated before anything is written;
    returns how many numbers changed.
    """
    target_ids = set(plan.targets.values_list("pk", flat=True))
    existing = {
        (v.target_id, v.unit_id): v
        for v in TargetValue.objects.filter(target__plan=plan, target_id__in=target_ids)
    }
    to_save: list[TargetValue] = []
    to_delete: list[int] = []
    for (target_id, unit_id), (minimum, maximum) in cells.items():
        if target_id not in target_ids:
            raise ValueError(f"target {target_id} is not a target of plan {plan.pk}")
        value = existing.get((target_id, unit_id))
        if minimum is None and maximum is None:
            if value is not None:
                to_delete.append(value.pk)
            continue
        if value is None:
            value = TargetValue(target_id=target_id, unit_id=unit_id)
        elif (value.minimum, value.maximum) == (minimum, maximum):
            continue
        value.minimum, value.maximum = minimum, maximum
        value.full_clean(validate_unique=False)
        to_save.append(value)
    for value in to_save:
        value.save()
    TargetValue.objects.filter(pk__in=to_delete).delete()
    changed = len(to_save) + len(to_delete)
    if changed and actor is not None:
        audit_record(
            actor=actor, action="target_values_set", unit=plan.issuer, plan=plan.pk, changed=changed
        )
    return changed


@transaction.atomic
def historical_total_record(
    *, actor: AbstractBaseUser | None, total: HistoricalTotal
) -> HistoricalTotal:
    total.recorded_by = actor
    _save(total, actor=actor, action="historical_total", unit=total.unit, count=total.count)
    return total


@transaction.atomic
def historical_total_delete(*, actor: AbstractBaseUser | None, total: HistoricalTotal) -> None:
    delete_audited(
        total, actor=actor, action="historical_total_delete", unit=total.unit, count=total.count
    )


@transaction.atomic
def historical_totals_import(
    *, actor: AbstractBaseUser | None, rows: Iterable["HistoryRow"]
) -> HistoricalImportPlan:
    """Save the historical totals of checked rows (``quotas.history``): all or none.

    One total per number, dated 31/12 of the row's year (created, or updated when it
    exists); the year's quota on the admissions total for everyone. A number equal to the
    saved one is left alone, so importing the same file twice changes nothing. Every total
    is validated before anything is saved; a ``ValidationError`` undoes the whole import.
    One audit record when anything changed.

    The rows come checked (units found, one row per unit and year), so each total's fields
    are validated without a query per total; the database's unique and check constraints
    stay the last guard (an import of the same totals at the same moment).
    """
    rows = list(rows)
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        key = (row.unit.pk, row.year)
        if key in seen:
            raise ValidationError(
                _("%(unit)s, %(year)s is given twice (rows %(first)s and %(row)s).")
                % {"unit": row.unit.name, "year": row.year, "first": seen[key], "row": row.row}
            )
        seen[key] = row.row
    plan = historical_totals_plan(rows=rows)
    recorder = actor if actor is not None and actor.is_authenticated else None
    written = [c for c in plan.changes if c.status != UNCHANGED]
    for change in written:
        change.total.recorded_by = recorder
        change.total.full_clean(
            exclude=["unit", "recorded_by"], validate_unique=False, validate_constraints=False
        )
    try:
        for change in written:
            change.total.save()
    except IntegrityError:
        raise ValidationError(
            _("Some of these totals were saved by someone else meanwhile; import the file again.")
        ) from None
    if written:
        audit_record(
            actor=actor,
            action="historical_totals_import",
            created=plan.created,
            updated=plan.updated,
            unchanged=plan.unchanged,
            units=sorted({c.total.unit_id for c in written}),
            years=plan.years,
        )
    return plan
