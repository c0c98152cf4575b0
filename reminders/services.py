"""The writes of the reminders: a user's e-mail address and digest setting (audited, as
account data), and the daily digest (one e-mail a user, one audit event a digest)."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from core.audit import audit_record, delete_audited
from core.todo import TodoItem

from .models import ReminderSent, ReminderSetting
from .todo import todo_groups


def reminder_setting_get(*, user) -> ReminderSetting:
    """The user's setting; an unsaved default (digest on) when they have none."""
    found = ReminderSetting.objects.filter(user=user).first()
    return found or ReminderSetting(user=user)


@transaction.atomic
def reminder_setting_save(
    *, user, email: str, email_digest: bool, actor: AbstractBaseUser | None
) -> list[str]:
    """Set the user's e-mail address and whether they get the digest; audited with the old
    and new values. Returns the names of what changed (nothing is written when nothing
    did)."""
    changed = []
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
        changed.append("email")
    setting = reminder_setting_get(user=user)
    if setting.pk is None or setting.email_digest != email_digest:
        setting.email_digest = email_digest
        setting.save()
        changed.append("email_digest")
    if changed:
        audit_record(actor=actor, action="reminder_setting_save", obj=user, fields=changed)
    return changed


@transaction.atomic
def reminder_setting_delete(*, setting: ReminderSetting, actor: AbstractBaseUser | None) -> None:
    """Drop the user's setting: they are back to the default (the digest on)."""
    delete_audited(setting, actor=actor, action="reminder_setting_delete", user=setting.user_id)


@dataclass(frozen=True)
class Digest:
    """What one user is sent: the items new or due soon, by group label."""

    user: object
    sections: list[tuple[str, list[TodoItem]]]
    thresholds: dict[str, int]

    @property
    def count(self) -> int:
        return sum(len(items) for _label, items in self.sections)


def digest_for(*, user, today: date) -> Digest:
    """The items of the user's to-do list to announce today: each at a threshold (its
    first reminder day reached, late, or new without a date: ``TodoItem.threshold``) it was
    not announced at before."""
    sent = set(ReminderSent.objects.filter(user=user).values_list("key", "threshold").order_by())
    sections = []
    thresholds = {}
    for group in todo_groups(user=user, today=today):
        items = []
        for item in group.items:
            threshold = item.threshold()
            if threshold is None or (item.key, threshold) in sent:
                continue
            items.append(item)
            thresholds[item.key] = threshold
        if items:
            sections.append((group.label, items))
    return Digest(user=user, sections=sections, thresholds=thresholds)


def digest_send(*, user, today: date) -> int:
    """Send the user their digest in Vietnamese when it has something (nothing otherwise),
    and remember what it announced. Returns how many items it announced."""
    with translation.override(settings.LANGUAGE_CODE):
        digest = digest_for(user=user, today=today)
        if not digest.count:
            return 0
        subject = ngettext("PTĐV: %(n)s thing to do", "PTĐV: %(n)s things to do", digest.count) % {
            "n": digest.count
        }
        body = render_to_string(
            "reminders/digest.txt",
            {
                "user": user,
                "digest": digest,
                "today": today,
                "site": settings.PTDV_SITE_URL.rstrip("/"),
            },
        )
    with transaction.atomic():
        ReminderSent.objects.bulk_create(
            [
                ReminderSent(user=user, key=key, threshold=threshold, sent_on=today)
                for key, threshold in digest.thresholds.items()
            ],
            ignore_conflicts=True,
        )
        EmailMessage(subject, body, to=[user.email]).send()
        audit_record(
            actor=None,
            action="reminder_digest_send",
            obj=user,
            items=digest.count,
            to=user.email,
        )
    return digest.count


def reminders_send(*, today: date, users=None) -> dict[str, int]:
    """Send every active user with an e-mail address who has not turned the digest off
    their digest; {user name: items announced} of those who were sent one."""
    from django.contrib.auth import get_user_model

    if users is None:
        users = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(email="")
            .exclude(reminder_setting__email_digest=False)
            .order_by("username")
        )
    sent = {}
    for user in users:
        count = digest_send(user=user, today=today)
        if count:
            sent[user.get_username()] = count
    return sent
