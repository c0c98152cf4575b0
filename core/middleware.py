"""Response headers the whole app needs."""

from django.utils.cache import add_never_cache_headers


class NoStoreForUsersMiddleware:
    """Every response to a logged-in user is ``Cache-Control: no-store``: pages and files
    behind the login hold personal data, and offices share computers (and proxies).

    Static files never reach this middleware (whitenoise answers them first) and keep
    their long caching; anonymous pages (the login page) are left as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
