from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Organisation units")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .forms import unit_scope_register
        from .selectors import unit_list

        post_migrate.connect(_sync_board_group, sender=self)
        unit_scope_register("visible", unit_list)


def _sync_board_group(sender, **kwargs):
    from .services import board_group_sync

    board_group_sync()
