"""Access mixins for views. The predicates themselves (who is Board staff, who may change a
unit) live with the organisation tree in ``units.access``; these only apply them."""

from collections.abc import Callable

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin


class AccessRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous users go to the login page; a logged-in user who fails ``access_test``
    gets 403, not a login loop."""

    access_test: Callable[..., bool]

    def test_func(self) -> bool:
        return type(self).access_test(user=self.request.user)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()
