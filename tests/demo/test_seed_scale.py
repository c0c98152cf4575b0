"""``seed_scale``: a small province built by the real command, checked against the tree's
bookkeeping, the pipeline's rules and the pages that read it."""

from datetime import date, time
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from candidates.choices import Stage
from candidates.models import Candidate, StageEvent
from candidates.pipeline import (
    StepFacts,
    cell_resolution_problems,
    needs_committee,
    recognition_problems,
    stage_next,
)
from candidates.rules import deadline_after, ruleset_on
from candidates.services import candidate_stage_refresh
from candidates.workdays import calendar_load
from core.dates import today
from quotas.models import HistoricalTotal, Plan
from training.choices import NominationStatus, Result
from training.models import Nomination, NomineeList, TrainingClass
from units.models import Unit

UNITS, PEOPLE, YEARS = 60, 600, 2


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    """The province of the command's small run, for the tests of this module (rolled back
    after them): the command's output."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed_scale",
            "--units",
            str(UNITS),
            "--candidates",
            str(PEOPLE),
            "--years",
            str(YEARS),
            "--check",
            "100",
            stdout=out,
        )
        yield out.getvalue()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_tree_is_treebeards_own(province):
    """Paths, depths and children as treebeard writes them: its own consistency check
    finds nothing, and each unit's ``numchild`` is its number of children."""
    assert Unit.objects.count() == UNITS
    assert all(not problems for problems in Unit.objects.find_problems())
    units = list(Unit.objects.select_related("kind"))
    children = {u.path: 0 for u in units}
    for unit in units:
        if unit.depth > 1:
            children[unit.path[: -Unit.steplen]] += 1
    assert {u.path: u.numchild for u in units} == children
    assert [u.depth for u in units if u.depth == 1] == [1]
    assert max(u.depth for u in units) == 4  # province → agency → enterprise committee → cell
    kinds = {u.kind.code for u in units}
    assert {"commune_committee", "high_school", "enterprise", "village_cell"} <= kinds
    # Enterprises without a party organisation have their admissions run by the commune.
    runs = [u for u in units if u.admission_unit_id]
    assert runs and all(not u.has_party_organisation for u in runs)


def _walk(candidate: Candidate, events: list[StageEvent], calendar) -> list[str]:
    """What the services would have refused on this road, step by step."""
    problems = []
    stage = Stage.IDENTIFIED
    last = None
    for event in events:
        if event.stage == Stage.NOMINATED:  # recorded by the class pages, not a step
            allowed = stage in (Stage.IDENTIFIED, Stage.NOMINATED)
        else:
            allowed = event.stage in stage_next(
                SimpleNamespace(stage=stage, unit=candidate.unit), decides=True
            )
        if not allowed:
            problems.append(f"{event.stage} after {stage}")
        if last is not None and event.dated < last.dated:
            problems.append(f"{event.stage} dated before the step before it")
        facts = StepFacts(
            stage=event.stage,
            dated=event.dated,
            today=today(),
            decides=True,
            votes_for=event.votes_for,
            full_members=event.full_members,
        )
        rules = ruleset_on(event.dated)
        if event.stage == Stage.CELL_RESOLUTION:
            problems += [p.message for p in cell_resolution_problems(candidate, facts, rules)]
            resolution = event
        if event.stage == Stage.ADMISSION_DECISION:
            due = deadline_after(
                step="admission_decision",
                start=resolution.dated,
                rules=ruleset_on(resolution.dated),
                calendar=calendar,
            ).due
            if event.dated > due or not event.document_number:
                problems.append("admission decision late or without its number")
        if event.stage == Stage.CEREMONY:
            due = deadline_after(
                step="ceremony", start=last.dated, rules=rules, calendar=calendar
            ).due
            if event.dated > due:
                problems.append("ceremony late")
        if event.stage in (Stage.FULL_MEMBER, Stage.NOT_RECOGNISED):
            problems += [p.message for p in recognition_problems(candidate, facts, rules)]
        stage = Stage.PROBATIONARY if event.stage == Stage.CEREMONY else event.stage
        last = event
    if candidate.stage != stage:
        problems.append(f"stage {candidate.stage}, events say {stage}")
    return problems


def test_every_road_is_one_the_rules_allow(province):
    """Each candidate's events, in order, are steps ``stage_next`` offers, dated in order,
    the cell resolutions pass the services' checks (age, certificate, papers, introducers,
    the vote), decisions and ceremonies are on time, recognitions after probation with the
    mentor's assessment; the stored stage is the last event's."""
    calendar = calendar_load()
    candidates = Candidate.objects.select_related("unit").prefetch_related(
        "events", "documents", "introducers"
    )
    stages = set()
    for candidate in candidates:
        problems = _walk(candidate, list(candidate.events.all()), calendar)
        assert not problems, f"{candidate.pk} {candidate}: {problems}"
        stages.add(candidate.stage)
    assert Candidate.objects.count() == PEOPLE
    # Every stage of the road appears (the committee resolution where a committee sits
    # between the cell and the decider), and the side exits.
    assert {
        Stage.IDENTIFIED,
        Stage.NOMINATED,
        Stage.CERTIFIED,
        Stage.FILE_PREPARATION,
        Stage.PROBATIONARY,
        Stage.FULL_MEMBER,
        Stage.WITHDRAWN,
    } <= stages
    committee = StageEvent.objects.filter(stage=Stage.COMMITTEE_RESOLUTION).select_related(
        "candidate__unit"
    )
    assert committee.exists()
    assert all(needs_committee(e.candidate.unit) for e in committee)


def test_stored_fields_are_what_the_services_derive(province):
    """The stage (``candidate_stage_refresh``), the keys (``tidy``) and the certificate of
    every candidate are what the services would store."""
    for candidate in Candidate.objects.prefetch_related("nominations"):
        stored = (candidate.stage, candidate.name_key, candidate.sort_key)
        with transaction.atomic():
            candidate_stage_refresh(candidate)
            candidate.tidy()
            transaction.set_rollback(True)
        assert stored == (candidate.stage, candidate.name_key, candidate.sort_key)
        passed = [n for n in candidate.nominations.all() if n.result == Result.PASSED]
        expected = (
            (passed[0].certificate_number, passed[0].certificate_date) if passed else ("", None)
        )
        assert (candidate.certificate_number, candidate.certificate_date) == expected
    assert "Checked 100 candidates against the services." in province


def test_every_year_has_its_plan_classes_and_lists(province):
    years = list(range(today().year - YEARS + 1, today().year + 1))
    assert sorted(Plan.objects.values_list("year", flat=True)) == years
    for plan in Plan.objects.prefetch_related("rounds", "targets__values"):
        assert [r.number for r in plan.rounds.all()] == [1, 2]
        targets = list(plan.targets.all())
        assert sum(t.in_annex for t in targets) == 1
        assert any(t.is_share for t in targets) and any(t.each_kind_id for t in targets)
        assert all(t.values.exists() or t.each_kind_id for t in targets)
        classes = TrainingClass.objects.filter(plan=plan)
        assert {c.round.number for c in classes} == {1, 2}
        assert {c.audience for c in classes} == {"students", "workers"}
        for cls in classes.prefetch_related("sessions", "lists"):
            assert len(cls.sessions.all()) == 3 and cls.lists.exists()
    nominations = Nomination.objects.all()
    assert nominations.filter(status=NominationStatus.RETURNED).exclude(reason="").exists()
    passed = nominations.filter(result=Result.PASSED)
    assert passed.exists() and not passed.filter(certificate_number="").exists()
    # Times written without the ORM come back as written (SQLite keeps them in UTC).
    submitted = NomineeList.objects.exclude(submitted_at=None).first().submitted_at
    assert timezone.localtime(submitted).time() == time(9, 0)
    first = min(years)
    assert HistoricalTotal.objects.filter(dated=date(first - 1, 12, 31)).exists()


@pytest.mark.parametrize(
    "url",
    [
        "home",
        "dashboard",
        "candidates:candidate_list",
        "training:class_list",
        "quotas:plan_list",
    ],
)
def test_main_pages_render_with_the_data(province, client, url):
    for username in ("tinh.bantochuc", _a_secretary(province)):
        client.force_login(get_user_model().objects.get(username=username))
        response = client.get(reverse(url), follow=True)
        assert response.status_code == 200


def _a_secretary(output: str) -> str:
    return next(
        line.split()[0] for line in output.splitlines() if line.strip().startswith("bithu.")
    )


def test_refuses_a_database_with_data(province):
    with pytest.raises(CommandError, match="--flush"):
        call_command("seed_scale", "--units", "20", "--candidates", "10", stdout=StringIO())
    assert Unit.objects.count() == UNITS
