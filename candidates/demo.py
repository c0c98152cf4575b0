"""Generated demo people with Vietnamese names and valid citizen IDs (deterministic), and
the demo's year of candidates for Plan 145/KH-HU (``demo_pipeline_load``): the story of
fixtures/demo_candidates.json played through the services, each step on its own day
(fixtures/README.md, "Candidates (generated)")."""

import json
import logging
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from units.choices import Role
from units.models import RoleAssignment, Unit

from .choices import FINAL, Category, DocumentKind, Sex, Stage, UnionResolution
from .models import Candidate, Introducer
from .pipeline import due_after, stage_next
from .rules import add_months, adult_by, ruleset_on
from .services import (
    StepRefused,
    candidate_certify,
    candidate_save,
    candidate_transfer,
    document_set,
    introducer_save,
    step_record,
)
from .workdays import calendar_load

FAMILY = (
    "Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Vũ Đỗ Ngô Dương Bùi Đặng Đào Hà "
    "Lương Thân Giáp Nghiêm Tạ Chu Phùng"
).split()
MIDDLE_MALE = "Văn Văn Đức Minh Quang Hữu Thành Tiến Xuân Đình Công Anh".split()
MIDDLE_FEMALE = "Thị Thị Thị Thu Ngọc Thanh Phương Minh Hồng Khánh Bảo".split()
GIVEN_MALE = (
    "An Anh Bình Cường Dũng Duy Đạt Đức Giang Hải Hiếu Hoàng Hùng Huy Khánh Khoa Kiên Long "
    "Lộc Mạnh Minh Nam Nghĩa Phong Phúc Quân Quang Sơn Thắng Thành Trung Tuấn Tùng Việt Vinh"
).split()
GIVEN_FEMALE = (
    "An Anh Ánh Chi Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Huệ Huyền Hương Lan Linh Ly Mai "
    "My Nga Ngân Ngọc Nhung Oanh Phương Quỳnh Tâm Thảo Thủy Trang Uyên Vân Vy Yến"
).split()
PROVINCE = "024"  # Bắc Giang, the province of Hiệp Hòa


def demo_person(
    rng: random.Random, *, born_from: date, born_to: date, serial: int, female_share=0.55
) -> dict:
    """One person: names, date of birth, sex and a citizen ID consistent with them."""
    female = rng.random() < female_share
    family = rng.choice(FAMILY)
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    if rng.random() < 0.15:  # two-syllable given names are common
        given = f"{rng.choice(MIDDLE_FEMALE[3:] if female else MIDDLE_MALE[2:])} {given}"
    span = (born_to - born_from).days
    born = born_from + timedelta(days=rng.randrange(span + 1))
    century = (born.year - 1900) // 100
    sex_digit = 2 * century + (1 if female else 0)
    citizen_id = f"{PROVINCE}{sex_digit}{born.year % 100:02d}{serial % 1_000_000:06d}"
    return {
        "family_name": f"{family} {middle}",
        "given_name": given,
        "date_of_birth": born,
        "sex": Sex.FEMALE if female else Sex.MALE,
        "citizen_id": citizen_id,
        "phone": f"09{rng.randrange(10**8):08d}",
    }


# --- the demo's year of candidates (fixtures/demo_candidates.json) -----------------------

logger = logging.getLogger(__name__)

DEMO_CANDIDATES_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_candidates.json"
SCHOOL_GRADE_12 = ("12A1", "12A2", "12A3", "12A4", "12A5", "12A6")
WORKER_EDUCATION = ("12/12", "12/12", "12/12", "Trung cấp", "Cao đẳng", "Đại học")
MINORITIES = ("Nùng", "Tày", "Sán Dìu", "Sán Chay")
FIRST_DECISION = 1012  # the Board's first admission decision of the story ("1012-QĐ/HU")
BEFORE_RESOLUTION = frozenset(
    {
        Stage.IDENTIFIED,
        Stage.NOMINATED,
        Stage.CERTIFIED,
        Stage.FILE_PREPARATION,
        Stage.BACKGROUND_VERIFIED,
    }
)


@dataclass
class _Step:
    """One step of a person's road; ``by`` says who records it: the unit's own editor
    (secretary, else the committee above, else the Board), the committee or the Board."""

    stage: str
    dated: date
    by: str = "unit"
    number: str = ""
    votes: int | None = None
    members: int | None = None
    note: str = ""
    to_unit: Unit | None = None


@dataclass
class _Road:
    """One person's year: who they are (a person to create, or someone from the 2024
    classes), their file and their steps."""

    unit: Unit
    existing: Candidate | None = None
    person: dict | None = None
    fields: dict = field(default_factory=dict)  # set before the file (e.g. union resolution)
    certificate: tuple[str, date] | None = None  # from a class before the app
    documents: list[tuple[str, date, str]] = field(default_factory=list)
    introducers: list[dict] = field(default_factory=list)
    steps: list[_Step] = field(default_factory=list)
    after_transfer: dict = field(default_factory=dict)


def _votes(rng: random.Random, members: int) -> int:
    """Votes in favour: most of the cell, never below 2/3 of all its full members."""
    needed = -(-2 * members // 3)
    return max(needed, members - rng.choice((0, 0, 1, 1, 2, 3)))


class _Story:
    """Builds every road of the story from the data file and a fixed seed (reads only)."""

    def __init__(self, data: dict):
        self.data = data
        self.rng = random.Random(data["seed"])
        self.calendar = calendar_load()
        self.serial = data["serial_from"]
        self.units = {u.code: u for u in Unit.objects.select_related("kind")}
        self.roads: list[_Road] = []
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
        self, road: _Road, *, start: date, introducers: list[tuple[str, date]], union: tuple
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
            {"name": name, "full_member": True, "unit_name": f"Chi bộ {road.unit.name}", "since": s}
            for name, s in introducers
        ]
        road.steps.append(_Step(Stage.FILE_PREPARATION, start))
        verified = self.after(max(d for _k, d, _n in docs), 1, 3)
        road.steps.append(_Step(Stage.BACKGROUND_VERIFIED, verified))
        return verified

    def admitted(
        self,
        road: _Road,
        *,
        resolution: date,
        members: int,
        committee: date | None,
        decision: date,
        ceremony: date,
        not_recognised: str = "",
        ceremony_note: str = "",
    ) -> None:
        """Cell resolution, (committee resolution,) decision, ceremony and the recognition
        (or not) 12 months after the ceremony."""
        self.resolved(road, resolution=resolution, members=members, committee=committee)
        road.steps.append(_Step(Stage.ADMISSION_DECISION, decision, by="board"))
        road.steps.append(_Step(Stage.CEREMONY, ceremony, note=ceremony_note))
        review = self.after(add_months(ceremony, 12), 1, 20)
        if not_recognised:
            road.steps.append(_Step(Stage.NOT_RECOGNISED, review, by="board", note=not_recognised))
        else:
            road.steps.append(_Step(Stage.FULL_MEMBER, review, by="board"))

    def resolved(
        self, road: _Road, *, resolution: date, members: int, committee: date | None
    ) -> None:
        road.steps.append(
            _Step(
                Stage.CELL_RESOLUTION,
                resolution,
                votes=_votes(self.rng, members),
                members=members,
            )
        )
        if committee is not None:
            road.steps.append(_Step(Stage.COMMITTEE_RESOLUTION, committee, by="committee"))

    # schools ----------------------------------------------------------------------------

    def schools(self) -> None:
        for spec in self.data["schools"]:
            unit = self.units[spec["unit"]]
            teachers = [
                (self.member_name(), self.rng.choice((date(2021, 9, 6), date(2022, 9, 5))))
                for _ in range(4)
            ]
            cohort = self.school_by_19_may(unit, spec, teachers)
            self.school_later(unit, spec, teachers)
            self.school_edge_cases(unit, spec, cohort)

    def school_by_19_may(self, unit: Unit, spec: dict, teachers) -> list[_Road]:
        """12th-graders certified in October 2023, admitted for 19/5/2024."""
        start = self.after(date(2024, 2, 19), 0, 10)
        union = (self.after(start, 6, 9), f"{self.rng.randint(3, 12):02d}-NQ/ĐTN")
        batches = (self.after(date(2024, 3, 18), 0, 9), self.after(date(2024, 4, 8), 0, 9))
        decisions = (
            self.after(batches[0], 18, 28),
            self.workday_before(min(batches[1] + timedelta(self.rng.randint(14, 24)), _MAY_17)),
        )
        members = spec["cell_members"]
        cohort = []
        for i in range(spec["by_19_may"]):
            road = _Road(unit=unit)
            road.person = self.student(
                born_from=date(2005, 10, 1), born_to=date(2006, 3, 31), graduation=2024
            )
            road.person["union_resolution"] = UnionResolution.YOUTH_UNION
            road.certificate = self.earlier_certificate("students")
            verified = self.file(
                road,
                start=self.after(start, 0, 4),
                introducers=[self.rng.choice(teachers)],
                union=union,
            )
            adult = adult_by(born=road.person["date_of_birth"], rules=ruleset_on(batches[0]))
            first = verified < batches[0] and adult <= batches[0] and self.rng.random() < 0.65
            batch = 0 if first else 1
            decision = decisions[batch]
            ceremony = self.after(decision, 7, 12)
            note = ""
            due = due_after(stage=Stage.ADMISSION_DECISION, since=decision, today=decision)
            if decision <= date(2024, 5, 14) and due.deadline.due >= _MAY_19:
                ceremony, note = _MAY_19, self.notes["ceremony_19_may"]
            last = i == spec["by_19_may"] - 1
            self.admitted(
                road,
                resolution=batches[batch],
                members=members,
                committee=None,
                decision=decision,
                ceremony=ceremony,
                ceremony_note=note,
                not_recognised=self.notes["not_recognised_student"]
                if last and spec.get("not_recognised")
                else "",
            )
            self.roads.append(road)
            cohort.append(road)
        return cohort

    def school_later(self, unit: Unit, spec: dict, teachers) -> None:
        """Certified in April 2024, 18 by the autumn: resolutions and decisions Oct–Dec."""
        start = self.after(date(2024, 9, 9), 0, 11)
        union = (self.after(start, 6, 9), f"{self.rng.randint(2, 8):02d}-NQ/ĐTN")
        batch = self.after(date(2024, 10, 21), 0, 18)
        decision = self.workday_before(
            min(batch + timedelta(self.rng.randint(21, 40)), date(2024, 12, 27))
        )
        overdue_on = self.after(date(2024, 12, 9), 0, 3)
        wanted = [batch] * spec.get("later", 0) + [overdue_on] * spec.get("overdue", 0)
        pool = _class_pool(unit, "HS1/2024-", graduation_year=2025)
        taken: set[int] = set()
        intro_since = date(2022, 9, 5)
        for resolution in wanted:
            road = _Road(unit=unit)
            found = next(
                (
                    c
                    for c in pool
                    if c.pk not in taken
                    and adult_by(born=c.date_of_birth, rules=ruleset_on(resolution)) <= resolution
                ),
                None,
            )
            if found is not None:
                taken.add(found.pk)
                road.existing = found
                road.fields = {
                    "union_resolution": UnionResolution.YOUTH_UNION,
                    "school_class": found.school_class.replace("11A", "12A", 1),  # new year
                }
            else:  # too few from the class: one of the October 2023 class, then in grade 11
                road.person = self.student(
                    born_from=date(2006, 1, 5), born_to=date(2006, 6, 30), graduation=2025
                )
                road.person["union_resolution"] = UnionResolution.YOUTH_UNION
                road.certificate = self.earlier_certificate("students")
            teacher = (self.rng.choice(teachers)[0], intro_since)
            self.file(road, start=self.after(start, 0, 4), introducers=[teacher], union=union)
            if resolution == overdue_on:
                self.resolved(
                    road, resolution=resolution, members=spec["cell_members"], committee=None
                )
            else:
                self.admitted(
                    road,
                    resolution=resolution,
                    members=spec["cell_members"],
                    committee=None,
                    decision=decision,
                    ceremony=self.after(decision, 7, 14),
                )
            self.roads.append(road)

    def school_edge_cases(self, unit: Unit, spec: dict, cohort: list[_Road]) -> None:
        a = self.after
        for _ in range(spec.get("underage", 0)):  # graduates in 2024, 18 only in the summer
            road = _Road(unit=unit)
            road.person = self.student(
                born_from=date(2006, 6, 5), born_to=date(2006, 9, 30), graduation=2024
            )
            road.certificate = self.earlier_certificate("students")
            self.roads.append(road)
        for _ in range(spec.get("underage_planned", 0)):  # the cell plans November 2024
            road = _Road(unit=unit)
            road.person = self.student(
                born_from=date(2007, 1, 10), born_to=date(2007, 3, 31), graduation=2025
            )
            road.person["planned_resolution_on"] = date(2024, 11, 15)
            road.certificate = self.earlier_certificate("students")
            self.roads.append(road)
        for _ in range(spec.get("withdrawn", 0)):
            road = _Road(unit=unit)
            road.person = self.student(
                born_from=date(2005, 11, 1), born_to=date(2006, 3, 31), graduation=2024
            )
            road.certificate = self.earlier_certificate("students")
            start = a(date(2024, 2, 19), 0, 8)
            road.documents = [
                (DocumentKind.APPLICATION, start, ""),
                (DocumentKind.BACKGROUND, a(start, 1, 3), ""),
            ]
            road.steps = [
                _Step(Stage.FILE_PREPARATION, start),
                _Step(Stage.WITHDRAWN, a(start, 15, 25), note=self.notes["withdrawn"]),
            ]
            self.roads.append(road)
        if spec.get("transferred_to"):  # 18 too late for the school; went to work
            road = _Road(unit=unit)
            road.person = self.student(
                born_from=date(2006, 7, 1), born_to=date(2006, 8, 31), graduation=2024
            )
            road.certificate = self.earlier_certificate("students")
            to_unit = self.units[spec["transferred_to"]]
            moved_on = a(date(2024, 8, 5), 0, 4)
            road.steps = [
                _Step(
                    Stage.TRANSFERRED_OUT,
                    moved_on,
                    by="board",
                    note=self.notes["transferred"],
                    to_unit=to_unit,
                ),
                _Step(Stage.FILE_PREPARATION, a(date(2024, 11, 4), 0, 4)),
            ]
            road.after_transfer = {
                "category": Category.WORKER,
                "school_class": "",
                "trade_union_member": to_unit.has_trade_union,
                "education": "12/12",
            }
            self.roads.append(road)
        for k in range(spec.get("identified_now", 0)):
            # This school year's 12th-graders put forward for the next class; 18 only after
            # the end of the year (or after the date the cell plans): the list flags them.
            road = _Road(unit=unit)
            road.person = self.student(
                born_from=date(2009, 4, 10) if k % 2 else date(2009, 6, 5),
                born_to=date(2009, 5, 25) if k % 2 else date(2009, 10, 31),
                graduation=2027,
            )
            if k % 2:
                road.person["planned_resolution_on"] = date(2027, 3, 26)
            self.roads.append(road)
        if spec.get("duplicate_at") and cohort:  # the same student, typed in again elsewhere
            first = cohort[0].person
            other = self.units[spec["duplicate_at"]]
            person = {
                k: first[k] for k in ("family_name", "given_name", "date_of_birth", "sex", "phone")
            }
            person.update(
                citizen_id=None,
                category=Category.STUDENT,
                school_class=self.rng.choice(SCHOOL_GRADE_12),
                graduation_year=2024,
                youth_union_member=True,
            )
            self.roads.append(_Road(unit=other, person=person))

    # enterprises ------------------------------------------------------------------------

    def enterprises(self) -> None:
        """Workers of the September 2023 class admitted through 2024 ("early"), of the May
        2024 class in the autumn ("later"), of the September 2024 class waiting for their
        decision since December ("overdue"); cell, committee, decision, ceremony."""
        groups = (
            ("early", date(2024, 1, 8), 100, ""),
            ("later", date(2024, 7, 1), 25, "CN1/2024-"),
            ("overdue", date(2024, 10, 7), 10, "CN2/2024-"),
        )
        for spec in self.data["enterprises"]:
            unit = self.units[spec["unit"]]
            colleagues = [
                (self.member_name(), date(self.rng.randint(2014, 2021), self.rng.randint(1, 12), 1))
                for _ in range(5)
            ]
            for group, from_day, spread, prefix in groups:
                pool = _class_pool(unit, prefix) if prefix else []
                for k in range(spec.get(group, 0)):
                    road = self.worker_road(unit, pool[k] if k < len(pool) else None)
                    start = self.after(from_day, 0, spread)
                    verified = self.worker_file(road, start, colleagues)
                    if group == "overdue":
                        resolution = self.after(date(2024, 12, 2), 0, 12)
                        committee = (
                            self.after(resolution, 5, 10) if spec.get("overdue_committee") else None
                        )
                        self.resolved(
                            road,
                            resolution=resolution,
                            members=spec["cell_members"],
                            committee=committee,
                        )
                        road.steps[-1].note = self.notes["overdue"]
                    else:
                        resolution = self.after(verified, 7, 21)
                        committee = self.after(resolution, 5, 14)
                        decision = self.after(committee, 10, 25)
                        first = group == "early" and k == 0
                        self.admitted(
                            road,
                            resolution=resolution,
                            members=spec["cell_members"],
                            committee=committee,
                            decision=decision,
                            ceremony=self.after(decision, 7, 14),
                            not_recognised=self.notes["not_recognised_worker"]
                            if first and spec.get("not_recognised")
                            else "",
                        )
                    self.roads.append(road)

    def worker_road(self, unit: Unit, existing: Candidate | None) -> _Road:
        """Someone of a 2024 class, or (when the class sent too few) of the 2023 class."""
        road = _Road(unit=unit, existing=existing)
        if existing is not None:
            union = UnionResolution.TRADE_UNION if self.rng.random() < 0.6 else ""
            road.fields = {"union_resolution": union}
        else:
            road.person = self.worker(unit)
            road.certificate = self.earlier_certificate("workers")
        return road

    def worker_file(self, road: _Road, start: date, colleagues) -> date:
        """A trade-union resolution and one colleague, or two colleagues, who have worked
        with the candidate since they were 19 at the latest and 13 months before the file."""
        union = (road.fields or road.person)["union_resolution"]
        born = _born(road)
        chosen = [
            (name, min(max(since, date(born.year + 19, 9, 1)), add_months(start, -13)))
            for name, since in self.rng.sample(colleagues, 1 if union else 2)
        ]
        paper = (self.after(start, 3, 8), f"{self.rng.randint(1, 9):02d}/NQ-CĐ") if union else ()
        return self.file(road, start=start, introducers=chosen, union=paper)

    # numbers ------------------------------------------------------------------------------

    def number(self) -> None:
        """Document numbers in date order: cell resolutions per cell ("05-NQ/CB"), committee
        resolutions per committee ("21-NQ/ĐU"), the Board's decisions in one series through
        the term ("1012-QĐ/HU")."""
        steps = sorted(
            (
                (step.dated, road.unit.path, i, step, road)
                for i, road in enumerate(self.roads)
                for step in road.steps
            ),
            key=lambda t: t[:3],
        )
        cells: dict[int, int] = {}
        committees: dict[str, int] = {}
        board = FIRST_DECISION
        for _day, path, _i, step, road in steps:
            if step.stage == Stage.CELL_RESOLUTION:
                cells[road.unit.pk] = cells.get(road.unit.pk, self.rng.randint(2, 6)) + 1
                step.number = f"{cells[road.unit.pk]:02d}-NQ/CB"
            elif step.stage == Stage.COMMITTEE_RESOLUTION:
                parent = path[: -Unit.steplen]
                committees[parent] = committees.get(parent, self.rng.randint(8, 20)) + 1
                step.number = f"{committees[parent]:02d}-NQ/ĐU"
            elif step.by == "board" and step.stage != Stage.TRANSFERRED_OUT:
                board += 1 + (self.rng.randint(1, 5) if self.rng.random() < 0.3 else 0)
                step.number = f"{board}-QĐ/HU"


_MAY_17 = date(2024, 5, 17)
_MAY_19 = date(2024, 5, 19)


def _born(road: _Road) -> date:
    return road.existing.date_of_birth if road.existing else road.person["date_of_birth"]


def _class_pool(unit: Unit, prefix: str, **filters) -> list[Candidate]:
    """The people of a 2024 class at ``unit`` who got a certificate, in a fixed order."""
    qs = Candidate.objects.filter(unit=unit, certificate_number__startswith=prefix, **filters)
    return list(qs.order_by("date_of_birth", "pk"))


class _Actors:
    """Who records what: the unit's secretary (or the committee above it, or the Board);
    committee resolutions by the committee's staff; decisions by the Board (bantochuc)."""

    def __init__(self):
        assignments = list(RoleAssignment.objects.select_related("user", "unit"))
        boards = [ra.user for ra in assignments if ra.role == Role.BOARD]
        self.board = next((u for u in boards if u.username == "bantochuc"), None) or (
            boards[0] if boards else None
        )
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

    def of(self, step: _Step, unit: Unit):
        return {"board": self.board, "committee": self.committee(unit)}.get(step.by) or (
            self.editor(unit)
        )


def _find(road: _Road) -> Candidate | None:
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


def _play(road: _Road, actors: _Actors) -> bool:
    """Record what is missing of one road; True when anything was recorded."""
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
    done = set(candidate.events.values_list("stage", flat=True))
    if road.certificate and Stage.CERTIFIED not in done and candidate.stage == Stage.IDENTIFIED:
        number, dated = road.certificate
        candidate_certify(
            actor=actors.board, candidate=candidate, number=number, dated=dated, today=dated
        )
        moved = True
    if road.documents:
        have = set(candidate.documents.values_list("kind", flat=True))
        for kind, dated, number in road.documents:
            if kind not in have:
                document_set(
                    actor=actors.editor(candidate.unit),
                    candidate=candidate,
                    kind=kind,
                    dated=dated,
                    number=number,
                )
                moved = True
    if road.introducers:
        known = set(candidate.introducers.values_list("name", flat=True))
        for spec in road.introducers:
            if spec["name"] not in known:
                introducer_save(
                    actor=actors.editor(candidate.unit),
                    introducer=Introducer(candidate=candidate, **spec),
                )
                moved = True
    for step in road.steps:
        if step.stage in done:
            continue
        if step.stage == Stage.TRANSFERRED_OUT:
            if candidate.stage in FINAL:
                break
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
            moved = True
            continue
        if step.stage not in stage_next(candidate, board=True):
            break  # changed by hand since: leave the rest of the road alone
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
        except StepRefused as refused:  # e.g. changed by hand since: leave them there
            logger.warning(
                "demo: %s at %s, %s %s refused: %s",
                candidate,
                candidate.unit.code,
                step.stage,
                step.dated,
                refused,
            )
            break
        moved = True
    return moved


def demo_story() -> list[_Road]:
    """Every road of the story (reads only; the same every time)."""
    data = json.loads(DEMO_CANDIDATES_FILE.read_text(encoding="utf-8"))
    story = _Story(data)
    story.schools()
    story.enterprises()
    story.number()
    return story.roads


@transaction.atomic
def demo_pipeline_load() -> int:
    """Play the demo's year of candidates for Plan 145/KH-HU through the services, each step
    on its own day; returns how many candidates got anything new (0 on a second run).

    Needs the demo district and its 2024 classes (``demo_classes_load``); without the
    district's units or its Board user it does nothing."""
    data = json.loads(DEMO_CANDIDATES_FILE.read_text(encoding="utf-8"))
    codes = {s["unit"] for s in (*data["schools"], *data["enterprises"])}
    actors = _Actors()
    if actors.board is None or Unit.objects.filter(code__in=codes).count() < len(codes):
        return 0
    today = timezone.localdate()
    moved = 0
    for road in demo_story():
        road.steps = [s for s in road.steps if s.dated <= today]
        moved += _play(road, actors)
    return moved
