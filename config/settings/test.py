"""Settings for the test suite (pytest --ds=config.settings.test)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# whitenoise serves collected files in production; tests use the staticfiles finders.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# A write path that leaves no audit event fails the test that takes it (core/changes.py).
AUDIT_STRICT = True
# Tests write rows with factories, without audit events: progress is computed on every read
# (the cache has its own test, which turns it on).
PROGRESS_CACHE_SECONDS = 0
# Mail stays in django.core.mail.outbox (pytest-django sets it too; said here for clarity).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PTDV_SITE_URL = "https://ptdv.example"
