from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what, written by every service function in the same transaction.

    The object and the unit are kept as ids and words, not foreign keys: the record outlives
    what it names, and ``core`` knows no app. The old and new values of what the action
    changed are its ``changes`` (``AuditChange``).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor's user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    unit_id = models.PositiveBigIntegerField(_("unit"), null=True, blank=True, db_index=True)
    object_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.action}"


class ChangeOperation(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")


class AuditChange(models.Model):
    """One row written, created or deleted: its old and new values, field by field.

    Written by the model signals in the same transaction as the write (so a rolled-back
    write leaves none), then claimed by the ``AuditEvent`` of the action that made it.
    ``fields`` maps a field's name to ``[old, new]`` as JSON holds them (a related row by its
    id, a date as ISO text, a password as stars).
    """

    event = models.ForeignKey(
        AuditEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("audit event"),
    )
    object_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    operation = models.CharField(_("operation"), max_length=6, choices=ChangeOperation.choices)
    fields = models.JSONField(_("fields"), default=dict, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_change_object")]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} {self.object_repr}"
