"""Logins (docs/security.md, "1. Logins"): the lockout after repeated wrong passwords on
both login pages, the session policy, the password-change page and the audit rows."""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-dung-2024"
WRONG = "mat-khau-sai-bi-mat"
LOGIN_PAGES = ["/dang-nhap/", "/quan-tri/login/"]


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("canbo", password=PASSWORD, is_staff=True)


def _post(client, page, password):
    return client.post(page, {"username": "canbo", "password": password})


def _fail_until_locked(client, page):
    responses = [_post(client, page, WRONG) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    return responses[-1]


def test_the_policy_is_a_few_failures_for_a_while():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_repeated_wrong_passwords_lock_the_user_name_with_a_vietnamese_page(client, user, page):
    locked = _fail_until_locked(client, page)
    html = locked.content.decode()
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in html
    assert "Mật khẩu đã nhập sai 5 lần liên tiếp" in html
    assert "Đăng nhập bị tạm khóa trong 30 phút, kể cả khi nhập đúng mật khẩu." in html
    assert 'class="app-header"' in html  # the app's layout, not a bare error page
    # The right password is refused while the lock lasts, on both pages.
    for other in LOGIN_PAGES:
        response = _post(client, other, PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session


def test_a_lock_is_for_that_user_name_and_address_only(client, user, django_user_model):
    django_user_model.objects.create_user("canbo2", password=PASSWORD)
    _fail_until_locked(client, LOGIN_PAGES[0])
    response = client.post(LOGIN_PAGES[0], {"username": "canbo2", "password": PASSWORD})
    assert response.status_code == 302
    other_address = client.post(
        LOGIN_PAGES[0], {"username": "canbo", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 302


def test_a_reset_unlocks(client, user):
    from axes.utils import reset

    _fail_until_locked(client, LOGIN_PAGES[0])
    assert reset(username="canbo") == 1
    assert _post(client, LOGIN_PAGES[0], PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, user):
    _fail_until_locked(client, LOGIN_PAGES[0])
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert _post(client, LOGIN_PAGES[0], PASSWORD).status_code == 302


def test_board_staff_unlock_in_the_admin_and_it_is_audited(client, demo, user):
    _fail_until_locked(client, LOGIN_PAGES[0])
    attempt = AccessAttempt.objects.get(username="canbo")
    board = client.__class__()
    board.post(reverse("login"), {"username": "bantochuc", "password": "ptdv2024"})
    changelist = board.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "canbo" in changelist.content.decode()
    response = board.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action="login_unlock")
    assert event.actor_name == "bantochuc" and event.details["username"] == "canbo"
    assert _post(client, LOGIN_PAGES[0], PASSWORD).status_code == 302


# --- sessions -----------------------------------------------------------------------------


def test_sessions_end_at_browser_close_and_after_a_working_day_idle():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_REFRESH_SECONDS == 60  # the deadline moves on once a minute


def test_the_session_cookie_dies_with_the_browser(client, user):
    response = _post(client, LOGIN_PAGES[0], PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_a_request_moves_the_deadline_and_an_idle_session_ends(client, user, monkeypatch):
    import core.middleware

    _post(client, LOGIN_PAGES[0], PASSWORD)
    key = client.session.session_key
    soon = timezone.now() + timedelta(minutes=1)
    Session.objects.filter(pk=key).update(expire_date=soon)
    # Within the minute of the last write, a request reads the session and leaves it be.
    assert client.get(reverse("password_change")).status_code == 200
    assert Session.objects.get(pk=key).expire_date == soon
    # A minute later, it moves the deadline a working day on.
    later = core.middleware._now() + settings.SESSION_REFRESH_SECONDS
    monkeypatch.setattr(core.middleware, "_now", lambda: later)
    assert client.get(reverse("password_change")).status_code == 200
    moved = Session.objects.get(pk=key).expire_date
    assert moved > timezone.now() + timedelta(hours=7, minutes=59)
    # A working day without a request: the session is over.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- password change ----------------------------------------------------------------------


def test_the_menu_links_to_the_password_change_page(client, user):
    client.force_login(user)
    html = client.get(reverse("password_change")).content.decode()
    assert f'href="{reverse("password_change")}"' in html
    assert 'class="app-header"' in html and "Đổi mật khẩu" in html
    assert 'name="old_password"' in html and 'name="new_password1"' in html


def test_the_admins_password_link_leads_to_the_apps_page(client, user):
    client.force_login(user)
    response = client.get("/quan-tri/password_change/")
    assert response.status_code == 302 and response["Location"] == reverse("password_change")


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("12345678", "Mật khẩu này hoàn toàn là số."),
        ("password", "Mật khẩu này quá phổ biến."),
        ("a1b2", "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 8 ký tự."),
        ("canbo123", "Mật khẩu quá giống với"),
    ],
)
def test_a_weak_password_is_refused_in_vietnamese(client, user, new, message):
    client.force_login(user)
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="password_change").exists()


def test_a_password_change_works_keeps_the_session_and_is_audited(client, user):
    client.force_login(user)
    new = "Mot-mat-khau-moi-2025"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = client.post(reverse("password_change"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Mật khẩu của bạn đã được đổi." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get(reverse("password_change")).status_code == 200  # still logged in
    event = AuditEvent.objects.get(action="password_change")
    assert event.actor == user and new not in json.dumps(event.details)


# --- the audit trail ----------------------------------------------------------------------


def test_login_failed_login_and_logout_are_audited_without_the_password(client, user):
    _post(client, LOGIN_PAGES[0], WRONG)
    _post(client, LOGIN_PAGES[1], PASSWORD)
    client.post(reverse("logout"))
    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.action for e in events] == ["login_failed", "login", "logout"]
    failed, login, logout = events
    assert failed.actor is None
    assert failed.details["username"] == "canbo" and failed.details["ip"] == "127.0.0.1"
    assert failed.details["path"] == LOGIN_PAGES[0]
    assert (login.actor, login.details["path"]) == (user, LOGIN_PAGES[1])
    assert logout.actor == user
    everything = json.dumps([[e.details, e.object_repr] for e in events])
    assert WRONG not in everything and PASSWORD not in everything


def test_every_password_validator_speaks_vietnamese(user):
    from django.contrib.auth.password_validation import get_default_password_validators
    from django.core.exceptions import ValidationError
    from django.utils import translation

    weak = {
        "UserAttributeSimilarityValidator": "canbo123",
        "MinimumLengthValidator": "a1b2",
        "CommonPasswordValidator": "password",
        "NumericPasswordValidator": "12345678",
    }
    validators = get_default_password_validators()
    assert sorted(type(v).__name__ for v in validators) == sorted(weak)
    for validator in validators:
        texts = {}
        for language in ("en", "vi"):
            with translation.override(language):
                with pytest.raises(ValidationError) as refused:
                    validator.validate(weak[type(validator).__name__], user)
                texts[language] = (refused.value.messages[0], validator.get_help_text())
        assert texts["vi"][0] != texts["en"][0], texts
        assert texts["vi"][1] != texts["en"][1], texts
