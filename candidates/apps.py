from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidates")

    def ready(self):
        from quotas.measures import counter_register

        from .selectors import admissions_counter, introductions_counter

        counter_register("candidates.admissions", admissions_counter)
        counter_register("candidates.introductions", introductions_counter)
