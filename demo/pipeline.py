"""A demo's year of candidates played through the services, each step on its own day: Plan
145/KH-HU's 2024 (fixtures/README.md, "Candidates (generated)") and the commune's 2026
("The commune after the reform")."""

import json
import logging
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from candidates.choices import FINAL, Stage
from candidates.models import Candidate, Introducer
from candidates.pipeline import stage_next
from candidates.services import (
    StepRefused,
    candidate_certify,
    candidate_save,
    candidate_transfer,
    document_set,
    introducer_save,
    step_record,
)
from units.choices import Role
from units.models import RoleAssignment, Unit

from .mentors import MentorStory, demo_mentors_rest, demo_mentors_road
from .roads import BEFORE_RESOLUTION, DEMO_CANDIDATES_FILE, Road, Step
from .story import Story

logger = logging.getLogger(__name__)


class _Actors:
    """Who records what: the unit's secretary (or the committee above it, or the Board);
    committee resolutions by the committee's staff; decisions by the Board user the data
    file names (``bantochuc``; the commune's ``banxaydung``)."""

    def __init__(self, board: str = "bantochuc"):
        assignments = list(RoleAssignment.objects.select_related("user", "unit"))
        boards = [ra.user for ra in assignments if ra.role == Role.BOARD]
        self.board = next((u for u in boards if u.username == board), None)
        self.secretaries = {ra.unit_id: ra.user for ra in assignments if ra.role == Role.SECRETARY}
        self.committees = {ra.unit_id: ra.user for ra in assignments if ra.role == Role.COMMITTEE}
        self._parents: dict[int, int | None] = {}

    def _parent_id(self, unit: Unit) -> int | None:
        if unit.pk not in self._parents:
            parent = Unit.objects.get_parent(unit)
            self._parents[unit.pk] = parent.pk if parent else None
        return self._parents[unit.pk]

    def editor(self, unit: Unit):
        return (
            self.secretaries.get(unit.pk)
            or self.committees.get(self._parent_id(unit))
            or self.board
        )

    def committee(self, unit: Unit):
        return self.committees.get(self._parent_id(unit)) or self.board

    def of(self, step: Step, unit: Unit):
        return {"board": self.board, "committee": self.committee(unit)}.get(step.by) or (
            self.editor(unit)
        )


def _find(road: Road) -> Candidate | None:
    if road.existing is not None:
        return road.existing
    person = road.person
    if person.get("citizen_id"):
        return Candidate.objects.filter(citizen_id=person["citizen_id"]).first()
    return Candidate.objects.filter(
        unit=road.unit,
        citizen_id__isnull=True,
        family_name=person["family_name"],
        given_name=person["given_name"],
        date_of_birth=person["date_of_birth"],
    ).first()


def _person(road: Road, actors: _Actors) -> tuple[Candidate, bool]:
    """The road's candidate, created when missing and given the fields set before the file."""
    moved = False
    candidate = _find(road)
    if candidate is None:
        candidate = candidate_save(
            actor=actors.editor(road.unit), candidate=Candidate(unit=road.unit, **road.person)
        )
        moved = True
    if road.fields and candidate.stage in BEFORE_RESOLUTION:
        changed = {k: v for k, v in road.fields.items() if getattr(candidate, k) != v}
        if changed:
            for name, value in changed.items():
                setattr(candidate, name, value)
            candidate_save(actor=actors.editor(candidate.unit), candidate=candidate)
            moved = True
    return candidate, moved


def _papers(road: Road, candidate: Candidate, actors: _Actors) -> bool:
    """The file's documents and introducers that are not on file yet."""
    moved = False
    editor = actors.editor(candidate.unit)
    have = set(candidate.documents.values_list("kind", flat=True)) if road.documents else set()
    for kind, dated, number in road.documents:
        if kind not in have:
            document_set(actor=editor, candidate=candidate, kind=kind, dated=dated, number=number)
            moved = True
    known = set(candidate.introducers.values_list("name", flat=True)) if road.introducers else ()
    for spec in road.introducers:
        if spec["name"] not in known:
            introducer_save(actor=editor, introducer=Introducer(candidate=candidate, **spec))
            moved = True
    return moved


def _transfer(road: Road, step: Step, candidate: Candidate, actors: _Actors) -> None:
    candidate_transfer(
        actor=actors.of(step, candidate.unit),
        candidate=candidate,
        to_unit=step.to_unit,
        dated=step.dated,
        document_number=step.number,
        note=step.note,
        today=step.dated,
    )
    for name, value in road.after_transfer.items():
        setattr(candidate, name, value)
    if road.after_transfer:
        candidate_save(actor=actors.editor(candidate.unit), candidate=candidate)


def _step(step: Step, candidate: Candidate, actors: _Actors) -> bool:
    """Record one step; False when the rules refuse it (changed by hand since)."""
    try:
        step_record(
            actor=actors.of(step, candidate.unit),
            candidate=candidate,
            stage=step.stage,
            dated=step.dated,
            document_number=step.number,
            note=step.note,
            votes_for=step.votes,
            full_members=step.members,
            today=step.dated,
        )
    except StepRefused as refused:
        logger.warning(
            "demo: %s at %s, %s %s refused: %s",
            candidate,
            candidate.unit.code,
            step.stage,
            step.dated,
            refused,
        )
        return False
    return True


def _steps(road: Road, candidate: Candidate, done: set, actors: _Actors) -> bool:
    """The road's steps not yet recorded, in order, until one no longer fits."""
    moved = False
    for step in road.steps:
        if step.stage in done:
            continue
        if step.stage == Stage.TRANSFERRED_OUT:
            if candidate.stage in FINAL:
                break
            _transfer(road, step, candidate, actors)
            moved = True
            continue
        if step.stage not in stage_next(candidate, decides=True):
            break  # changed by hand since: leave the rest of the road alone
        if not _step(step, candidate, actors):
            break
        moved = True
    return moved


def _play(road: Road, actors: _Actors, mentors: MentorStory) -> tuple[Candidate, bool]:
    """Record what is missing of one road; True when anything was recorded."""
    candidate, moved = _person(road, actors)
    done = set(candidate.events.values_list("stage", flat=True))
    if road.certificate and Stage.CERTIFIED not in done and candidate.stage == Stage.IDENTIFIED:
        number, dated = road.certificate
        candidate_certify(
            actor=actors.board, candidate=candidate, number=number, dated=dated, today=dated
        )
        moved = True
    moved |= _papers(road, candidate, actors)
    moves = any(step.stage == Stage.TRANSFERRED_OUT for step in road.steps)
    if not moves:  # recognition needs the mentor's assessment on file
        moved |= demo_mentors_road(mentors, road, candidate, actors.editor)
    moved |= _steps(road, candidate, done, actors)
    if moves:  # the person's mentors are kept at the new unit
        moved |= demo_mentors_road(mentors, road, candidate, actors.editor)
    return candidate, moved


def demo_story(path: Path = DEMO_CANDIDATES_FILE) -> list[Road]:
    """Every road of the story (reads only; the same every time): the district's schools
    and enterprises, or the commune's cells, as the data file has them."""
    data = json.loads(path.read_text(encoding="utf-8"))
    story = Story(data)
    for chapter in CHAPTERS:
        if chapter in data:
            getattr(story, chapter)()
    story.number()
    return story.roads


CHAPTERS = ("schools", "enterprises", "cells")


@transaction.atomic
def demo_pipeline_load(path: Path = DEMO_CANDIDATES_FILE) -> int:
    """Play a demo's year of candidates through the services, each step on its own day;
    returns how many candidates got anything new (0 on a second run).

    Needs the demo's tree and its classes (``demo_classes_load``); without the units the
    story names or its Board user it does nothing."""
    data = json.loads(path.read_text(encoding="utf-8"))
    codes = {s["unit"] for chapter in CHAPTERS for s in data.get(chapter, ())}
    actors = _Actors(board=data.get("board", "bantochuc"))
    if actors.board is None or Unit.objects.filter(code__in=codes).count() < len(codes):
        return 0
    today = timezone.localdate()
    roads = demo_story(path)
    mentors = MentorStory(data, today=today, roads=roads)
    moved = 0
    played: set[int] = set()
    for road in roads:
        road.steps = [s for s in road.steps if s.dated <= today]
        candidate, changed = _play(road, actors, mentors)
        played.add(candidate.pk)
        moved += changed
    return moved + demo_mentors_rest(mentors, played, actors.editor, board=actors.board)
