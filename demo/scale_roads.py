"""One generated person's road after their awareness class, for the scale data
(``demo.scale``): the steps with dates that the pipeline's rules allow (the version in
force on each step's day), the papers and introducers of the file, the mentor of the
probation. Plain values only; ``demo.scale`` turns them into rows.

The rules the road keeps, each read from ``candidates.rules`` rather than written here: the
order of ``candidates.pipeline.stage_next``; a full 18 on the cell's day (``adult_by``); the
certificate not older than its validity; the introducers' and the union's papers not older
than ``file_papers_valid_months``; two introducers who have known the person long enough
(or one and the Youth Union's resolution); the cell's vote of at least its share of the full
members; the decision, the ceremony and the recognition within their working days
(``deadline_after`` on Vietnam's calendar); full membership from the end of probation.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from candidates.choices import DocumentKind, MentorPhase, Stage, UnionResolution
from candidates.rules import add_months, adult_by, certificate_valid_until, deadline_after
from candidates.rules import ruleset_on as _ruleset_on
from candidates.workdays import calendar_load

# How far a certified person goes (weights), before today cuts the road: most of a cohort
# is admitted within two years; some stop at a step, and a year later the cell takes them
# off the road (withdrawn); some are not approved after the cell's resolution.
GOALS = (
    (Stage.CERTIFIED, 22),
    (Stage.FILE_PREPARATION, 6),
    (Stage.BACKGROUND_VERIFIED, 5),
    (Stage.CELL_RESOLUTION, 3),
    (Stage.FULL_MEMBER, 64),
)
STALLS = frozenset({Stage.CERTIFIED, Stage.FILE_PREPARATION, Stage.BACKGROUND_VERIFIED})
STALL_DAYS = 365  # a person stopped this long is taken off the road (withdrawn)
NOT_RECOGNISED_SHARE = 0.01
NO_MENTOR_SHARE = 0.03  # people on the road whose cell has not named a mentor yet
COMMENT_DAYS = (75, 90)  # a mentor's comments: about once a quarter (the app's practice)
MENTOR_NAMES = ("Nguyễn Văn Hùng", "Trần Thị Bình", "Lê Văn Thành", "Phạm Thị Hoa")
YOUTH_UNION_INTRODUCES = 0.3  # of Youth Union members: the union's resolution and one person
WITHDRAW_NOTES = ("Chuyển nơi cư trú", "Đi học xa", "Xin thôi phấn đấu", "Đi làm ăn xa")
NOT_APPROVED_NOTES = ("Chưa đủ số phiếu tán thành", "Lý lịch cần thẩm tra thêm")
INTRODUCER_FAMILY = ("Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị", "Hoàng Văn", "Đỗ Thị")
INTRODUCER_GIVEN = ("Hùng", "Lan", "Minh", "Hương", "Tuấn", "Hà", "Sơn", "Thủy", "Long", "Mai")


@cache
def ruleset_on(day: date):
    """The rules in force on ``day`` (cached: the road asks for the same days often)."""
    return _ruleset_on(day)


@cache
def due(step: str, start: date) -> date:
    """The last day of ``step`` after a step on ``start`` (working days, holidays off)."""
    return deadline_after(
        step=step, start=start, rules=ruleset_on(start), calendar=calendar_load()
    ).due


@dataclass
class Event:
    stage: str
    dated: date
    number: str = ""
    note: str = ""
    votes_for: int | None = None
    full_members: int | None = None
    rules: str = ""
    effective_on: date | None = None


@dataclass
class Road:
    """What happened to one certified person after the class, up to today."""

    events: list[Event] = field(default_factory=list)
    documents: list[tuple[str, date, str]] = field(default_factory=list)  # kind, dated, number
    introducers: list[tuple[str, date]] = field(default_factory=list)  # name, since
    union_resolution: str = ""
    mentors: list["Mentoring"] = field(default_factory=list)


@dataclass
class Mentoring:
    """A mentor of one phase (``MentorPhase``), from when to when, and their comments."""

    phase: str
    name: str
    assigned_on: date
    ended_on: date | None
    comments: list[date]


class Numbers:
    """Document numbers by issuer and year: "17-NQ/CB", "205-QĐ/ĐU"."""

    def __init__(self):
        self.next: dict[tuple[str, int], int] = {}

    def __call__(self, suffix: str, day: date) -> str:
        key = (suffix, day.year)
        self.next[key] = self.next.get(key, 0) + 1
        return f"{self.next[key]}-{suffix}"


def _later(rng: random.Random, day: date, low: int, high: int) -> date:
    return day + timedelta(days=rng.randint(low, high))


def road_after_certificate(
    rng: random.Random,
    *,
    certified: date,
    born: date,
    youth_union_member: bool,
    needs_committee: bool,
    today: date,
    numbers: Numbers,
) -> Road:
    """The steps after the certificate of ``certified``, each checked as the services
    would, cut at ``today`` (a step not yet due is not taken); the mentors of the road."""
    walk = _Walk(rng, today=today, numbers=numbers)
    goal = rng.choices([g for g, _ in GOALS], weights=[w for _, w in GOALS])[0]
    _walk(
        walk,
        goal,
        certified=certified,
        born=born,
        youth=youth_union_member,
        committee=needs_committee,
    )
    last = walk.road.events[-1].dated if walk.road.events else certified
    if goal in STALLS and (today - last).days > STALL_DAYS:
        walk.stop(last + timedelta(rng.randint(180, STALL_DAYS)), Stage.WITHDRAWN, WITHDRAW_NOTES)
    walk.mentors(certified)
    return walk.road


def _walk(walk: "_Walk", goal: str, *, certified, born, youth, committee) -> None:
    """The main road up to ``goal`` (or today)."""
    if goal == Stage.CERTIFIED:
        return
    file_on = walk.file(certified)
    if file_on is None or goal == Stage.FILE_PREPARATION:
        return
    verified = walk.verify(file_on)
    if verified is None:
        return
    cell = walk.papers(verified, file_on=file_on, certified=certified, born=born, youth=youth)
    if cell is None or goal == Stage.BACKGROUND_VERIFIED or not walk.cell(cell):
        return
    if goal == Stage.CELL_RESOLUTION:  # the committee above does not approve
        walk.stop(_later(walk.rng, cell, 0, 20), Stage.NOT_APPROVED, NOT_APPROVED_NOTES)
        return
    decided = walk.decision(cell, needs_committee=committee)
    if decided is not None:
        walk.probation(decided, recognised=walk.rng.random() >= NOT_RECOGNISED_SHARE)


class _Walk:
    """One road being walked: each step taken only when its day has come."""

    def __init__(self, rng: random.Random, *, today: date, numbers: Numbers):
        self.rng, self.today, self.numbers = rng, today, numbers
        self.road = Road()

    def take(self, event: Event) -> bool:
        if event.dated > self.today:
            return False
        self.road.events.append(event)
        return True

    def step(self, stage: str, dated: date, number: str = "", **fields) -> bool:
        return self.take(Event(stage, dated, number, rules=ruleset_on(dated).code, **fields))

    def stop(self, day: date, stage: str, notes) -> None:
        self.step(stage, day, note=self.rng.choice(notes))

    def mentors(self, certified: date) -> None:
        """The mentor who helps the candidate from soon after the certificate to the
        ceremony (or the end of the road), and the probationary member's from the ceremony
        to recognition, each commenting about once a quarter up to today."""
        rng, road = self.rng, self.road
        ends = {e.stage: e.dated for e in road.events}
        end = ends.get(Stage.CEREMONY) or ends.get(Stage.WITHDRAWN) or ends.get(Stage.NOT_APPROVED)
        start = _later(rng, certified, 5, 30)
        if (
            start <= self.today
            and rng.random() >= NO_MENTOR_SHARE
            and (end is None or start <= end)
        ):
            self._mentor(MentorPhase.CANDIDATE, start, end)
        ceremony = ends.get(Stage.CEREMONY)
        if ceremony is not None:
            end = ends.get(Stage.FULL_MEMBER) or ends.get(Stage.NOT_RECOGNISED)
            self._mentor(MentorPhase.PROBATIONARY, ceremony, end)

    def _mentor(self, phase: str, start: date, end: date | None) -> None:
        last = min(end or self.today, self.today)
        comments, day = [], start
        while (day := day + timedelta(self.rng.randint(*COMMENT_DAYS))) <= last:
            comments.append(day)
        name = self.rng.choice(MENTOR_NAMES)
        self.road.mentors.append(Mentoring(phase, name, start, end, comments))

    def file(self, certified: date) -> date | None:
        file_on = _later(self.rng, certified, 20, 120)
        if not self.step(Stage.FILE_PREPARATION, file_on):
            return None
        self.road.documents += [
            (DocumentKind.APPLICATION, file_on, ""),
            (DocumentKind.BACKGROUND, file_on, ""),
        ]
        return file_on

    def verify(self, file_on: date) -> date | None:
        verified = _later(self.rng, file_on, 20, 60)
        number = self.numbers("CV/ĐU", verified)
        if not self.step(Stage.BACKGROUND_VERIFIED, verified, number):
            return None
        self.road.documents.append((DocumentKind.VERIFICATION, verified, number))
        return verified

    def papers(
        self, verified: date, *, file_on: date, certified: date, born: date, youth: bool
    ) -> date | None:
        """The day the cell can meet — a full 18, the certificate still valid — and the
        papers and introducers it needs by then; None when the certificate would be too old."""
        rng = self.rng
        cell = _later(rng, verified, 10, 45)
        cell = max(
            cell, adult_by(born=born, rules=ruleset_on(cell)) + timedelta(rng.randint(0, 20))
        )
        rules = ruleset_on(cell)
        if cell > certificate_valid_until(certified):
            return None
        # The papers 06-HD/TW 5.4a has redone after 12 months, dated within them.
        fresh_from = max(file_on, add_months(cell, -rules.file_papers_valid_months) + timedelta(1))
        papers_on = min(cell, _later(rng, fresh_from, 0, 20))
        road = self.road
        if youth and rng.random() < YOUTH_UNION_INTRODUCES:
            road.union_resolution = UnionResolution.YOUTH_UNION
            number = self.numbers("NQ/ĐTN", papers_on)
            road.documents.append((DocumentKind.UNION_RESOLUTION, papers_on, number))
        needed = rules.introducers_needed - (
            rules.union_resolution_replaces if road.union_resolution else 0
        )
        months = rules.introducer_acquaintance_months
        road.introducers = [
            (
                f"{rng.choice(INTRODUCER_FAMILY)} {rng.choice(INTRODUCER_GIVEN)}",
                add_months(cell, -months - rng.randint(1, 48)),
            )
            for _ in range(needed)
        ]
        road.documents += [
            (DocumentKind.INTRODUCTION, papers_on, ""),
            (DocumentKind.OPINIONS, papers_on, ""),
        ]
        return cell

    def cell(self, cell: date) -> bool:
        rules = ruleset_on(cell)
        members = self.rng.randint(3, 40)
        votes = self.rng.randint(math.ceil(members * rules.resolution_share), members)
        number = self.numbers("NQ/CB", cell)
        return self.step(Stage.CELL_RESOLUTION, cell, number, votes_for=votes, full_members=members)

    def decision(self, cell: date, *, needs_committee: bool) -> date | None:
        last = cell
        if needs_committee:
            last = _later(self.rng, cell, 5, 15)
            if not self.step(Stage.COMMITTEE_RESOLUTION, last, self.numbers("NQ/ĐU", last)):
                return None
        decided = min(_later(self.rng, last, 5, 25), due("admission_decision", cell))
        number = "Quyết định số " + self.numbers("QĐ/ĐU", decided)
        return decided if self.step(Stage.ADMISSION_DECISION, decided, number) else None

    def probation(self, decided: date, *, recognised: bool) -> None:
        """The ceremony and the end of probation: recognised, or not."""
        ceremony = min(_later(self.rng, decided, 5, 25), due("ceremony", decided))
        if not self.step(Stage.CEREMONY, ceremony):
            return
        ends = add_months(ceremony, ruleset_on(ceremony).probation_months)
        day = min(_later(self.rng, ends, 0, 25), due("recognition", ceremony))
        number = self.numbers("QĐ/ĐU", day)
        if not recognised:
            self.step(Stage.NOT_RECOGNISED, day, number)
        else:
            self.step(Stage.FULL_MEMBER, day, number, effective_on=ends)
