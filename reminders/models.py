"""A user's choice about e-mail reminders, and the memory of what was announced.

The user's e-mail address is Django's ``User.email``; ``ReminderSetting`` holds whether
they want the daily digest (yes when they have no row). ``ReminderSent`` remembers which
to-do item (``core.todo.TodoItem.key``) was announced to whom at which threshold, so a
second run the same day sends nothing new, and an item is announced again only when it
reaches its next threshold (``TodoItem.threshold``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderSetting(models.Model):
    """Whether a user gets the daily e-mail digest of their to-do items."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_setting",
        verbose_name=_("user"),
    )
    email_digest = models.BooleanField(
        _("send me a daily e-mail of what I must do"),
        default=True,
        help_text=_("Sent in the morning, only on days when something is new or due soon."),
    )

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.user)


class ReminderSent(models.Model):
    """One to-do item announced to one user at one threshold (days before its date; -1 once
    late, 0 for an item without a date). Bookkeeping of the digest, not the app's data: not
    in the audit trail row by row (each digest sent is one audit event)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    key = models.CharField(_("item"), max_length=200)
    threshold = models.SmallIntegerField(_("threshold"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "threshold"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.key} {self.threshold}"
