"""The only code that changes units, aliases and role assignments.

Every function is one transaction, takes the acting user and writes an ``AuditEvent``.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.db.models import Q

from core.audit import audit_record, delete_audited, save_audited

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
    "decides_admissions",
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
def unit_move(
    *, actor: AbstractBaseUser | None, unit: Unit, parent: Unit, position: str = "last-child"
) -> Unit:
    """Put ``unit`` (with everything below it) under ``parent``, as its last child; with
    another treebeard ``position`` ("left", "right", "first-child", ...) ``parent`` is the
    unit it goes beside or under."""
    Unit.objects.move(unit, parent, position)
    unit.refresh_from_db()
    details = {} if position == "last-child" else {"position": position}
    audit_record(actor=actor, action="unit_move", unit=unit, parent=parent.code, **details)
    return unit


@transaction.atomic
def unit_save(
    *,
    actor: AbstractBaseUser | None,
    unit: Unit,
    fields: Iterable[str] = (),
    target: Unit | None = None,
    position: str | None = None,
) -> Unit:
    """Create ``unit`` or save the ``fields`` set on it (the tree form of the admin), and with
    a ``position`` put it there relative to ``target`` (no target: among the roots)."""
    unit.full_clean(exclude=["path", "depth", "numchild"])
    creating = unit._state.adding
    fields = list(fields)
    if creating and target is not None:
        unit = Unit.objects.add_child(target, instance=unit)
        Unit.objects.move(unit, target, pos=position or "last-child")
    elif creating:
        unit = Unit.objects.add_root(instance=unit)
    else:
        if fields:
            unit.save(update_fields=fields)
        if position and target is not None:
            Unit.objects.move(unit, target, pos=position)
        elif position:
            Unit.objects.move(unit, Unit.objects.get_first_root_node(), "first-sibling")
    unit.refresh_from_db()
    audit_record(
        actor=actor,
        action="unit_create" if creating else "unit_update",
        unit=unit,
        code=unit.code,
        fields=sorted(fields),
        position=position or "",
        target=target.code if target is not None else "",
    )
    return unit


@transaction.atomic
def unit_delete(*, actor: AbstractBaseUser | None, unit: Unit) -> None:
    """Delete a unit and every unit below it (records that point to them protect them)."""
    codes = [u.code for u in Unit.objects.get_descendants(unit)]
    delete_audited(unit, actor=actor, action="unit_delete", unit=unit, code=unit.code, below=codes)


@transaction.atomic
def unit_kind_save(
    *, actor: AbstractBaseUser | None, kind: UnitKind, fields: Iterable[str] = ()
) -> list[str]:
    """Create a kind of unit, or save the ``fields`` set on it."""
    action = "unit_kind_create" if kind._state.adding else "unit_kind_update"
    return save_audited(kind, actor=actor, action=action, fields=fields, code=kind.code)


@transaction.atomic
def unit_kind_delete(*, actor: AbstractBaseUser | None, kind: UnitKind) -> None:
    """Delete a kind no unit has (units of the kind protect it)."""
    delete_audited(kind, actor=actor, action="unit_kind_delete", code=kind.code)


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
        _board_admin_grant(user)
    if created:
        audit_record(
            actor=actor, action="role_assign", unit=unit, user=user.get_username(), role=role
        )
    return assignment


@transaction.atomic
def role_assignment_update(
    *, actor: AbstractBaseUser | None, assignment: RoleAssignment, fields: Iterable[str]
) -> list[str]:
    """Save the ``fields`` set on an assignment (another user, unit or role); a Board role
    gives its holder the admin, as ``role_assign`` does."""
    changed = save_audited(
        assignment,
        actor=actor,
        action="role_assignment_update",
        fields=fields,
        unit=assignment.unit,
        user=assignment.user.get_username(),
        role=assignment.role,
    )
    if changed and assignment.role == Role.BOARD:
        _board_admin_grant(assignment.user)
    return changed


@transaction.atomic
def role_revoke(*, actor: AbstractBaseUser | None, assignment: RoleAssignment) -> None:
    """Take a role away from its holder."""
    delete_audited(
        assignment,
        actor=actor,
        action="role_revoke",
        unit=assignment.unit,
        user=assignment.user.get_username(),
        role=assignment.role,
    )


def _board_admin_grant(user: AbstractBaseUser) -> None:
    """Board staff get the Django admin: staff status and the "Ban Tổ chức" group."""
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(board_group_sync())


BOARD_GROUP = "Ban Tổ chức"
# What Board staff may do in the Django admin: our registers and the user accounts.
BOARD_APPS = ("core", "units", "quotas", "training", "candidates", "reports", "reminders")
BOARD_AUTH_MODELS = ("user", "group")
# ... and django-axes' failed-login counts: seen, and deleted to unlock a user early.
BOARD_AXES_PERMISSIONS = ("view_accessattempt", "delete_accessattempt")


def board_group_sync() -> Group:
    """Make the "Ban Tổ chức" group hold every permission Board staff need in the admin.

    Runs after every ``migrate`` (post_migrate), so new models' permissions reach the group.
    """
    group, _created = Group.objects.get_or_create(name=BOARD_GROUP)
    perms = Permission.objects.filter(
        Q(content_type__app_label__in=BOARD_APPS)
        | Q(content_type__app_label="auth", content_type__model__in=BOARD_AUTH_MODELS)
        | Q(content_type__app_label="axes", codename__in=BOARD_AXES_PERMISSIONS)
    )
    wanted = set(perms.values_list("pk", flat=True))
    if set(group.permissions.values_list("pk", flat=True)) != wanted:
        group.permissions.set(wanted)
    return group


# --- accounts (the Django admin's users and groups) ----------------------------------------


def _m2m_set(instance, m2m: Mapping[str, Iterable[Any]] | None) -> list[str]:
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return sorted(m2m or {})


@transaction.atomic
def account_save(
    *,
    actor: AbstractBaseUser | None,
    user: AbstractBaseUser,
    fields: Iterable[str] = (),
    m2m: Mapping[str, Iterable[Any]] | None = None,
) -> list[str]:
    """Create a user account or save the ``fields`` set on it (a password set by the
    creation form is already hashed); ``m2m`` sets groups and permissions."""
    creating = user._state.adding
    fields = [name for name in fields if name != "password"] + (["password"] if creating else [])
    if creating:
        user.save()
    elif fields:
        user.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="account_create" if creating else "account_update",
        obj=user,
        username=user.get_username(),
        fields=sorted(fields),
        related=_m2m_set(user, m2m),
    )
    return fields


@transaction.atomic
def account_delete(*, actor: AbstractBaseUser | None, user: AbstractBaseUser) -> None:
    delete_audited(user, actor=actor, action="account_delete", username=user.get_username())


@transaction.atomic
def account_password_audit(*, actor: AbstractBaseUser | None, user: AbstractBaseUser) -> None:
    """Record that ``user``'s password was set or disabled (Django's password form sets it,
    in the admin's transaction)."""
    audit_record(
        actor=actor,
        action="account_password_set",
        obj=user,
        username=user.get_username(),
        usable=user.has_usable_password(),
    )


@transaction.atomic
def group_save(
    *,
    actor: AbstractBaseUser | None,
    group: Group,
    fields: Iterable[str] = (),
    m2m: Mapping[str, Iterable[Any]] | None = None,
) -> Group:
    """Create a group of users or save its name; ``m2m`` sets its permissions."""
    creating = group._state.adding
    group.full_clean()
    group.save()
    audit_record(
        actor=actor,
        action="group_create" if creating else "group_update",
        obj=group,
        name=group.name,
        fields=sorted(fields),
        related=_m2m_set(group, m2m),
    )
    return group


@transaction.atomic
def group_delete(*, actor: AbstractBaseUser | None, group: Group) -> None:
    delete_audited(group, actor=actor, action="group_delete", name=group.name)
