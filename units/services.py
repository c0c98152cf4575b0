"""The only code that changes units, aliases and role assignments.

Every function is one transaction, takes the acting user and writes an ``AuditEvent``.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.db.models import Q

from core.audit import audit_record

from .choices import Role
from .models import RoleAssignment, Unit, UnitAlias, UnitKind

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
    """Give ``user`` the ``role`` at ``unit`` (idempotent).

    Board staff also get the Django admin: staff status and the "Ban Tổ chức" group.
    """
    assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if role == Role.BOARD:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(board_group_sync())
    if created:
        audit_record(
            actor=actor, action="role_assign", unit=unit, user=user.get_username(), role=role
        )
    return assignment


BOARD_GROUP = "Ban Tổ chức"
# What Board staff may do in the Django admin: our registers and the user accounts.
BOARD_APPS = ("units", "quotas", "training", "candidates", "reports")
BOARD_AUTH_MODELS = ("user", "group")


def board_group_sync() -> Group:
    """Make the "Ban Tổ chức" group hold every permission Board staff need in the admin.

    Runs after every ``migrate`` (post_migrate), so new models' permissions reach the group.
    """
    group, _created = Group.objects.get_or_create(name=BOARD_GROUP)
    perms = Permission.objects.filter(
        Q(content_type__app_label__in=BOARD_APPS)
        | Q(content_type__app_label="auth", content_type__model__in=BOARD_AUTH_MODELS)
    )
    wanted = set(perms.values_list("pk", flat=True))
    if set(group.permissions.values_list("pk", flat=True)) != wanted:
        group.permissions.set(wanted)
    return group
