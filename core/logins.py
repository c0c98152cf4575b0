"""Logins in the audit trail: every login, failed login, logout and password change.

Django's auth signals carry the events; django-axes counts the failures and locks a user
name + address (settings: ``AXES_*``). A failed login records the user name that was tried
and the address, never the password. ``login_unlock`` is the Board's early unlock (the
admin's "Access attempts" page deletes the attempt through it).
"""

from axes.helpers import get_client_ip_address
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from .audit import audit_record


def client_address(request: HttpRequest | None) -> str:
    """The address django-axes counts failures under (``X-Forwarded-For`` in production)."""
    if request is None:
        return ""
    return get_client_ip_address(request) or ""


def _where(request: HttpRequest | None) -> dict:
    return {"ip": client_address(request), "path": request.path if request is not None else ""}


@receiver(user_logged_in, dispatch_uid="core.login_audit")
def login_audit(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action="login", obj=user, **_where(request))


@receiver(user_login_failed, dispatch_uid="core.login_failed_audit")
def login_failed_audit(sender, credentials, request=None, **kwargs) -> None:
    """A refused login: the user name tried and the address. Django has already replaced
    the password in ``credentials`` by stars; only the user name is taken from it."""
    username_field = get_user_model().USERNAME_FIELD
    tried = str(credentials.get(username_field) or credentials.get("username") or "")[:150]
    audit_record(
        actor=None,
        action="login_failed",
        username=tried,
        locked_out=bool(getattr(request, "axes_locked_out", False)),
        **_where(request),
    )


@receiver(user_logged_out, dispatch_uid="core.logout_audit")
def logout_audit(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action="logout", obj=user, **_where(request))


def password_change_audit(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """The user changed their own password (the password-change page calls this)."""
    audit_record(actor=user, action="password_change", obj=user, **_where(request))


@transaction.atomic
def login_unlock(*, actor: AbstractBaseUser | None, attempt) -> None:
    """Lift a lockout before its time: delete django-axes' record of the failures."""
    audit_record(
        actor=actor,
        action="login_unlock",
        username=attempt.username or "",
        ip=attempt.ip_address or "",
        failures=attempt.failures_since_start,
    )
    attempt.delete()
