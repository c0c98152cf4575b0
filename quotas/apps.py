from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotasConfig(AppConfig):
    name = "quotas"
    verbose_name = _("Plans and quotas")

    def ready(self):
        from .measures import counter_register, historical_counter

        counter_register("quotas.historical", historical_counter)
