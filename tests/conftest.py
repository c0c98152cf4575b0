import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from units.models import Unit

DEMO_PASSWORD = "ptdv2024"


@pytest.fixture
def demo(db):
    """The demo district of Plan 145/KH-HU, loaded by the real command (without the
    generated classes: ``demo_classes`` adds them)."""
    call_command("load_demo", "--only", "district", "--no-classes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def demo_user(demo):
    def get(username: str):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def plan145(demo):
    """Plan 145/KH-HU of the demo district (seed 001)."""
    from quotas.models import Plan

    return Plan.objects.get(number="145/KH-HU")


@pytest.fixture
def board(demo_user):
    """The demo's Organization Board account."""
    return demo_user("bantochuc")


@pytest.fixture
def login(client, demo):
    def do(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return do


@pytest.fixture
def demo_classes(demo):
    """The demo with its four 2024 awareness classes played through."""
    from demo.classes import demo_classes_load

    demo_classes_load()
    return demo
