"""The audit trail: every service writes one ``AuditEvent`` in its own transaction.

``audit_record`` writes the row, after the service's writes: it claims the old and new
values those writes left (``core.changes``), so a service records what it did and the
signals record what it changed. ``save_audited`` is HackSoft's ``model_update`` shape —
set fields, ``full_clean``, save with ``update_fields``, return what changed — with the
audit row written beside the save.
"""

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.utils.translation import get_language

from .changes import claim, leftovers, plain, scope
from .models import AuditChange, AuditEvent

logger = logging.getLogger(__name__)

T = TypeVar("T")


class UnauditedWrite(AssertionError):
    """A strict scope ended with a write that no audit event accounts for."""


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    unit: models.Model | None = None,
    obj: models.Model | None = None,
    **details: Any,
) -> AuditEvent:
    """Write who (``actor``; ``None`` for the system) did ``action`` to ``obj`` in ``unit``,
    with the changes written in this thread since the last event."""
    event = AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
        action=action,
        unit_id=unit.pk if unit is not None else None,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        details=plain(details),
    )
    claim(event)
    return event


def audit_data_version() -> int:
    """The id of the latest row change the trail holds (``AuditChange``; 0 before the
    first). Every write of the app's data leaves one, and only writes do — a login, a
    download or a reminder sent writes an event but changes no data — so a figure computed
    from the data stays right while this id is the same: a cache key that changes with every
    write of data (``audit_cached``)."""
    return AuditChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def audit_cached(parts: Iterable[object], compute: Callable[[], T]) -> tuple[T, str]:
    """(``compute()``, the cache key it is kept under; "" when not kept), for figures read
    on every visit and written far less often (the dashboard, the home page's counts).

    Kept for ``PROGRESS_CACHE_SECONDS`` (0: not kept) under a key of ``parts``, the language
    and ``audit_data_version``: the next read after a write of data computes again. The
    time limit bounds what a write that left no trail (a management command) or a
    transaction committed after a later one may leave stale."""
    seconds = getattr(settings, "PROGRESS_CACHE_SECONDS", 0)
    if not seconds:
        return compute(), ""
    key = ":".join(str(part) for part in (*parts, get_language(), audit_data_version()))
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value, key


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
    """Delete ``instance`` and audit it (the event keeps its id and words)."""
    pk = instance.pk
    instance.delete()
    instance.pk = pk  # for the event's object id; the row is gone
    audit_record(actor=actor, action=action, unit=unit, obj=instance, **details)


@contextmanager
def audit_scope(*, actor: Any = None, strict: bool | None = None, name: str = "") -> Iterator:
    """Check, at the end, that every write in the block is accounted for by an audit event.
    The scope's ``actor`` (settable inside) is who a leftover change is recorded for.

    Strict (the test suite, ``AUDIT_STRICT``): a change no event claimed, or a tracked table
    written without signals, raises ``UnauditedWrite``. Otherwise the leftovers go to the
    block's last event, or to an event "change" of their own, and a bypass is logged."""
    strict = settings.AUDIT_STRICT if strict is None else strict
    with scope(actor=actor, strict=strict) as watched:
        yield watched
        bypassed, left = leftovers(watched)
        where = name or "A block"
        if strict and (bypassed or left):
            raise UnauditedWrite(
                f"{where} wrote without the audit trail: "
                + "; ".join(
                    [f"{table} written without signals" for table in bypassed]
                    + [f"{n.operation} {n.model._meta.label} {n.pk} unclaimed" for n in left]
                )
            )
        if bypassed:
            logger.error("%s wrote %s without the audit trail", where, ", ".join(bypassed))
        if left and watched.last_event is not None:
            claim(watched.last_event)
        elif left:
            audit_record(actor=watched.actor, action="change", path=name)
