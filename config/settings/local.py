"""The demo and development settings used by `make run`."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = True
SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
PTDV_SHOW_DEMO_LOGINS = env_bool("PTDV_SHOW_DEMO_LOGINS", True)
# runserver serves static files itself; whitenoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# The reminders' e-mails are printed by `manage.py send_reminders`, never sent.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
