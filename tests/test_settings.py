import datetime as dt
import os
import subprocess
import sys

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.utils import translation


def test_vietnamese_and_local_time_by_default():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    with translation.override("vi"):
        assert translation.gettext("Log in") == "Đăng nhập"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("05/03/2024", dt.date(2024, 3, 5)),  # 5 March, not 3 May
        ("19/5/2024", dt.date(2024, 5, 19)),
        ("01.07.2025", dt.date(2025, 7, 1)),
    ],
)
def test_dates_are_typed_day_first(typed, expected):
    class F(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = F({"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


def test_impossible_date_gets_a_vietnamese_message():
    class F(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = F({"day": "31/02/2024"})
        assert not form.is_valid()
        assert "Nhập một ngày hợp lệ." in form.errors["day"][0]


def test_dates_are_shown_dd_mm_yyyy():
    with translation.override("vi"):
        html = Template("{{ d|date:'SHORT_DATE_FORMAT' }} {{ d }}").render(
            Context({"d": dt.date(2024, 3, 5)})
        )
    assert html == "05/03/2024 05/03/2024"


def _import_production(env: dict, code: str = "") -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 50}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    result = _import_production(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_starts_with_its_secrets():
    result = _import_production(
        {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "ptdv.example.vn"}
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "kept"), [({}, "60 True"), ({"DJANGO_CONN_MAX_AGE": "0"}, "0 True")]
)
def test_production_workers_keep_their_database_connection(env, kept):
    """A new PostgreSQL connection per request cost about 100 ms of a list page at province
    scale: production keeps it a minute, checked before reuse (docs/deploy.md)."""
    secrets = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "ptdv.example.vn"}
    shown = "from django.conf import settings as s; d = s.DATABASES['default']; "
    shown += "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    result = _import_production({**secrets, **env}, shown)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == kept


DEMO_SERVER_CHECK = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/khong-co-trang-nay/")
print(missing.status_code, "Không tìm thấy trang" in missing.content.decode())
print(client.get("/static/css/app.css").status_code)
icon = client.get("/favicon.ico", follow=True)
print(icon.status_code, icon.redirect_chain[-1][0], icon["Content-Type"])
"""


def test_the_demo_server_shows_the_apps_vietnamese_pages_and_serves_its_files(tmp_path):
    """`make run` (config.settings.local) shows the app's own 404 page, not Django's English
    debug page, and still serves the static files and the favicon."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", DEMO_SERVER_CHECK],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "404 True",
        "200",
        "200 /static/favicon.svg image/svg+xml",
    ]
