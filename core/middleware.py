"""Response headers the whole app needs, and the audit trail's check of every request."""

from django.utils.cache import add_never_cache_headers

from .audit import audit_scope


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


class AuditScopeMiddleware:
    """Every request is an audit scope: a write that no audit event accounts for is given
    an event of its own (and fails the test suite, where ``AUDIT_STRICT`` is on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_scope(name=f"{request.method} {request.path}") as scope:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            scope.actor = user if user is not None and user.is_authenticated else None
        return response
