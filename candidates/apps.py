from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidates")

    def ready(self):
        from django.db.models.signals import post_migrate

        from quotas.measures import counter_register

        from .selectors import admissions_counter, introductions_counter

        counter_register("candidates.admissions", admissions_counter)
        counter_register("candidates.introductions", introductions_counter)
        # A release with a new holiday calendar or rules data counts the due dates again.
        post_migrate.connect(_due_dates_check, sender=self)


def _due_dates_check(using="default", **kwargs):
    from django.db import connection

    from .models import Candidate
    from .services import due_dates_check

    if using != "default":
        return
    with connection.cursor() as cursor:  # not after migrating back to before the column
        columns = connection.introspection.get_table_description(cursor, Candidate._meta.db_table)
    if any(column.name == "due_on" for column in columns):
        due_dates_check()
