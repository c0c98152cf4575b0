"""Settings shared by every environment; the others import and adjust these.

Everything that differs between machines comes from environment variables.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.forms",  # its widget templates, for the project's form renderer
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "bootstrap",  # Bootstrap 5 CSS/JS from PyPI (django-bootstrap-static): no CDN
    "treebeard",
    "django_tables2",
    "django_filters",
    "django_tasks",
    "django_tasks_db",  # the queue of background work, in the database: `manage.py db_worker`
    "axes",  # locks a user name + address after repeated wrong passwords
    "csp",  # the Content-Security-Policy header
    # ours, in the order data flows: core, documents <- units <- quotas, training,
    # candidates <- reports, demo
    "core",
    "documents",  # its template tags draw a party document on the page and in the PDF
    "units",
    "quotas",
    "training",
    "candidates",
    "reports",
    "reminders",  # the to-do list gathered from the apps, and the daily e-mail digest
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.PageGZipMiddleware",  # after whitenoise: static files are not its work
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.SessionRefreshMiddleware",
    "core.middleware.AuditScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.NoStoreForUsersMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# The quota grid posts two boxes per unit and target (without JavaScript, all of them).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

FORM_RENDERER = "core.forms.BootstrapRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "units.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait their turn instead of failing with "database is locked": a transaction
    # takes the write lock when it begins (one that read first could not get it while
    # another writes: SQLite answers at once rather than deadlock), and waits up to 20 s.
    # Transactions that write one after the other also make the services' row locks
    # (select_for_update, a no-op on SQLite) unnecessary here. docs/security.md, section 4.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes' backend first: it refuses a locked-out user name + address before the
# password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- logins (docs/security.md, "1. Logins") ---------------------------------------------
# Five wrong passwords for one user name from one address lock that pair for 30 minutes,
# on /dang-nhap/ and on the admin's login alike; a right password is refused meanwhile.
# Board staff unlock early in the admin (Axes > Access attempts: delete the row).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.views.login_locked_out"  # the lockout page, in Vietnamese
# Logins, failures and logouts are in the app's own audit trail (core/logins.py); axes
# keeps only the attempts that count towards a lock.
AXES_DISABLE_ACCESS_LOG = True
# Shared office computers: a session ends when the browser closes, and after a working day
# (8 hours) without a request; a request moves the deadline on, writing the session row at
# most once a minute (core.middleware.SessionRefreshMiddleware).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions live in the database, so every app server behind the proxy knows every login
# (docs/deploy.md); so do the lockouts (django-axes' database handler, its default).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- the audit trail (docs/security.md, "3. Audit trail") ------------------------------
# Every row created, changed or deleted in these apps and models is recorded with its old
# and new values (core/changes.py); the reports' generated files are not data.
# A user's reminder setting is account data; what the digest announced (ReminderSent) is
# its bookkeeping, recorded as one event per digest sent instead.
AUDIT_TRACKED = [
    "auth.User",
    "auth.Group",
    "units",
    "quotas",
    "training",
    "candidates",
    "reminders.ReminderSetting",
]
# A write no audit event accounts for raises instead of being recorded on its own.
AUDIT_STRICT = False
# How long a plan's computed progress (dashboard, home page) is kept in the cache; a new
# audit event (any write of the app's data) makes the next read compute it again
# (quotas/dashboard.py). 0: computed on every read.
PROGRESS_CACHE_SECONDS = int(os.environ.get("PTDV_PROGRESS_CACHE_SECONDS", "300"))
# The day `core.dates.today()` answers instead of the real one: set only by a test that
# plays a past year through the pages (tests/e2e/test_year.py); no environment variable
# sets it, so a server always runs on the real day.
PTDV_TODAY = None

# --- headers (docs/security.md, "2. Headers") -------------------------------------------
# Scripts and styles only from our own static files: no inline scripts, no style attributes.
# Bootstrap draws its arrows and icons with data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Nothing in the app needs the camera, the microphone, the position or the like.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Vietnamese first. Source strings are English; the catalogue is locale/vi/LC_MESSAGES.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own "vi" locale has no input formats, so 05/03/2024 would parse as 3 May.
# config/formats/vi/formats.py sets dd/mm/yyyy for display and input.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# List the demo accounts on the login page (the demo installation only).
PTDV_SHOW_DEMO_LOGINS = env_bool("PTDV_SHOW_DEMO_LOGINS", False)


# Background work (large reports): queued in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# A report over more units than this is built by the worker, not within the browser's
# request; per format, as bench/reports.py measured (docs/benchmarks.md): a PDF page costs
# WeasyPrint ~0.35 s, so 100 units (~13 pages) is about 5 s; the page, Excel and Word files
# of 1,000 units take 1–3 s. An int instead of the dict applies to every format.
_INLINE_OTHER = int(os.environ.get("PTDV_REPORTS_INLINE_MAX_UNITS", "1000"))
REPORTS_INLINE_MAX_UNITS = {
    "pdf": int(os.environ.get("PTDV_REPORTS_INLINE_MAX_PDF_UNITS", "100")),
    "xlsx": _INLINE_OTHER,
    "docx": _INLINE_OTHER,
    "html": _INLINE_OTHER,
}

# E-mail: the daily reminders (`manage.py send_reminders`). SMTP by default; the demo
# prints to the console (local.py), the tests keep mail in Django's outbox, production
# reads the server from the environment (production.py, README).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "PTĐV <ptdv@localhost>")
# The address of the app as the users reach it, for the links in the e-mails.
PTDV_SITE_URL = os.environ.get("PTDV_SITE_URL", "http://127.0.0.1:8000")
