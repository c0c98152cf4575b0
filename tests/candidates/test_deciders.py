"""Who decides an admission is data on the tree (294-QĐ/TW 4.3; 06-HD/TW 3.7): the nearest
unit at or above the candidate's unit marked "decides admissions". After 1/7/2025 that is
the commune committee, whose Ban Xây dựng Đảng records the decision for its village cells."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from candidates.choices import DocumentKind, Stage
from candidates.models import Candidate, CandidateDocument, Introducer
from candidates.pipeline import needs_committee, stage_next
from candidates.services import StepRefused, stage_event_record, step_record, step_undo
from units.choices import Role
from units.kinds import ensure_default_kinds
from units.models import UnitKind
from units.selectors import deciding_unit, user_decides_any, user_decides_for
from units.services import role_assign, unit_create

TODAY = date(2026, 6, 30)


pytestmark = pytest.mark.usefixtures("vietnamese")


@pytest.fixture
def tree(db):
    """A province; a commune committee that decides; a village cell and a school's grassroots
    committee (with a cell) under it; and a grassroots committee given the power to decide."""
    ensure_default_kinds(UnitKind)
    kinds = {k.code: k for k in UnitKind.objects.all()}

    def add(parent, code, kind, **fields):
        return unit_create(
            actor=None, parent=parent, kind=kinds[kind], code=code, name=code, **fields
        )

    t = {}
    t["province"] = add(None, "TU", "committee", has_party_organisation=True)
    t["commune"] = add(t["province"], "DU-XA", "committee", decides_admissions=True)
    t["village"] = add(t["commune"], "CB-THON", "cell", has_party_organisation=True)
    t["school_committee"] = add(t["commune"], "DB-THPT", "committee")
    t["school_cell"] = add(t["school_committee"], "CB-GV", "cell", has_party_organisation=True)
    t["delegated"] = add(t["commune"], "DU-CTY", "committee", decides_admissions=True)
    t["company_cell"] = add(t["delegated"], "CB-PX", "cell", has_party_organisation=True)
    return t


@pytest.fixture
def person(tree):
    users = get_user_model().objects

    def make(username, unit_key, role):
        user = users.create_user(username, password="x")
        role_assign(actor=None, user=user, unit=tree[unit_key], role=role)
        return users.get(pk=user.pk)

    return make


def at_cell_resolution(unit, day=date(2026, 5, 4)):
    c = Candidate.objects.create(
        unit=unit, family_name="Lò Văn", given_name="Páo", date_of_birth=date(2000, 1, 1),
        sex="male", category="other", certificate_number="1", certificate_date=date(2025, 10, 1),
    )  # fmt: skip
    for stage, dated in (
        (Stage.CERTIFIED, date(2025, 10, 1)),
        (Stage.FILE_PREPARATION, date(2026, 1, 5)),
        (Stage.BACKGROUND_VERIFIED, date(2026, 3, 2)),
        (Stage.CELL_RESOLUTION, day),
    ):
        stage_event_record(actor=None, candidate=c, stage=stage, dated=dated)
    Introducer.objects.create(candidate=c, name="A", since=date(2024, 1, 1))
    CandidateDocument.objects.create(candidate=c, kind=DocumentKind.INTRODUCTION, dated=day)
    return c


def decide(actor, c, day=date(2026, 6, 1)):
    return step_record(
        actor=actor, candidate=c, stage=Stage.ADMISSION_DECISION, dated=day,
        document_number="12-QĐ/ĐU", today=TODAY,
    )  # fmt: skip


def test_the_nearest_marked_unit_decides_and_the_top_when_none_is(tree):
    assert deciding_unit(tree["village"]) == tree["commune"]
    assert deciding_unit(tree["school_cell"]) == tree["commune"]
    assert deciding_unit(tree["company_cell"]) == tree["delegated"]
    assert deciding_unit(tree["commune"]) == tree["commune"]
    assert deciding_unit(tree["province"]) == tree["province"]  # nothing marked above it


def test_a_committee_resolution_comes_between_only_when_the_committee_is_not_the_decider(tree):
    assert not needs_committee(tree["village"])  # the commune committee decides itself
    assert needs_committee(tree["school_cell"])  # the school's committee, then the commune
    assert not needs_committee(tree["company_cell"])  # the delegated committee decides


def test_the_communes_party_building_board_records_the_decision_for_a_village_cell(tree, person):
    ban_xdd = person("banxaydung", "commune", Role.BOARD)
    c = at_cell_resolution(tree["village"])
    assert Stage.ADMISSION_DECISION in stage_next(c, decides=True)
    decide(ban_xdd, c)
    c.refresh_from_db()
    assert c.stage == Stage.ADMISSION_DECISION
    assert c.events.get(stage=Stage.ADMISSION_DECISION).rules == "294-QĐ/TW"
    step_undo(actor=ban_xdd, candidate=c)  # and may take it back
    assert Candidate.objects.get(pk=c.pk).stage == Stage.CELL_RESOLUTION


def test_the_secretary_and_a_delegated_committee_cannot_decide_for_the_village(tree, person):
    secretary = person("bithu", "village", Role.SECRETARY)
    delegated = person("congty", "delegated", Role.COMMITTEE)
    c = at_cell_resolution(tree["village"])
    for actor in (secretary, delegated):
        assert not user_decides_for(user=actor, unit=c.unit)
    with pytest.raises(StepRefused) as info:
        decide(secretary, c)
    assert [p.rule for p in info.value.problems] == ["decider"]
    assert "DU-XA" in info.value.problems[0].message  # names who decides


def test_a_delegated_grassroots_committee_decides_for_its_cells_the_commune_still_may(tree, person):
    delegated = person("congty", "delegated", Role.COMMITTEE)
    commune = person("banxaydung", "commune", Role.BOARD)
    c = at_cell_resolution(tree["company_cell"])
    assert user_decides_for(user=delegated, unit=c.unit)
    assert user_decides_for(user=commune, unit=c.unit)  # staff above the decider
    decide(delegated, c)
    assert Candidate.objects.get(pk=c.pk).stage == Stage.ADMISSION_DECISION


def test_who_sees_the_batch_decision_page(tree, person, client):
    commune = person("banxaydung", "commune", Role.BOARD)
    school = person("truong", "school_committee", Role.COMMITTEE)
    secretary = person("bithu", "village", Role.SECRETARY)
    assert user_decides_any(user=commune)
    assert not user_decides_any(user=school)  # its cells go on to the commune
    assert not user_decides_any(user=secretary)
    village = at_cell_resolution(tree["village"])
    school_cell = at_cell_resolution(tree["school_cell"])  # awaits its committee first
    client.force_login(commune)
    page = client.get(reverse("candidates:admission_decision"))
    assert page.status_code == 200
    assert [c.pk for c in page.context["people"]] == [village.pk]
    assert school_cell.pk not in {c.pk for c in page.context["people"]}
    client.force_login(school)
    assert client.get(reverse("candidates:admission_decision")).status_code == 403


def test_the_demo_district_committee_decides_for_every_unit(demo, demo_user):
    board, commune = demo_user("bantochuc"), demo_user("danguy.thang")
    assert demo["HU-HIEPHOA"].decides_admissions
    for code in ("THPT-HH1", "DN-HAPHONG"):
        assert deciding_unit(demo[code]) == demo["HU-HIEPHOA"]
    assert user_decides_any(user=board)
    assert not user_decides_any(user=commune)  # a commune before the reform: not yet
