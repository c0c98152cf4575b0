"""Production: PostgreSQL, gunicorn, whitenoise. Refuses to start without its secrets."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list
from .environment import cache, media_storage


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name} (production settings).")
    return value


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set the environment variable DJANGO_ALLOWED_HOSTS (production settings)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# A gunicorn worker keeps its database connection for a minute (checked before reuse):
# a new PostgreSQL connection per request cost about 100 ms of a candidate list page at
# province scale — the connection itself and a fresh backend's empty catalog caches
# (docs/benchmarks.md). DJANGO_CONN_MAX_AGE=0 opens one per request again.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Several app servers (docs/deploy.md): uploaded and generated files in an S3-compatible
# bucket when PTDV_S3_BUCKET is set (else in DJANGO_MEDIA_ROOT), the cache in Redis when
# PTDV_REDIS_URL is set. Static files are collected on each host and served by whitenoise.
STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
CACHES = cache(os.environ)

# HTTPS is terminated by the reverse proxy in front of gunicorn.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # health checks come over plain HTTP from the proxy
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The lockout counts per user name and client address. Behind the reverse proxy every
# request comes from the proxy, so the client's address is read from X-Forwarded-For,
# which the proxy must set (nginx: `proxy_set_header X-Forwarded-For $remote_addr;`).
# A chain of several addresses (a client that sent its own header) is not believed: that
# request counts under the proxy's address (django-ipware, strict mode).
if env_bool("DJANGO_TRUST_X_FORWARDED_FOR", True):
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_PROXY_COUNT = 0

# E-mail reminders over SMTP (README, "Running it in production"). Without DJANGO_EMAIL_HOST
# nothing can be sent: `send_reminders` then fails loudly rather than dropping the mail.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
PTDV_SITE_URL = os.environ.get("PTDV_SITE_URL", "https://" + ALLOWED_HOSTS[0])
