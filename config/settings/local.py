"""The demo and development settings used by `make run`."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list
from .environment import media_storage

# The demo shows the app's own Vietnamese 404, 403 and 500 pages, as users will see them;
# DJANGO_DEBUG=1 gives Django's debug pages while developing.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = "local-development-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
PTDV_SHOW_DEMO_LOGINS = env_bool("PTDV_SHOW_DEMO_LOGINS", True)
# runserver serves static files only with DEBUG on: whitenoise serves them here, straight
# from the app folders (no collectstatic), picking up edits.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The reminders' e-mails are printed by `manage.py send_reminders`, never sent.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# Files in a local folder; in an S3-compatible bucket when PTDV_S3_BUCKET is set, as in
# production (docs/deploy.md), to try MinIO or moto_server on a developer's machine.
STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
