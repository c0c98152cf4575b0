"""The demo's year of candidates for Plan 145/KH-HU as roads (reads only): dates, people and
the file; the schools and the enterprises are told in ``story_schools`` and
``story_enterprises``."""

import random
from datetime import date, timedelta

from candidates.choices import Category, DocumentKind, Stage, UnionResolution
from candidates.rules import add_months
from candidates.workdays import calendar_load
from units.models import Unit

from .people import demo_person
from .roads import MINORITIES, SCHOOL_GRADE_12, WORKER_EDUCATION, Road, Step, votes
from .story_commune import CommuneStories
from .story_enterprises import EnterpriseStories
from .story_schools import SchoolStories


def cell_name(unit: Unit) -> str:
    """ "Chi bộ Trường THPT …" for a school or a company; a village cell is named so already."""
    return unit.name if unit.name.startswith("Chi bộ") else f"Chi bộ {unit.name}"


class Story(SchoolStories, EnterpriseStories, CommuneStories):
    """Builds every road of the story from the data file and a fixed seed (reads only)."""

    def __init__(self, data: dict):
        self.data = data
        self.rng = random.Random(data["seed"])
        self.calendar = calendar_load()
        self.serial = data["serial_from"]
        self.units = {u.code: u for u in Unit.objects.select_related("kind")}
        self.roads: list[Road] = []
        self.certificate_seq: dict[str, int] = {}
        self.notes = data["notes"]

    # dates ----------------------------------------------------------------------------

    def workday(self, day: date) -> date:
        """``day`` or the first working day after it."""
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        return day

    def workday_before(self, day: date) -> date:
        while not self.calendar.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def after(self, day: date, lo: int, hi: int) -> date:
        return self.workday(day + timedelta(days=self.rng.randint(lo, hi)))

    # people ---------------------------------------------------------------------------

    def _person(self, born_from: date, born_to: date) -> dict:
        self.serial += 1
        person = demo_person(self.rng, born_from=born_from, born_to=born_to, serial=self.serial)
        if self.rng.random() < 0.05:
            person["ethnicity"] = self.rng.choice(MINORITIES)
        return person

    def student(self, *, born_from: date, born_to: date, graduation: int) -> dict:
        person = self._person(born_from, born_to)
        person.update(
            category=Category.STUDENT,
            school_class=self.rng.choice(SCHOOL_GRADE_12),
            graduation_year=graduation,
            youth_union_member=True,
        )
        return person

    def worker(self, unit: Unit) -> dict:
        person = self._person(date(1986, 1, 1), date(2003, 6, 30))
        youth = person["date_of_birth"].year >= 1994
        union = UnionResolution.TRADE_UNION if self.rng.random() < 0.6 else UnionResolution.NONE
        person.update(
            category=Category.WORKER,
            education=self.rng.choice(WORKER_EDUCATION),
            youth_union_member=youth and self.rng.random() < 0.6,
            trade_union_member=unit.has_trade_union,
            union_resolution=union,
        )
        return person

    def member_name(self) -> str:
        """A party member's name (a teacher or a colleague who introduces someone)."""
        person = demo_person(
            self.rng, born_from=date(1968, 1, 1), born_to=date(1994, 12, 31), serial=0
        )
        return f"{person['family_name']} {person['given_name']}"

    def earlier_certificate(self, audience: str) -> tuple[str, date]:
        """A certificate of the 2023 class before the app, numbered in the class's order."""
        spec = self.data["earlier_classes"][audience]
        seq = self.certificate_seq.get(audience, 0) + self.rng.randint(1, 3)
        self.certificate_seq[audience] = seq
        return f"{spec['prefix']}{seq:03d}", date.fromisoformat(spec["dated"])

    # the file ---------------------------------------------------------------------------

    def file(
        self, road: Road, *, start: date, introducers: list[tuple[str, date]], union: tuple
    ) -> date:
        """The papers of the file from ``start``; ``union`` is (date, number) of the union's
        resolution or (). Returns the day the background counts as verified."""
        a = self.after
        docs = [
            (DocumentKind.APPLICATION, start, ""),
            (DocumentKind.BACKGROUND, a(start, 1, 3), ""),
            (DocumentKind.INTRODUCTION, a(start, 2, 6), ""),
            (DocumentKind.OPINIONS, a(start, 5, 10), ""),
            (DocumentKind.VERIFICATION, a(start, 8, 16), ""),
        ]
        if union:
            docs.append((DocumentKind.UNION_RESOLUTION, union[0], union[1]))
        road.documents = docs
        road.introducers = [
            {"name": name, "full_member": True, "unit_name": cell_name(road.unit), "since": s}
            for name, s in introducers
        ]
        road.steps.append(Step(Stage.FILE_PREPARATION, start))
        verified = self.after(max(d for _k, d, _n in docs), 1, 3)
        road.steps.append(Step(Stage.BACKGROUND_VERIFIED, verified))
        return verified

    def admitted(
        self,
        road: Road,
        *,
        resolution: date,
        members: int,
        committee: date | None,
        decision: date,
        ceremony: date,
        not_recognised: str = "",
        ceremony_note: str = "",
        recognise: bool = True,
    ) -> None:
        """Cell resolution, (committee resolution,) decision, ceremony and, with
        ``recognise``, the recognition (or not) 12 months after the ceremony."""
        self.resolved(road, resolution=resolution, members=members, committee=committee)
        road.steps.append(Step(Stage.ADMISSION_DECISION, decision, by="board"))
        road.steps.append(Step(Stage.CEREMONY, ceremony, note=ceremony_note))
        if not recognise:
            return
        review = self.after(add_months(ceremony, 12), 1, 20)
        if not_recognised:
            road.steps.append(Step(Stage.NOT_RECOGNISED, review, by="board", note=not_recognised))
        else:
            road.steps.append(Step(Stage.FULL_MEMBER, review, by="board"))

    def resolved(
        self, road: Road, *, resolution: date, members: int, committee: date | None
    ) -> None:
        road.steps.append(
            Step(
                Stage.CELL_RESOLUTION,
                resolution,
                votes=votes(self.rng, members),
                members=members,
            )
        )
        if committee is not None:
            road.steps.append(Step(Stage.COMMITTEE_RESOLUTION, committee, by="committee"))
