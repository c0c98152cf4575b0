"""The Board's "possible duplicates": the records of its units with the same name and date
of birth, and the alerts of someone typing or uploading a person on file at a unit they
cannot see (``duplicate_attempt``), with both records. Secretaries are told nothing of the
other record (``docs/security.md`` 8); the Board sees both here."""

from django.views.generic import TemplateView

from units.access import BoardRequiredMixin

from ..selectors import duplicate_attempts, possible_duplicates


class DuplicatesView(BoardRequiredMixin, TemplateView):
    template_name = "candidates/duplicates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            groups=possible_duplicates(user=user),
            attempts=duplicate_attempts(user=user),
        )
        return context
