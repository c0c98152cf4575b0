"""The demo's mentors (đảng viên giúp đỡ) and their comments, planned from each person's
steps and recorded through the services (fixtures/demo_candidates.json, "mentors").

A candidate's mentor is assigned one to four weeks after the certificate (294-QĐ/TW 3.4.1)
and stops at the ceremony, where the cell assigns one to help the probationary member
(06-HD/TW 3.8c), who writes the assessment at the end of probation (06-HD/TW 4.3) and stops
at the recognition. Comments come about every quarter (the app's practice, not a rule) up
to the day the demo is loaded. A person who moves gets a mentor at the new unit (294-QĐ/TW
3.2.2). Each person's plan has its own random generator seeded by who they are, so it is
the same on every run, and a run a season later only adds the comments of the new days."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from candidates.choices import MentorPhase, Stage
from candidates.models import Candidate, Mentor
from candidates.pipeline import MENTOR_PHASES
from candidates.rules import add_months
from candidates.services import mentor_comment_add, mentor_end, mentor_save

from .people import demo_person
from .story import cell_name

QUARTER = (70, 88)  # days between two comments: under 3 months, so none is flagged


@dataclass
class MentorPlan:
    name: str
    unit_name: str
    phase: str
    assigned_on: date
    ended_on: date | None = None
    comments: list[tuple[date, str]] = field(default_factory=list)


class MentorStory:
    """Plans the mentors of one person from the dates of their steps (reads only)."""

    def __init__(self, data: dict, *, today: date, roads=()):
        self.data = data
        self.spec = data["mentors"]
        self.texts = self.spec["comments"]
        self.today = today
        self.seed = data["seed"]
        # The full members of each unit who may help: the introducers the story invents
        # there (teachers, colleagues), then made-up members; the same on every run.
        self.members: dict[str, list[str]] = {}
        for road in roads:
            for introducer in road.introducers:
                self.members.setdefault(road.unit.code, []).append(introducer["name"])

    def rng(self, candidate: Candidate) -> random.Random:
        who = candidate.citizen_id or f"{candidate.full_name} {candidate.date_of_birth}"
        return random.Random(f"{self.seed}/mentors/{who}")

    def names(self, unit, rng: random.Random, preferred: list[str]) -> list[str]:
        """Full members of ``unit`` who may help: the person's introducers first, then the
        unit's other members in a random order."""
        pool = sorted(set(self.members.get(unit.code, ())))
        made_up = random.Random(f"{self.seed}/members/{unit.code}")
        while len(pool) < 3:
            person = demo_person(
                made_up, born_from=date(1970, 1, 1), born_to=date(1994, 12, 31), serial=0
            )
            pool.append(f"{person['family_name']} {person['given_name']}")
        return [*preferred, *rng.sample(pool, len(pool))]

    def _comments(
        self, rng: random.Random, start: date, stop: date, texts: list[str]
    ) -> list[tuple[date, str]]:
        """A comment about every quarter after ``start``, before ``stop`` and not after
        today."""
        comments = []
        day = start + timedelta(days=rng.randint(*QUARTER))
        while day < stop and day <= self.today:
            comments.append((day, rng.choice(texts)))
            day += timedelta(days=rng.randint(*QUARTER))
        return comments

    def plan(
        self,
        candidate: Candidate,
        steps: dict[str, date],
        *,
        quirk: str = "",
        introducers: list[str] = (),
        moved_from=None,
    ) -> list[MentorPlan]:
        """The mentors of ``candidate`` whose steps are ``steps`` (stage → first date);
        ``quirk`` is "none", "silent" or "replaced"; ``moved_from`` the unit they left."""
        certified = steps.get(Stage.CERTIFIED)
        if certified is None or quirk == "none":
            return []
        rng = self.rng(candidate)
        unit = candidate.unit
        cell = cell_name(unit)
        names = self.names(unit, rng, list(introducers))
        ceremony = steps.get(Stage.CEREMONY)
        ended = ceremony or steps.get(Stage.WITHDRAWN) or steps.get(Stage.NOT_APPROVED)
        stop = ended or self.today + timedelta(days=1)
        assigned = min(certified + timedelta(days=rng.randint(7, 28)), stop, self.today)
        plans = []
        first_cell = cell
        moved_on = steps.get(Stage.TRANSFERRED_OUT)
        if moved_from is not None and moved_on is not None:
            first_cell = cell_name(moved_from)
            names = [*self.names(moved_from, rng, []), *names]
        first = MentorPlan(names[0], first_cell, MentorPhase.CANDIDATE, assigned, ended)
        plans.append(first)
        changes = []
        if moved_on is not None and moved_from is not None:
            # a mentor at the new unit (294-QĐ/TW 3.2.2)
            changes.append((moved_on, names[-1], cell, self.texts["transferred"]))
        elif quirk == "replaced":  # the mentor moved (06-HD/TW 3.10)
            day = assigned + timedelta(days=rng.randint(200, 300))
            changes.append((day, names[1], first_cell, self.texts["moved"]))
        texts = self.texts["candidate"]
        for on, name, at, why in changes:
            if on > self.today or (ended and on >= ended):
                continue
            first.comments = self._comments(rng, first.assigned_on, on, texts)
            first.comments.append((on, why))
            first.ended_on = on
            first = MentorPlan(name, at, MentorPhase.CANDIDATE, on, ended)
            plans.append(first)
        silent_from = self.today - timedelta(days=rng.randint(170, 200))
        first.comments = self._comments(
            rng, first.assigned_on, min(stop, silent_from) if quirk == "silent" else stop, texts
        )
        if ceremony is not None and ceremony <= self.today:
            plans.append(self._probation(candidate, steps, ceremony, rng, names, cell))
        return plans

    def _probation(self, candidate, steps, ceremony, rng, names, cell) -> MentorPlan:
        """The mentor assigned at the ceremony: a comment every quarter and, when the 12
        months end, the written assessment before the cell considers recognition."""
        recognised = steps.get(Stage.FULL_MEMBER)
        refused = steps.get(Stage.NOT_RECOGNISED)
        reviewed = recognised or refused
        name = names[0] if rng.random() < 0.7 else names[1]
        mentor = MentorPlan(name, cell, MentorPhase.PROBATIONARY, ceremony, reviewed)
        ends = add_months(ceremony, 12)
        mentor.comments = self._comments(rng, ceremony, ends, self.texts["probationary"])
        if reviewed is not None or ends <= self.today:
            text = self.texts["assessment_not_recognised" if refused else "assessment"]
            mentor.comments.append((min(ends, reviewed or ends), text))
        return mentor


def _record(candidate: Candidate, plans: list[MentorPlan], actor, today: date) -> bool:
    """Record the planned mentors and comments not on file yet; True when anything was."""
    moved = False
    have = {(m.name, m.phase, m.assigned_on): m for m in candidate.mentors.all()}
    for plan in plans:
        mentor = have.get((plan.name, plan.phase, plan.assigned_on))
        if mentor is None:
            mentor = mentor_save(
                actor=actor,
                mentor=Mentor(
                    candidate=candidate,
                    name=plan.name,
                    unit_name=plan.unit_name,
                    phase=plan.phase,
                    assigned_on=plan.assigned_on,
                ),
                today=today,
            )
            moved = True
        dated = set(mentor.comments.values_list("dated", flat=True))
        for day, text in plan.comments:
            if day not in dated:
                mentor_comment_add(actor=actor, mentor=mentor, dated=day, text=text, today=today)
                moved = True
        if plan.ended_on is not None and mentor.ended_on is None and plan.ended_on <= today:
            mentor_end(actor=actor, mentor=mentor, ended_on=plan.ended_on, today=today)
            moved = True
    return moved


def _steps_on_file(candidate: Candidate) -> dict[str, date]:
    steps: dict[str, date] = {}
    for stage, dated in candidate.events.order_by("dated", "pk").values_list("stage", "dated"):
        steps.setdefault(stage, dated)
    return steps


def demo_mentors_road(story: MentorStory, road, candidate: Candidate, actor) -> bool:
    """The mentors of one road of the story: its steps on file and those still to come
    (recognition needs the assessment on file, so this runs before the steps are played,
    except for a person who moves, whose mentors are recorded at the new unit after it)."""
    steps = _steps_on_file(candidate)
    for step in road.steps:
        steps.setdefault(step.stage, step.dated)
    moved_from = road.unit if candidate.unit_id != road.unit.pk else None
    plans = story.plan(
        candidate,
        steps,
        introducers=[i["name"] for i in road.introducers],
        moved_from=moved_from,
    )
    return _record(candidate, plans, actor(candidate.unit), story.today)


def demo_mentors_rest(story: MentorStory, done: set[int], actor, *, board) -> int:
    """Everyone else on the road in the demo's units (those its ``board`` user sees: the
    classes' people left at "certified"); the first at each unit the data names has no
    mentor, a silent one or one replaced. The other demo's people are left alone."""
    from units.selectors import unit_list

    quirks = {code: quirk for quirk in ("none", "silent", "replaced") for code in story.spec[quirk]}
    moved = 0
    people = (
        Candidate.objects.filter(stage__in=list(MENTOR_PHASES), unit__in=unit_list(user=board))
        .exclude(pk__in=done)
        .select_related("unit")
        .order_by("unit__path", "date_of_birth", "pk")
    )
    for candidate in people:
        quirk = quirks.pop(candidate.unit.code, "") if candidate.stage == Stage.CERTIFIED else ""
        plans = story.plan(candidate, _steps_on_file(candidate), quirk=quirk)
        moved += _record(candidate, plans, actor(candidate.unit), story.today)
    return moved
