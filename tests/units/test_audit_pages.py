"""The audit trail as the Organization Board reads it: an object's "Lịch sử thay đổi" and
the audit page with its filters (docs/security.md, 3)."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation

from candidates.models import Candidate
from candidates.services import candidate_save
from core.history import ACTION_LABELS
from core.models import AuditEvent
from units.choices import Role
from units.models import Unit, UnitKind
from units.services import account_delete, role_assign

pytestmark = pytest.mark.django_db

CCCD = "024306007788"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def person(demo, demo_user):
    """A student of THPT Hiệp Hòa 1, added and then corrected by the cell's secretary."""
    secretary = demo_user("bithu.thpt1")
    candidate = Candidate(
        unit=demo["THPT-HH1"], family_name="Lê Văn", given_name="Sửa",
        date_of_birth=date(2007, 5, 2), sex="male", category="student",
        citizen_id=CCCD, school_class="11A1",
    )  # fmt: skip
    candidate_save(actor=secretary, candidate=candidate)
    candidate.school_class = "12A1"
    candidate.date_of_birth = date(2007, 5, 12)
    candidate_save(actor=secretary, candidate=candidate)
    return candidate


def history_url(obj) -> str:
    return reverse("audit:history", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def test_the_board_reads_who_changed_what_on_the_candidates_history(person, login):
    client = login("bantochuc")
    page = client.get(reverse("candidates:candidate_detail", args=[person.pk])).content.decode()
    assert history_url(person) in page and "Lịch sử thay đổi" in page

    text = client.get(history_url(person)).content.decode()
    assert "Lịch sử thay đổi: Lê Văn Sửa" in text
    assert text.count("bithu.thpt1") >= 2  # who, for the addition and the correction
    assert re.search(r"<del[^>]*>11A1</del> → 12A1", text)  # old crossed out, then the new
    assert re.search(r"<del[^>]*>02/05/2007</del> → 12/05/2007", text)
    assert "********7788" in text and CCCD not in text  # masked, as on the candidate's page
    assert text.index("Sửa thông tin đối tượng") < text.index("Thêm đối tượng")  # newest first


@pytest.mark.parametrize("username", ["bithu.thpt1", "thuongtruc", "danguy.thang"])
def test_only_the_board_has_the_history(person, login, username):
    client = login(username)
    page = client.get(reverse("candidates:candidate_detail", args=[person.pk])).content.decode()
    assert history_url(person) not in page
    assert client.get(history_url(person)).status_code == 403
    assert client.get(reverse("audit:log")).status_code == 403


def test_a_board_of_another_tree_is_told_nothing(person, client, demo):
    other = Unit.add_root(
        code="XA-KHAC", name="Đảng ủy xã Khác", kind=UnitKind.objects.get(code="cell")
    )
    user = get_user_model().objects.create_user(username="bantochuc.khac", password="x")
    role_assign(actor=None, user=user, unit=other, role=Role.BOARD)
    client.force_login(user)
    assert client.get(history_url(person)).status_code == 404
    assert "Lê Văn" not in client.get(reverse("audit:log")).content.decode()


def test_a_deleted_accounts_name_stays_on_its_rows(person, login, demo_user):
    account_delete(actor=demo_user("bantochuc"), user=demo_user("bithu.thpt1"))
    text = login("bantochuc").get(history_url(person)).content.decode()
    assert "bithu.thpt1" in text and "tài khoản đã xoá" in text


def log(client, **query):
    return client.get(reverse("audit:log"), query).content.decode()


def test_the_audit_page_filters_by_who_unit_kind_name_action_and_date(person, login, demo):
    client = login("bantochuc")
    everything = log(client)
    assert "Lê Văn Sửa" in everything and "Thêm đối tượng" in everything

    mine = log(client, actor="bithu.thpt1")
    assert "Lê Văn Sửa" in mine
    assert AuditEvent.objects.exclude(actor_name="bithu.thpt1").exists()
    assert "bantochuc</span>" not in mine

    assert "Lê Văn Sửa" in log(client, unit=demo["THPT-HH1"].pk)
    assert "Lê Văn Sửa" not in log(client, unit=demo["THPT-HH2"].pk)

    candidate_type = ContentType.objects.get_for_model(Candidate).pk
    assert "Lê Văn Sửa" in log(client, kind=candidate_type, what="Sửa")
    assert "Lê Văn Sửa" not in log(client, what="Không có ai tên này")
    assert "Lê Văn Sửa" in log(client, action="candidate_update")
    assert "Lê Văn Sửa" not in log(client, action="plan_create")

    today = timezone.localdate()
    assert "Lê Văn Sửa" in log(client, since=today.strftime("%d/%m/%Y"))
    assert "Lê Văn Sửa" not in log(client, until=(today - timedelta(days=1)).strftime("%d/%m/%Y"))


def test_every_action_written_has_a_label():
    """The actions in the code, as literals passed to ``audit_record`` and the services'
    helpers, and the ``<name>_create/_update`` pairs of ``quotas.services._save``."""
    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {".venv", "tests", "bench"}:
            continue
        text = path.read_text()
        found |= set(re.findall(r'(?:_audit\(\s*actor,\s*|action\s*=\s*)"([a-z_.]+)"', text))
        for a, b in re.findall(r'action\s*=\s*"([a-z_.]+)" if [^\n]+ else "([a-z_.]+)"', text):
            found |= {a, b}
        for base in re.findall(r'\b_save\([^)]*action="([a-z_]+)"', text):
            found |= {f"{base}_create", f"{base}_update"}
            found.discard(base)
    found -= {"store_true", "append"}  # argparse's actions
    assert found - set(ACTION_LABELS) == set()
