"""The audit trail: every service writes one ``AuditEvent`` in its own transaction.

``audit_record`` writes the row; ``save_audited`` is HackSoft's ``model_update`` shape —
set fields, ``full_clean``, save with ``update_fields``, return what changed — with the
audit row written beside the save.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def _plain(value: Any) -> Any:
    """A value as JSON can hold it: model instances by primary key, dates as ISO text."""
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    unit: models.Model | None = None,
    obj: models.Model | None = None,
    **details: Any,
) -> AuditEvent:
    """Write who (``actor``; ``None`` for the system) did ``action`` to ``obj`` in ``unit``."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
        action=action,
        unit_id=unit.pk if unit is not None else None,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        details=_plain(details),
    )


def save_audited(
    instance: models.Model,
    *,
    actor: AbstractBaseUser | None,
    action: str,
    data: Mapping[str, Any] | None = None,
    fields: Iterable[str] | None = None,
    unit: models.Model | None = None,
    exclude: Iterable[str] = (),
    **details: Any,
) -> list[str]:
    """Set ``data`` on ``instance``, validate and save it, and audit the change.

    A new instance is created; an existing one is saved with ``update_fields`` limited to
    the fields that really changed (``fields`` names more fields the caller already set).
    Returns the changed field names; nothing is written when nothing changed.
    """
    created = instance._state.adding
    changed = list(fields or ())
    for name, value in (data or {}).items():
        if created or getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    if not created and not changed:
        return []
    instance.full_clean(exclude=list(exclude))
    if created:
        instance.save()
    else:
        instance.save(update_fields=changed)
    audit_record(actor=actor, action=action, unit=unit, obj=instance, fields=changed, **details)
    return changed


def delete_audited(
    instance: models.Model,
    *,
    actor: AbstractBaseUser | None,
    action: str,
    unit: models.Model | None = None,
    **details: Any,
) -> None:
    """Audit the deletion of ``instance`` (the row keeps its id and words), then delete it."""
    audit_record(actor=actor, action=action, unit=unit, obj=instance, **details)
    instance.delete()
