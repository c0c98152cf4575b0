"""Response headers the whole app needs, the audit trail's check of every request, the
idle deadline of a session, and pages compressed for slow lines."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.middleware.gzip import GZipMiddleware
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


def _now() -> int:
    return int(time.time())


class SessionRefreshMiddleware:
    """A logged-in session's idle deadline (``SESSION_COOKIE_AGE`` after the last request)
    moves on at most once every ``SESSION_REFRESH_SECONDS``: the session row is written then,
    not on every request as ``SESSION_SAVE_EVERY_REQUEST`` would (a database write and commit
    behind every page read). The deadline is late by at most that minute.

    After ``SessionMiddleware`` and ``AuthenticationMiddleware`` in ``MIDDLEWARE``, so that
    the mark is set before the session middleware saves what was changed."""

    MARK = "_ptdv_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = _now()
            # Saved anyway (a login, a message), or the last write is a minute old.
            if (
                session.modified
                or now - session.get(self.MARK, 0) >= settings.SESSION_REFRESH_SECONDS
            ):
                session[self.MARK] = now  # modified: saved, with a new deadline
        return response


# Files that are compressed already (the office formats are zip archives) or gain little.
_COMPRESSED = ("application/pdf", "application/zip", "application/vnd.", "image/")


class PageGZipMiddleware(GZipMiddleware):
    """Pages gzipped for a browser that accepts it, as Django's ``GZipMiddleware`` does (with
    its BREACH mitigation: random bytes in the gzip header; the CSRF token is masked anew on
    every page): the province's dashboard is 450 KB of HTML and about 30 KB on the wire, for
    offices on slow lines. Downloads that are compressed already (PDF, Excel, Word, zip,
    images) are sent as they are. Static files never reach it: whitenoise answers them
    first, with its own compressed copies."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith(_COMPRESSED):
            return response
        return super().process_response(request, response)
