from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Party-awareness classes")

    def ready(self):
        from candidates.personal import person_rows_register
        from quotas.measures import counter_register, due_register

        from .personal import NOMINATION_ROWS
        from .selectors import certifications_counter, classes_due, nominations_counter

        counter_register("training.nominations", nominations_counter)
        counter_register("training.certifications", certifications_counter)
        due_register("training.classes", classes_due)
        person_rows_register("training.nominations", NOMINATION_ROWS)
