"""The queue of background work is the worker's business, not the Board's: its rows are not
edited in the admin (a report's page in the archive shows where its build stands)."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
