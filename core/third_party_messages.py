"""Messages of Django and of django-axes that their own Vietnamese catalogues lack. Written
here only so that ``makemessages`` keeps their translations in ours; nothing imports this
module."""

from django.utils.translation import gettext_lazy, ngettext_lazy

# Django 5.2's MinimumLengthValidator: its msgid changed from %(min_length)d to %d, and
# Django's own Vietnamese catalogue has only the old one (the other validators are there).
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)

# django-axes' admin (it has no Vietnamese catalogue): where Board staff unlock a login.
AXES_ADMIN = (
    gettext_lazy("access attempt"),
    gettext_lazy("access attempts"),
    gettext_lazy("Locked Out"),
    gettext_lazy("Attempt Remaining"),
)
