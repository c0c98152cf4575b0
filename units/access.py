"""View mixins that apply the access selectors of the organisation tree."""

from core.access import AccessRequiredMixin

from .selectors import user_decides_any, user_is_board


class BoardRequiredMixin(AccessRequiredMixin):
    """Only Organization Board staff (403 for everyone else logged in)."""

    access_test = staticmethod(user_is_board)


class DeciderRequiredMixin(AccessRequiredMixin):
    """Only staff of a unit that decides admissions (403 for everyone else logged in)."""

    access_test = staticmethod(user_decides_any)
