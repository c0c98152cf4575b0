from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReminderSetting


class ReminderSettingForm(forms.Form):
    """The user's e-mail address and whether they want the daily digest."""

    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Reminders go to this address. Leave it empty to get none."),
    )
    email_digest = forms.BooleanField(
        label=ReminderSetting._meta.get_field("email_digest").verbose_name,
        help_text=ReminderSetting._meta.get_field("email_digest").help_text,
        required=False,
    )
