"""The user's page of e-mail reminders, beside the password change."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .forms import ReminderSettingForm
from .services import reminder_setting_get, reminder_setting_save


class ReminderSettingView(LoginRequiredMixin, FormView):
    """Every user sets their own address and turns the daily digest on or off."""

    template_name = "reminders/settings.html"
    form_class = ReminderSettingForm

    def get_initial(self):
        user = self.request.user
        return {
            "email": user.email,
            "email_digest": reminder_setting_get(user=user).email_digest,
        }

    def form_valid(self, form):
        changed = reminder_setting_save(
            user=self.request.user,
            email=form.cleaned_data["email"],
            email_digest=form.cleaned_data["email_digest"],
            actor=self.request.user,
        )
        if changed:
            messages.success(self.request, _("Your reminder settings were saved."))
        return redirect("reminder_settings")
