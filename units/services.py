"""The only code that changes units, aliases and role assignments.

Every function is one transaction, takes the acting user and writes an ``AuditEvent``.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import AuditEvent, RoleAssignment, Unit, UnitAlias, UnitKind

UNIT_FIELDS = (
    "kind",
    "name",
    "short_name",
    "has_party_organisation",
    "has_trade_union",
    "non_state_capital",
    "admission_unit",
    "active_from",
    "active_to",
)


def audit_record(
    *, actor: AbstractBaseUser | None, action: str, unit: Unit | None = None, **details: Any
) -> AuditEvent:
    return AuditEvent.objects.create(actor=actor, action=action, unit=unit, details=details)


@transaction.atomic
def unit_create(
    *,
    actor: AbstractBaseUser | None,
    parent: Unit | None,
    kind: UnitKind,
    code: str,
    name: str,
    aliases: Iterable[str] = (),
    **fields: Any,
) -> Unit:
    """Create a unit under ``parent`` (a new root when ``parent`` is None)."""
    unit = Unit(kind=kind, code=code, name=name, **fields)
    if parent is not None:
        # path/depth are set by treebeard; validate everything else first.
        unit.full_clean(exclude=["path", "depth", "numchild"])
        unit = Unit.objects.add_child(parent, instance=unit)
    else:
        unit.full_clean(exclude=["path", "depth", "numchild"])
        unit = Unit.objects.add_root(instance=unit)
    unit_set_aliases(actor=None, unit=unit, aliases=aliases)
    audit_record(actor=actor, action="unit_create", unit=unit, code=code, name=name)
    return unit


@transaction.atomic
def unit_update(*, actor: AbstractBaseUser | None, unit: Unit, **fields: Any) -> list[str]:
    """Change the given fields; returns the names of the fields that really changed."""
    changed = [name for name, value in fields.items() if getattr(unit, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(unit, name, fields[name])
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save(update_fields=changed)
    audit_record(actor=actor, action="unit_update", unit=unit, fields=sorted(changed))
    return changed


@transaction.atomic
def unit_move(*, actor: AbstractBaseUser | None, unit: Unit, parent: Unit) -> Unit:
    """Put ``unit`` (with everything below it) under ``parent``, as its last child."""
    Unit.objects.move(unit, parent, "last-child")
    unit.refresh_from_db()
    audit_record(actor=actor, action="unit_move", unit=unit, parent=parent.code)
    return unit


@transaction.atomic
def unit_set_aliases(*, actor: AbstractBaseUser | None, unit: Unit, aliases: Iterable[str]) -> bool:
    """Make the unit's aliases exactly ``aliases``; returns whether anything changed.

    Repeats and the unit's own name are dropped. Spellings that differ only by accents
    ("Thăng" for "Thắng") are kept: they record how documents really write the name.
    """
    wanted: dict[str, str] = {}
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and alias != unit.name and alias not in wanted:
            wanted[alias] = alias
    current = {a.name: a for a in unit.aliases.all()}
    to_delete = [a.pk for name, a in current.items() if name not in wanted]
    to_add = [name for name in wanted if name not in current]
    if not to_delete and not to_add:
        return False
    UnitAlias.objects.filter(pk__in=to_delete).delete()
    for name in to_add:
        UnitAlias(unit=unit, name=name).save()
    if actor is not None:
        audit_record(actor=actor, action="unit_set_aliases", unit=unit, aliases=sorted(wanted))
    return True


@transaction.atomic
def role_assign(
    *, actor: AbstractBaseUser | None, user: AbstractBaseUser, unit: Unit, role: str
) -> RoleAssignment:
    """Give ``user`` the ``role`` at ``unit`` (idempotent)."""
    assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit_record(
            actor=actor, action="role_assign", unit=unit, user=user.get_username(), role=role
        )
    return assignment
