"""Old and new values of every write, caught where Django writes.

Model signals (``pre_save``/``post_save``/``post_delete``/``m2m_changed``) note one change
per row created, changed or deleted in a tracked model (``settings.AUDIT_TRACKED``: app
labels or ``app.Model``), with the old and new value of each changed field. The next
``audit_record`` of the same thread writes them as ``AuditChange`` rows of its event
(``claim``), in one insert. A change whose write was rolled back is dropped: it is noted
with a marker in Django's ``on_commit`` list, which Django empties of a rolled-back
savepoint's callbacks. Writes that send no signal go through ``update_audited`` and
``bulk_create_audited``, which note the same changes.

``core.audit.audit_scope`` (a request, a background task, a command) checks at its end that nothing
was left out: a change no event claimed, or a write to a tracked table that sent no signal
(a bare ``QuerySet.update`` or ``bulk_create``). Strict scopes (the test suite,
``AUDIT_STRICT``) raise ``UnauditedWrite``; otherwise the leftovers are given to the scope's
last event, or to an event of their own, and a bypass is logged as an error.
"""

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .models import AuditChange, AuditEvent, ChangeOperation

# A login is its own event, not a change of the account; a tree's bookkeeping (treebeard's
# path, depth and number of children) is told by the move's event. Fields nobody edits
# (search keys, stamps) are skipped too.
SKIPPED_FIELDS = {"last_login", "path", "depth", "numchild"}
HIDDEN_FIELDS = {"password"}  # that it changed is recorded, never the hash
HIDDEN = "********"
CLAIM_BATCH = 500  # ids per UPDATE: SQLite takes at most 999 parameters
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


# --- what is tracked ---------------------------------------------------------------------------


@cache
def _tracked_labels() -> frozenset[str]:
    return frozenset(label.lower() for label in getattr(settings, "AUDIT_TRACKED", ()))


def is_tracked(model: type[models.Model]) -> bool:
    """A model of the app's data (``AUDIT_TRACKED``), not a migration's historical copy."""
    if model.__module__ == "__fake__":
        return False
    labels = _tracked_labels()
    opts = model._meta
    if opts.auto_created:  # a many-to-many table: tracked with the model that declares it
        return is_tracked(opts.auto_created)
    return opts.label_lower in labels or opts.app_label in labels


@cache
def tracked_tables() -> dict[str, str]:
    """Table name → model label of every tracked model, many-to-many tables included."""
    return {
        model._meta.db_table: model._meta.label_lower
        for model in apps.get_models(include_auto_created=True)
        if is_tracked(model)
    }


@cache
def _fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.editable
        and f.name not in SKIPPED_FIELDS
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    )


def plain(value: Any) -> Any:
    """A value as JSON holds it: model instances by primary key, dates as ISO text."""
    from collections.abc import Mapping

    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _values(instance: models.Model, fields: Iterable[models.Field]) -> dict[str, Any]:
    return {f.name: plain(getattr(instance, f.attname)) for f in fields}


def _whole(instance: models.Model, *, deleted: bool = False) -> dict[str, list[Any]]:
    """A created row's fields as ``[None, new]``, a deleted one's as ``[old, None]``; empty
    fields left out, a password hidden."""
    fields = {}
    for name, value in _values(instance, _fields(type(instance))).items():
        if value not in (None, ""):
            value = HIDDEN if name in HIDDEN_FIELDS else value
            fields[name] = [value, None] if deleted else [None, value]
    return fields


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    changed = {
        name: [old.get(name), value] for name, value in new.items() if old.get(name) != value
    }
    for name in HIDDEN_FIELDS & changed.keys():
        changed[name] = [HIDDEN, HIDDEN]
    return changed


# --- the scope: a request, a task, a command --------------------------------------------------


@dataclass
class _Scope:
    actor: Any
    strict: bool
    seen: set[str] = field(default_factory=set)  # model labels whose writes sent a signal
    written: set[str] = field(default_factory=set)  # tables an INSERT/UPDATE/DELETE touched
    last_event: AuditEvent | None = None


class _Committed:
    """An ``on_commit`` callback that only remembers it ran: while it sits in the
    connection's list, or after it ran, the write it stands for is not rolled back.

    A savepoint's rollback removes the callbacks added since the savepoint, the tail of
    the list, so the callbacks before them keep their places: the marker is still waiting
    when it is found at the place it was added at.
    """

    ran = False

    def __init__(self) -> None:
        self.at = len(connection.run_on_commit)
        connection.on_commit(self)

    def __call__(self) -> None:
        self.ran = True

    def alive(self) -> bool:
        waiting = connection.run_on_commit
        return self.ran or (self.at < len(waiting) and waiting[self.at][1] is self)


@dataclass
class _Noted:
    model: type[models.Model]
    pk: Any
    text: str
    operation: str
    fields: dict[str, Any]
    marker: _Committed | None

    def alive(self) -> bool:
        return self.marker is None or self.marker.alive()

    def row(self, event: AuditEvent | None = None) -> AuditChange:
        return AuditChange(
            event=event,
            object_type=ContentType.objects.get_for_model(self.model),
            object_id=str(self.pk),
            object_repr=self.text[:200],
            operation=self.operation,
            fields=self.fields,
        )


_pending: ContextVar[list[_Noted] | None] = ContextVar("audit_pending", default=None)
_scope: ContextVar[_Scope | None] = ContextVar("audit_scope", default=None)


def _pending_list() -> list[_Noted]:
    noted = _pending.get()
    if noted is None:
        noted = []
        _pending.set(noted)
    return noted


def _seen(model: type[models.Model]) -> None:
    scope = _scope.get()
    if scope is not None:
        scope.seen.add(model._meta.label_lower)


def note_change(
    model: type[models.Model], pk: Any, text: str, operation: str, fields: dict[str, Any]
) -> None:
    """Keep a change for the next event of this thread."""
    marker = _Committed() if connection.in_atomic_block else None
    erased = _erasing.get()
    if erased is not None:
        fields = {
            name: [None if old is None else HIDDEN, new] for name, (old, new) in fields.items()
        }
        text = ""
    noted = _Noted(model, pk, text, operation, fields, marker)
    _pending_list().append(noted)
    if erased is not None:
        erased.append(noted)


_erasing: ContextVar[list[_Noted] | None] = ContextVar("audit_erasing", default=None)


@contextmanager
def erasing() -> Iterator[None]:
    """Writes that erase personal data on request: their changes say which fields changed,
    never the old values, and the trail's earlier changes of the same rows lose the values
    of those fields too (all of them for a deleted row)."""
    noted: list[_Noted] = []
    token = _erasing.set(noted)
    try:
        yield
    finally:
        _erasing.reset(token)
    for n in noted:
        rows = AuditChange.objects.filter(
            object_type=ContentType.objects.get_for_model(n.model), object_id=str(n.pk)
        )
        for row in rows:
            names = row.fields.keys() if n.operation == ChangeOperation.DELETE else n.fields.keys()
            row.fields = {
                name: [None if v is None else HIDDEN for v in pair] if name in names else pair
                for name, pair in row.fields.items()
            }
            if n.operation == ChangeOperation.DELETE:
                row.object_repr = ""
            row.save(update_fields=["fields", "object_repr"])


def _take() -> list[_Noted]:
    """The changes noted since the last claim whose writes still stand."""
    noted = _pending_list()
    taken, noted[:] = list(noted), []
    return [n for n in taken if n.alive()]


def claim(event: AuditEvent) -> None:
    """Write the changes noted in this thread since the last claim as ``event``'s."""
    taken = _take()
    if taken:
        AuditChange.objects.bulk_create([n.row(event) for n in taken], batch_size=CLAIM_BATCH)
    scope = _scope.get()
    if scope is not None:
        scope.last_event = event


@contextmanager
def scope(*, actor: Any = None, strict: bool) -> Iterator[_Scope]:
    """The block's writes are watched: which tables they touched, which models sent
    signals; the changes noted inside are its own. ``core.audit.audit_scope`` checks them."""
    watched = _Scope(actor=actor, strict=strict)
    scope_token = _scope.set(watched)
    pending_token = _pending.set([])

    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        # Only a statement that ran wrote: an insert refused by a unique constraint (two
        # get_or_create at once, one of them catching the IntegrityError) wrote nothing.
        found = WRITE.match(sql)
        if found:
            watched.written.add(found.group(1))
        return result

    try:
        with connection.execute_wrapper(watch):
            yield watched
    finally:
        _pending.reset(pending_token)
        _scope.reset(scope_token)


def leftovers(watched: _Scope) -> tuple[list[str], list[_Noted]]:
    """The tracked tables written without signals, and the changes no event claimed."""
    tables = tracked_tables()
    bypassed = sorted(
        table for table in watched.written if table in tables and tables[table] not in watched.seen
    )
    return bypassed, [n for n in _pending_list() if n.alive()]


# --- the writes that send no signal -------------------------------------------------------------


def update_audited(queryset: models.QuerySet, **values: Any) -> int:
    """``queryset.update(**values)`` with a change row for every row it changes."""
    model = queryset.model
    names = list(values)
    fields = [model._meta.get_field(name) for name in names]
    before = {row["pk"]: row for row in queryset.values("pk", *[f.attname for f in fields])}
    if not before:
        return 0
    count = model._base_manager.filter(pk__in=list(before)).update(**values)
    objects = {
        obj.pk: obj
        for obj in model._base_manager.filter(pk__in=list(before)).only(
            "pk", *[f.attname for f in fields]
        )
    }
    _seen(model)
    for pk, row in before.items():
        old = {f.name: plain(row[f.attname]) for f in fields}
        changed = _diff(old, _values(objects[pk], fields))
        if changed:
            note_change(model, pk, "", ChangeOperation.UPDATE, changed)
    return count


def bulk_create_audited(model: type[models.Model], objs: list[models.Model], **kwargs: Any) -> list:
    """``bulk_create`` with a "created" change row for every row (ids come back on SQLite and
    PostgreSQL)."""
    created = model._base_manager.bulk_create(objs, **kwargs)
    _seen(model)
    for obj in created:
        note_change(model, obj.pk, "", ChangeOperation.CREATE, _whole(obj))
    return created


def bulk_update_audited(objs: list[models.Model], fields: Iterable[str], **kwargs: Any) -> int:
    """``bulk_update`` of ``fields`` with an "updated" change row for every row whose values
    change: the old values are read first, one query per ``CLAIM_BATCH`` rows. Like
    ``bulk_update`` it sets no ``auto_now`` field: name it in ``fields`` with its value set."""
    if not objs:
        return 0
    model = type(objs[0])
    fields = [model._meta.get_field(name) for name in fields]
    attnames = [f.attname for f in fields]
    pks = [obj.pk for obj in objs]
    before = {}
    for start in range(0, len(pks), CLAIM_BATCH):
        rows = model._base_manager.filter(pk__in=pks[start : start + CLAIM_BATCH])
        before.update({row["pk"]: row for row in rows.values("pk", *attnames)})
    count = model._base_manager.bulk_update(objs, [f.name for f in fields], **kwargs)
    _seen(model)
    shown = [f for f in fields if f in _fields(model)]
    for obj in objs:
        row = before.get(obj.pk)
        if row is None:
            continue
        old = {f.name: plain(row[f.attname]) for f in shown}
        changed = _diff(old, _values(obj, shown))
        if changed:
            note_change(model, obj.pk, "", ChangeOperation.UPDATE, changed)
    return count


# --- the signals -------------------------------------------------------------------------------


@receiver(pre_save, dispatch_uid="core.changes.before")
def _before(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    if raw or not is_tracked(sender) or instance._state.adding or instance.pk is None:
        return
    fields = _fields(sender)
    if update_fields is not None:
        fields = tuple(f for f in fields if f.name in update_fields or f.attname in update_fields)
    row = (
        sender._base_manager.using(using)
        .filter(pk=instance.pk)
        .values(*[f.attname for f in fields])
        .first()
    )
    instance._audit_before = (
        None if row is None else {f.name: plain(row[f.attname]) for f in fields}
    )
    instance._audit_fields = fields


@receiver(post_save, dispatch_uid="core.changes.after")
def _after(sender, instance, created, raw=False, **kwargs):
    if raw or not is_tracked(sender):
        return
    _seen(sender)
    if created or getattr(instance, "_audit_before", None) is None:
        note_change(sender, instance.pk, "", ChangeOperation.CREATE, _whole(instance))
    else:
        fields = _diff(instance._audit_before, _values(instance, instance._audit_fields))
        if fields:
            note_change(sender, instance.pk, "", ChangeOperation.UPDATE, fields)
    instance._audit_before = None


@receiver(pre_delete, dispatch_uid="core.changes.deleting")
def _deleting(sender, instance, **kwargs):
    """What Django's delete does beside the row without signals: it empties the references
    to it that are ``SET_NULL`` and its many-to-many links. Noted here, before it does."""
    if not is_tracked(sender):
        return
    relations = (
        f
        for f in sender._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one or f.many_to_many)
    )  # as Django's Collector finds them, hidden ones (related_name="+") included
    for rel in relations:
        related = rel.related_model
        if rel.many_to_many:
            through = rel.through if hasattr(rel, "through") else rel.field.remote_field.through
            _seen(through)
            members = [] if rel.hidden else _related_pks(instance, rel.get_accessor_name())
            if members:
                note_change(
                    sender,
                    instance.pk,
                    "",
                    ChangeOperation.UPDATE,
                    {rel.get_accessor_name(): [members, []]},
                )
        elif rel.on_delete is models.SET_NULL and is_tracked(related):
            _seen(related)
            name = rel.field.name
            for pk in related._base_manager.filter(**{name: instance.pk}).values_list(
                "pk", flat=True
            ):
                note_change(related, pk, "", ChangeOperation.UPDATE, {name: [instance.pk, None]})
    for f in sender._meta.many_to_many:
        _seen(f.remote_field.through)
        members = _related_pks(instance, f.name)
        if members:
            note_change(sender, instance.pk, "", ChangeOperation.UPDATE, {f.name: [members, []]})


@receiver(post_delete, dispatch_uid="core.changes.deleted")
def _deleted(sender, instance, **kwargs):
    if not is_tracked(sender):
        return
    _seen(sender)
    fields = _whole(instance, deleted=True)
    note_change(sender, instance.pk, str(instance), ChangeOperation.DELETE, fields)


def _m2m_name(through: type[models.Model], instance: models.Model) -> str:
    for f in type(instance)._meta.get_fields(include_hidden=True):
        if isinstance(f, models.ManyToManyField) and f.remote_field.through is through:
            return f.name
        if isinstance(f, models.ManyToManyRel) and f.through is through:
            return f.get_accessor_name()
    return through._meta.model_name


def _related_pks(instance: models.Model, name: str) -> list[Any]:
    return sorted(getattr(instance, name).values_list("pk", flat=True))


@receiver(m2m_changed, dispatch_uid="core.changes.m2m")
def _m2m(sender, instance, action, reverse, **kwargs):
    if not is_tracked(sender) or not is_tracked(type(instance)):
        return
    _seen(sender)
    name = _m2m_name(sender, instance)
    if action.startswith("pre_"):
        instance._audit_m2m = {
            **getattr(instance, "_audit_m2m", {}),
            name: _related_pks(instance, name),
        }
        return
    before = getattr(instance, "_audit_m2m", {}).pop(name, None)
    after = _related_pks(instance, name)
    if before is not None and before != after:
        note_change(
            type(instance), instance.pk, "", ChangeOperation.UPDATE, {name: [before, after]}
        )
