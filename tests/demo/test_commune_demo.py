"""The second demo: a commune after the 1/7/2025 reform (fixtures/demo_commune*.json) — a
province committee over one commune committee that decides its cells' admissions, Plan
12-KH/ĐU of 2026 played through under 294-QĐ/TW.

Both demos are loaded in full once for the module, as ``make run`` does, inside a
transaction that is rolled back; each test runs in its own."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from candidates.choices import Stage
from candidates.models import Candidate, CandidateDocument, Introducer, StageEvent
from candidates.selectors import candidate_list, candidates_due
from candidates.services import StepRefused, step_record
from core.models import AuditEvent
from quotas.choices import Measure
from quotas.measures import CountQuery, count_by_unit
from quotas.models import Plan, Target
from quotas.progress import target_progress
from quotas.selectors import plan_list
from reports.kinds.tables import SHORT_GROUP_LABELS
from reports.scope import report_scope
from reports.services import report_build
from training.models import TrainingClass
from training.selectors import class_list
from units.choices import Role
from units.models import RoleAssignment, Unit
from units.selectors import deciding_unit, unit_list

pytestmark = pytest.mark.django_db

YEAR_END = date(2026, 12, 31)
COMMUNE_UNITS = {
    "TU-BACNINH",
    "DU-HOAPHONG",
    "CB-PHONGXA",
    "CB-HOALAC",
    "CB-DONGMAI",
    "CB-PHOMOI",
    "THPT-HOAPHONG",
    "DN-PHONGDAT",
    "TTCT-HOAPHONG",
    "DX-HOAPHONG",
}


def _sizes() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Unit, Candidate, StageEvent, CandidateDocument, Introducer, TrainingClass)
    } | {"audit": AuditEvent.objects.count()}


@pytest.fixture(scope="module")
def commune(django_db_setup, django_db_blocker):
    """Both demos in full, as ``make run`` loads them, then a second run of both: each
    demo's story touches only its own people."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        before = _sizes()
        again = StringIO()
        call_command("load_demo", stdout=again)
        facts = {"output": out.getvalue(), "again": again.getvalue(), "sizes": (before, _sizes())}
        yield facts
        transaction.set_rollback(True)


@pytest.fixture
def user():
    return lambda username: get_user_model().objects.get(username=username)


@pytest.fixture
def plan(commune) -> Plan:
    return Plan.objects.select_related("area", "issuer").get(number="12-KH/ĐU")


def _waiting(code: str) -> Candidate:
    """A candidate of ``code`` whose cell has resolved and who waits for the decision."""
    return (
        Candidate.objects.filter(unit__code=code, stage=Stage.CELL_RESOLUTION)
        .order_by("pk")
        .first()
    )


# --- the tree, the accounts, the run -----------------------------------------------------------


def test_the_tree_after_the_reform(commune):
    units = {u.code: u for u in Unit.objects.filter(code__in=COMMUNE_UNITS)}
    assert set(units) == COMMUNE_UNITS

    def parent(code):
        return Unit.objects.get_parent(units[code]).code

    assert Unit.objects.get_parent(units["TU-BACNINH"]) is None
    assert parent("DU-HOAPHONG") == "TU-BACNINH"  # no district in between
    assert {parent(c) for c in COMMUNE_UNITS - {"TU-BACNINH", "DU-HOAPHONG"}} == {"DU-HOAPHONG"}
    assert units["TU-BACNINH"].decides_admissions and units["DU-HOAPHONG"].decides_admissions
    for code in ("CB-PHONGXA", "THPT-HOAPHONG", "DN-PHONGDAT"):
        assert deciding_unit(units[code]).code == "DU-HOAPHONG"
    assert units["CB-PHONGXA"].kind.name == "Chi bộ thôn, khu dân cư"


def test_the_commune_accounts_hold_their_roles(commune, user):
    expected = {
        "banxaydung": (Role.BOARD, "DU-HOAPHONG"),
        "thuongtruc.xa": (Role.STANDING_OFFICE, "DU-HOAPHONG"),
        "bithu.thon": (Role.SECRETARY, "CB-PHONGXA"),
        "bithu.thpt": (Role.SECRETARY, "THPT-HOAPHONG"),
        "bantochuc.tinh": (Role.BOARD, "TU-BACNINH"),
    }
    for username, (role, code) in expected.items():
        ra = RoleAssignment.objects.get(user__username=username)
        assert (ra.role, ra.unit.code) == (role, code)
        assert user(username).check_password("ptdv2024")
    assert {u.code for u in unit_list(user=user("banxaydung"))} == COMMUNE_UNITS - {"TU-BACNINH"}
    assert {u.code for u in unit_list(user=user("bithu.thon"))} == {"CB-PHONGXA"}
    assert {u.code for u in unit_list(user=user("bantochuc.tinh"))} == COMMUNE_UNITS


def test_a_second_run_changes_nothing(commune):
    before, after = commune["sizes"]
    assert before == after
    assert "10 đơn vị (0 đơn vị được tạo, 0 đơn vị được cập nhật)" in commune["again"]
    assert "cho 0 người" in commune["again"]
    assert "banxaydung" in commune["output"] and "bithu.thon" in commune["output"]


# --- the year played under 294-QĐ/TW -----------------------------------------------------------


def test_the_year_is_played_under_294(commune, plan):
    events = StageEvent.objects.filter(candidate__unit__path__startswith=plan.area.path)
    decisions = events.filter(stage=Stage.ADMISSION_DECISION)
    assert decisions.count() >= 8
    assert set(decisions.values_list("recorded_by__username", flat=True)) == {"banxaydung"}
    assert all(n.endswith("-QĐ/ĐU") for n in decisions.values_list("document_number", flat=True))
    resolutions = events.filter(stage=Stage.CELL_RESOLUTION)
    assert set(resolutions.values_list("rules", flat=True)) == {"294-QĐ/TW"}
    # Every cell sits right under the deciding commune: no committee resolution; nobody is a
    # full member yet (12 months of probation from a 2026 ceremony).
    assert not events.filter(stage__in=(Stage.COMMITTEE_RESOLUTION, Stage.FULL_MEMBER)).exists()
    # Every paper of the file is on record for each resolution, dated before it.
    for event in resolutions.select_related("candidate"):
        papers = dict(event.candidate.documents.values_list("kind", "dated"))
        assert {"application", "background", "verification", "introduction", "opinions"} <= set(
            papers
        ), event.candidate
        assert all(d <= event.dated for d in papers.values())


def test_some_wait_for_the_decision_and_two_are_overdue(commune):
    waiting = list(
        Candidate.objects.filter(
            unit__code__in=COMMUNE_UNITS, stage=Stage.CELL_RESOLUTION
        ).select_related("unit")
    )
    dues = candidates_due(waiting, today=date(2026, 12, 2))
    overdue = sorted(c.unit.code for c in waiting if dues[c.pk].late)
    assert overdue == ["CB-HOALAC", "DN-PHONGDAT"]
    assert len(waiting) > len(overdue)
    stages = set(
        Candidate.objects.filter(unit__code__in=COMMUNE_UNITS).values_list("stage", flat=True)
    )
    assert {Stage.CERTIFIED, Stage.FILE_PREPARATION, Stage.BACKGROUND_VERIFIED} <= stages


# --- the commune decides -----------------------------------------------------------------------


def test_the_communes_board_records_the_decision_for_a_village_cell(commune, user):
    candidate = _waiting("CB-PHONGXA")
    event = step_record(
        actor=user("banxaydung"),
        candidate=candidate,
        stage=Stage.ADMISSION_DECISION,
        dated=date(2026, 12, 2),
        document_number="63-QĐ/ĐU",
        today=date(2026, 12, 2),
    )
    assert event.rules == "294-QĐ/TW"
    candidate.refresh_from_db()
    assert candidate.stage == Stage.ADMISSION_DECISION


def test_the_village_secretary_cannot_decide(commune, user):
    candidate = _waiting("CB-PHONGXA")
    with pytest.raises(StepRefused, match="Đảng ủy xã Hòa Phong"):
        step_record(
            actor=user("bithu.thon"),
            candidate=candidate,
            stage=Stage.ADMISSION_DECISION,
            dated=date(2026, 12, 2),
            document_number="63-QĐ/ĐU",
            today=date(2026, 12, 2),
        )
    candidate.refresh_from_db()
    assert candidate.stage == Stage.CELL_RESOLUTION


def test_the_decision_page_lists_the_village_cell_for_the_commune_only(commune, client, user):
    candidate = _waiting("CB-PHONGXA")
    client.force_login(user("banxaydung"))
    page = client.get(reverse("candidates:admission_decision"))
    assert page.status_code == 200
    assert candidate.given_name in page.content.decode()
    client.force_login(user("bithu.thon"))
    assert client.get(reverse("candidates:admission_decision")).status_code in (302, 403, 404)


# --- every page answers -----------------------------------------------------------------------


@pytest.mark.parametrize("username", ["banxaydung", "thuongtruc.xa", "bithu.thon", "bithu.thpt"])
def test_the_pages_answer_for_the_commune(commune, client, user, plan, username):
    client.force_login(user(username))
    cls = TrainingClass.objects.filter(plan=plan).first()
    urls = [
        reverse("home"),
        reverse("quotas:plan_list"),
        reverse("quotas:plan_detail", args=[plan.pk]),
        reverse("quotas:plan_dashboard", args=[plan.pk]),
        reverse("candidates:candidate_list"),
        reverse("training:class_list"),
        reverse("training:class_detail", args=[cls.pk]),
        reverse("reports:index"),
        reverse("reports:report", args=["year_end"]) + f"?ke_hoach={plan.pk}",
        reverse("reports:report", args=["interim"]) + f"?ke_hoach={plan.pk}&ky=q3",
        reverse("reports:report", args=["progress"]) + f"?ke_hoach={plan.pk}&den_ngay=30/11/2026",
    ]
    if username == "banxaydung":
        urls += [
            reverse("candidates:admission_decision"),
            reverse("quotas:plan_grid", args=[plan.pk]),
            reverse("training:class_update", args=[cls.pk]),
        ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    candidate = Candidate.objects.filter(unit__in=unit_list(user=user(username))).first()
    assert (
        client.get(reverse("candidates:candidate_detail", args=[candidate.pk])).status_code == 200
    )


# --- the year-end report, from the dashboard's selectors ---------------------------------------


def test_the_year_end_report_builds_with_the_dashboards_figures(commune, plan, user, client):
    board = user("banxaydung")
    scope = report_scope(user=board, plan_pk=plan.pk, start=None, end=None)
    built = {
        fmt: report_build(kind="year_end", scope=scope, user=board, fmt=fmt)
        for fmt in ("pdf", "xlsx", "docx")
    }
    assert built["pdf"].content.startswith(b"%PDF-")
    assert built["xlsx"].content.startswith(b"PK") and built["docx"].content.startswith(b"PK")
    client.force_login(board)
    page = client.get(reverse("reports:report", args=["year_end"]), {"ke_hoach": plan.pk})
    assert page.status_code == 200 and "Hòa Phong" in page.content.decode()
    doc = built["pdf"].document
    quotas, _rounds, groups = doc.tables[:3]

    main = Target.objects.get(plan=plan, in_annex=True, measure=Measure.ADMISSIONS)
    tp = target_progress(target=main, on=YEAR_END, visible=[plan.area_id])
    area = set(Unit.objects.filter(path__startswith=plan.area.path).values_list("pk", flat=True))
    admitted = count_by_unit(
        CountQuery(measure=Measure.ADMISSIONS, start=date(2026, 1, 1), end=YEAR_END)
    )
    total = tp.rollup[plan.area_id].actual
    assert total == sum(n for pk, n in admitted.items() if pk in area) > 0
    assert quotas.rows[-1].is_total and groups.rows[-1].is_total
    assert total in quotas.rows[-1].cells
    assert groups.rows[-1].cells[2] == total
    assert f" {total} " in doc.paragraphs[0]
    village = Unit.objects.get(code="CB-PHONGXA")
    row = next(r for r in quotas.rows if r.cells[1] == village.name)
    assert tp.own[village.pk].actual == admitted.get(village.pk, 0)
    assert tp.own[village.pk].actual in row.cells and tp.own[village.pk].minimum in row.cells
    heading = groups.columns[2].group
    column = groups.column(str(SHORT_GROUP_LABELS["students"]), heading)
    students = count_by_unit(
        CountQuery(
            measure=Measure.ADMISSIONS, start=date(2026, 1, 1), end=YEAR_END, group="students"
        )
    )
    assert groups.rows[-1].cells[column] == sum(n for pk, n in students.items() if pk in area)


def test_the_build_report_command_builds_the_year_end_pdf(commune, tmp_path):
    out = tmp_path / "x.pdf"
    call_command(
        "build_report",
        "year_end",
        "--plan",
        "12-KH/ĐU",
        "--year",
        "2026",
        "--format",
        "pdf",
        "--output",
        str(out),
        stdout=StringIO(),
    )
    assert out.read_bytes().startswith(b"%PDF-")


# --- the two demos do not see each other --------------------------------------------------------


@pytest.mark.parametrize(
    "username", ["bantochuc", "thuongtruc", "bithu.thpt1", "bithu.haphong", "danguy.thang"]
)
def test_the_district_sees_nothing_of_the_commune(commune, client, user, plan, username):
    someone = user(username)
    assert not unit_list(user=someone).filter(code__in=COMMUNE_UNITS).exists()
    assert plan not in plan_list(user=someone)
    assert not class_list(user=someone).filter(plan=plan).exists()
    assert not candidate_list(user=someone).filter(unit__code__in=COMMUNE_UNITS).exists()
    client.force_login(someone)
    assert client.get(reverse("quotas:plan_dashboard", args=[plan.pk])).status_code == 404
    assert (
        client.get(reverse("reports:report", args=["year_end"]), {"ke_hoach": plan.pk}).status_code
        == 404
    )
    candidate = Candidate.objects.filter(unit__code="CB-PHONGXA").first()
    assert (
        client.get(reverse("candidates:candidate_detail", args=[candidate.pk])).status_code == 404
    )


@pytest.mark.parametrize(
    "username", ["banxaydung", "thuongtruc.xa", "bithu.thon", "bantochuc.tinh"]
)
def test_the_commune_sees_nothing_of_the_district(commune, user, username):
    someone = user(username)
    assert not unit_list(user=someone).exclude(code__in=COMMUNE_UNITS).exists()
    assert list(plan_list(user=someone).values_list("number", flat=True)) == ["12-KH/ĐU"]
