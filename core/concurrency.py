"""No lost updates (docs/security.md, section 4): an edit form remembers the record as it was
opened, and its save is refused if someone else has changed it since.

``OpenedAs`` is what the form remembers: a keyed hash of the value of each of its fields (so
no value travels to the browser that the page does not show), signed into the hidden field
``opened_as`` of ``core.forms.ConcurrentEditMixin``. Its ``check`` compares it with the record
as it is and raises ``StaleEdit`` naming the fields the other person changed, with their new
values; the error carries the record's new fingerprint, so the form pressed again overwrites
them knowingly. The form checks the record its request read; the service checks again with
``check_unchanged``, against the row it locked for the save, so that two saves in the same
instant cannot both pass.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .dates import dmy

SALT = "ptdv.concurrent-edit"
# Named, never shown: their values are masked on the pages.
PRIVATE = frozenset({"citizen_id"})


class StaleEdit(ValidationError):
    """The record changed (or went) after the form was opened. ``token`` is its fingerprint
    as it is now, for the form's next press; empty when the record is gone."""

    def __init__(self, message: str, *, token: str = ""):
        super().__init__(message, code="stale")
        self.token = token


def _fingerprint(instance: models.Model, names) -> dict[str, str]:
    """{field: keyed hash of its value} of ``instance``."""
    prints = {}
    for name in names:
        field = instance._meta.get_field(name)
        if isinstance(field, models.FileField):
            raw = getattr(instance, name).name or ""
        else:
            raw = field.value_to_string(instance)
        prints[name] = salted_hmac(SALT, f"{name}={raw}").hexdigest()[:20]
    return prints


def _shown(instance: models.Model, name: str) -> str:
    """A field's value as the pages show it."""
    if name in PRIVATE:
        return _("changed")
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return dmy(value)
    if isinstance(field, models.FileField):
        return value.name or "–"
    return "–" if value in (None, "") else str(value)


@dataclass(frozen=True)
class OpenedAs:
    """The fields of a record as an edit form opened it: ``prints`` by field name, and the
    form's ``labels`` of the fields it shows (the ones compared, and named in a refusal)."""

    prints: Mapping[str, str]
    labels: Mapping[str, Any]

    @classmethod
    def of(cls, instance: models.Model, labels: Mapping[str, Any]) -> "OpenedAs":
        return cls(_fingerprint(instance, labels), labels)

    @classmethod
    def load(cls, token: str | None, labels: Mapping[str, Any]) -> "OpenedAs | None":
        """What a posted form was opened with; None for a form from before this check."""
        try:
            prints = signing.loads(token or "", salt=SALT)
        except signing.BadSignature:
            return None
        return cls(prints, labels) if isinstance(prints, dict) else None

    def dumps(self) -> str:
        return signing.dumps(dict(self.prints), salt=SALT)

    def check(self, current: models.Model) -> None:
        """Raise ``StaleEdit`` if ``current`` (the record as it is now) holds other values in
        the form's fields than the form was opened with."""
        now = OpenedAs.of(current, self.labels)
        changed = [
            name for name, hashed in now.prints.items() if self.prints.get(name, hashed) != hashed
        ]
        if changed:
            raise StaleEdit(
                _(
                    "Someone else changed this record after you opened it: %(changes)s. "
                    "What you typed is still below: check it and press Save again to keep it."
                )
                % {
                    "changes": "; ".join(
                        f"{self.labels[name]}: “{_shown(current, name)}”" for name in changed
                    )
                },
                token=now.dumps(),
            )


def check_unchanged(instance: models.Model, opened_as: OpenedAs | None) -> None:
    """The service's check, before it saves ``instance``: its row locked until the end of the
    transaction (PostgreSQL; on SQLite the transaction began IMMEDIATE, so writers already go
    one at a time), then compared with what the form was opened with. Nothing to compare for
    a new record, or without ``opened_as``."""
    if opened_as is None or instance.pk is None:
        return
    current = type(instance)._base_manager.select_for_update().filter(pk=instance.pk).first()
    if current is None:
        raise StaleEdit(_("Someone else deleted this record after you opened it."))
    opened_as.check(current)
