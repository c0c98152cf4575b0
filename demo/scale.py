"""A province at scale (issue 16): ``seed_scale`` builds thousands of units and hundreds of
thousands of candidates over several years, for measuring pages and reports as a province
after the 2025 reform would use them.

The tree: the province committee (deciding) → commune committees (deciding their cells'
admissions, 294-QĐ/TW 4.3.2) with village cells, high schools, vocational centres and
enterprises (some without a party organisation, whose admissions the commune runs); and the
province's agency committee → enterprise party committees → their cells, where a grassroots
committee's resolution comes between the cell's and the decision. Every year: a plan with
two class rounds and targets of Plan 145's shapes, the students' and workers' classes of
each round (sessions, nominee lists, results, certificates), candidates at every stage with
their events, papers, introducers and mentors; totals of the years before.

Rows are written in bulk (``bulk_create``), not through the services one by one; what the
services would derive (the stage from the events, the search and sort keys, the
certificate on the candidate) is set the same way, and ``scale_check`` compares a sample
with the services' own functions. One audit event records the seeding (bulk writes send no
signals; the trail of a million rows would dwarf the data).
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from candidates.choices import Category, Stage
from candidates.models import (
    Candidate,
    CandidateDocument,
    Introducer,
    Mentor,
    MentorComment,
    StageEvent,
)
from candidates.services import candidate_stage_refresh, candidates_due_recount
from core.audit import audit_record
from core.dates import today as local_today
from core.text import fold
from quotas.choices import Measure, PersonGroup, PlanStatus
from quotas.models import HistoricalTotal, Plan, Round, Target, TargetValue
from training.choices import ClassAudience, ClassStatus, ListStatus, NominationStatus, Result
from training.models import ClassSession, Nomination, NomineeList, TrainingClass
from training.rules import certificate_number
from units.choices import Audience, Role
from units.kinds import ensure_default_kinds
from units.models import RoleAssignment, Unit, UnitKind
from units.services import board_group_sync

from .bulk import Rows
from .district import demo_data
from .people import demo_person
from .scale_roads import Numbers, road_after_certificate, ruleset_on

BATCH = 2000
CLASS_SIZE = 250  # people per class; a round has as many classes as its nominees need
HISTORY_YEARS = 3  # totals of the years before the first seeded one
PLACES = (
    "An Bình Châu Đông Đức Giang Hà Hải Hòa Hưng Khánh Lạc Lâm Long Mai Minh Nam Ninh Phong "
    "Phú Phúc Quang Sơn Tân Thái Thanh Thắng Thịnh Thuận Tiến Trung Tường Vân Việt Vinh Xuân "
    "Yên Định Hiệp Lương Cường Thạch Tâm Hợp"
).split()
COMPANY_WORDS = (
    "May",
    "Cơ khí",
    "Điện tử",
    "Gỗ",
    "Xây dựng",
    "Thực phẩm",
    "Dệt",
    "Giày",
    "Nhựa",
    "Vận tải",
)
SCHOOL_CLASSES = ("11A1", "11A2", "12A1", "12A2", "12A3", "12A4")
WORKER_EDUCATION = ("12/12", "12/12", "Trung cấp", "Cao đẳng", "Đại học")
MINORITIES = ("Tày", "Nùng", "Sán Dìu", "Mường")
COMMENTS = (
    "Giữ vững lập trường, tư tưởng; hoàn thành tốt nhiệm vụ được giao.",
    "Tích cực tham gia các phong trào của đơn vị và nơi cư trú.",
    "Có ý thức tổ chức kỷ luật, quan hệ tốt với quần chúng.",
)
RETURN_REASONS = ("Chưa đủ tuổi theo quy định", "Thiếu bản tự khai lý lịch", "Trùng danh sách")
# Who a unit's people are, and how many of a year's candidates come from one unit of a kind.
WEIGHTS = {"high_school": 12, "vocational_centre": 6, "enterprise": 3, "village_cell": 1}
# The students' classes in April and October, the workers' in May and September (seed 001).
CLASS_MONTHS = {
    (1, ClassAudience.STUDENTS): 4,
    (1, ClassAudience.WORKERS): 5,
    (2, ClassAudience.STUDENTS): 10,
    (2, ClassAudience.WORKERS): 9,
}
PASSWORD_DEMO = "commune"  # the demo whose password the accounts get


@dataclass
class Node:
    """A unit to create: its row and its children, in order."""

    unit: Unit
    children: list["Node"] = field(default_factory=list)


@dataclass
class Seeded:
    """What ``seed_scale`` made: counts by model and the accounts (username, what for)."""

    counts: Counter = field(default_factory=Counter)
    accounts: list[tuple[str, str]] = field(default_factory=list)
    password: str = ""


def _create(model, objs: list, counts: Counter) -> list:
    """Insert ``objs`` in batches (SQLite's variable limit lowers the batch on its own)."""
    if objs:
        model.objects.bulk_create(objs, batch_size=BATCH)
        counts[model._meta.label] += len(objs)
    return objs


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class _Person(SimpleNamespace):
    """A new candidate's fields, tidied by ``Candidate.tidy`` itself (without a model
    instance, which costs more than the rest of the row)."""

    full_name = Candidate.full_name
    tidy = Candidate.tidy


@dataclass(frozen=True)
class Play:
    """How far one class has come by today."""

    cls: TrainingClass
    deadline: date
    certified_on: date
    submitted: bool


class Province:
    """Builds the scale data; ``seed_scale`` runs it."""

    def __init__(self, *, units: int, candidates: int, years: int, seed: int, today: date):
        self.rng = random.Random(seed)
        self.size = units
        self.people = candidates
        self.years = list(range(today.year - years + 1, today.year + 1))
        self.today = today
        self.seeded = Seeded()
        self.numbers = Numbers()
        self.serial = 0

    # --- the tree -------------------------------------------------------------------------

    def _unit(self, kind: str, code: str, name: str, short: str = "", **flags) -> Node:
        unit = Unit(kind=self.kinds[kind], code=code, name=name, short_name=short, **flags)
        unit.name_key, unit.short_key = fold(name), fold(short)  # as Unit.save sets them
        return Node(unit)

    def _place(self) -> str:
        first, second = self.rng.sample(PLACES, 2)
        return f"{first} {second}"

    def build_tree(self) -> None:
        ensure_default_kinds(UnitKind)
        for spec in demo_data("commune").get("kinds", ()):  # the village cell
            UnitKind.objects.get_or_create(
                code=spec["code"],
                defaults={k: spec[k] for k in ("name", "audience", "is_committee", "sort_order")},
            )
        self.kinds = {k.code: k for k in UnitKind.objects.all()}
        root = self._unit(
            "committee",
            "TU",
            "Tỉnh ủy Hà Bắc",
            "Tỉnh ủy",
            decides_admissions=True,
            has_party_organisation=True,
        )
        self.centre = self._unit(
            "political_centre", "TTCT", "Trường Chính trị tỉnh Hà Bắc", "Trường Chính trị"
        )
        root.children.append(self.centre)
        left = self.size - 2
        agency_size = max(4, left * 6 // 100)
        communes = max(2, round((left - agency_size) / 40))
        root.children += self._agency(agency_size)
        left -= agency_size
        for i in range(communes):
            share = left // (communes - i)
            left -= share
            root.children.append(self._commune(i + 1, share))
        self.root = root
        self._write_tree(root)

    def _agency(self, size: int) -> list[Node]:
        """The province's agency committee, its enterprises' committees and their cells."""
        top = self._unit(
            "agency_committee",
            "DUK",
            "Đảng ủy các cơ quan Đảng và doanh nghiệp tỉnh",
            "ĐU Khối",
            decides_admissions=True,
            has_party_organisation=True,
        )
        groups = max(1, (size - 1) // 10)
        cells = size - 1 - groups
        for g in range(groups):
            word = self.rng.choice(COMPANY_WORDS)
            committee = self._unit(
                "agency_committee",
                f"DU-TCT{g + 1:03d}",
                f"Đảng ủy Tổng công ty {word} {self._place()}",
                f"ĐU TCT {word} {g + 1}",
                has_party_organisation=True,
                has_trade_union=True,
            )
            top.children.append(committee)
            count = cells // (groups - g)
            cells -= count
            for c in range(count):
                committee.children.append(
                    self._unit(
                        "enterprise",
                        f"CB-TCT{g + 1:03d}-{c + 1:02d}",
                        f"Chi bộ Xí nghiệp {self._place()}",
                        has_party_organisation=True,
                        has_trade_union=True,
                    )
                )
        return [top]

    def _commune(self, number: int, size: int) -> Node:
        place = self._place()
        code = f"DU-X{number:03d}"
        commune = self._unit(
            "commune_committee",
            code,
            f"Đảng ủy xã {place}",
            f"ĐU xã {place}",
            decides_admissions=True,
            has_party_organisation=True,
        )
        children = size - 1
        kinds = ["high_school"] if children >= 6 else []
        if children >= 15 and self.rng.random() < 0.4:
            kinds.append("vocational_centre")
        kinds += ["enterprise"] * max(1, children // 5)
        kinds += ["village_cell"] * (children - len(kinds))
        for i, kind in enumerate(kinds[:children], start=1):
            child = f"{code}-{i:02d}"
            if kind == "high_school":
                node = self._unit(
                    kind,
                    f"THPT{child[2:]}",
                    f"Chi bộ Trường THPT {place}",
                    f"THPT {place}",
                    has_trade_union=True,
                    has_party_organisation=True,
                )
            elif kind == "vocational_centre":
                node = self._unit(
                    kind,
                    f"GDNN{child[2:]}",
                    f"Chi bộ Trung tâm GDNN-GDTX {place}",
                    f"TT GDNN-GDTX {place}",
                    has_trade_union=True,
                    has_party_organisation=True,
                )
            elif kind == "enterprise":
                own = self.rng.random() < 0.5
                name = f"Công ty TNHH {self.rng.choice(COMPANY_WORDS)} {self._place()}"
                node = self._unit(
                    kind,
                    f"DN{child[2:]}",
                    f"Chi bộ {name}" if own else name,
                    name.replace("Công ty TNHH", "Cty"),
                    has_party_organisation=own,
                    has_trade_union=self.rng.random() < 0.7,
                    non_state_capital=True,
                )
                if not own:
                    node.unit.admission_unit = commune.unit  # set once the commune has an id
            else:
                village = self._place()
                node = self._unit(
                    kind,
                    f"CB{child[2:]}",
                    f"Chi bộ thôn {village}",
                    f"Thôn {village}",
                    has_party_organisation=True,
                )
            commune.children.append(node)
        return commune

    def _write_tree(self, root: Node) -> None:
        """Materialised paths as treebeard writes them (``Unit.steplen`` characters of
        ``Unit.alphabet`` a level), each level in one insert, ``numchild`` counted."""
        level = [(root, Unit._get_path(None, 1, 1), None)]
        depth = 1
        self.units: list[Unit] = []
        self.parent_of: dict[str, Unit] = {}
        while level:
            rows = []
            for node, path, parent in level:
                node.unit.path, node.unit.depth = path, depth
                node.unit.numchild = len(node.children)
                if node.unit.admission_unit is not None:
                    node.unit.admission_unit_id = node.unit.admission_unit.pk
                rows.append(node.unit)
                if parent is not None:
                    self.parent_of[node.unit.code] = parent
            _create(Unit, rows, self.seeded.counts)
            self.units += rows
            depth += 1
            level = [
                (child, Unit._get_path(path, depth, i), node.unit)
                for node, path, _ in level
                for i, child in enumerate(node.children, start=1)
            ]

    # --- accounts ---------------------------------------------------------------------------

    def accounts(self) -> None:
        password = demo_data(PASSWORD_DEMO)["password"]
        self.seeded.password = password
        hashed = make_password(password)
        User = get_user_model()
        communes = [u for u in self.units if u.kind.code == "commune_committee"]
        cells = [u for u in self.units if u.kind.code in WEIGHTS and u.has_party_organisation]
        wanted = [
            ("tinh.bantochuc", Role.BOARD, self.root.unit),
            ("tinh.thuongtruc", Role.STANDING_OFFICE, self.root.unit),
            *[
                (f"xa{i}.banxaydung", Role.BOARD, unit)
                for i, unit in enumerate(communes[:3], start=1)
            ],
            *[
                (f"bithu.{unit.code.lower()}", Role.SECRETARY, unit)
                for unit in cells[:: max(1, len(cells) // 20)][:20]
            ],
        ]
        names = random.Random(len(wanted))  # its own: the accounts leave the data as it is
        users = []
        for username, role, _unit in wanted:
            person = demo_person(
                names, born_from=date(1970, 1, 1), born_to=date(1990, 12, 31), serial=0
            )
            users.append(
                User(
                    username=username,
                    first_name=person["family_name"],  # the Vietnamese order, as load_demo
                    last_name=person["given_name"],
                    password=hashed,
                    is_staff=role == Role.BOARD,
                )
            )
        _create(User, users, self.seeded.counts)
        users = {u.username: u for u in User.objects.filter(username__in=[w[0] for w in wanted])}
        _create(
            RoleAssignment,
            [RoleAssignment(user=users[name], unit=unit, role=role) for name, role, unit in wanted],
            self.seeded.counts,
        )
        group = board_group_sync()
        group.user_set.add(*[users[name] for name, role, _unit in wanted if role == Role.BOARD])
        self.board = users["tinh.bantochuc"]
        self.seeded.accounts = [
            (name, f"{Role(role).label} · {unit.name}") for name, role, unit in wanted
        ]

    # --- plans and classes ---------------------------------------------------------------

    def plans(self) -> None:
        self.plan_of: dict[int, Plan] = {}
        self.rounds: dict[tuple[int, int], Round] = {}
        for year in self.years:
            issued_on = date(year, 1, 15)
            plan = Plan(
                number=f"{year - 2000 + 100}-KH/TU",
                title=f"Kế hoạch phát triển đảng viên năm {year}",
                issuer=self.root.unit,
                issuer_label="BTV Tỉnh ủy",
                area=self.root.unit,
                issued_on=issued_on,
                year=year,
                status=PlanStatus.IN_FORCE if year >= self.today.year else PlanStatus.CLOSED,
                implements=ruleset_on(issued_on).name,
            )
            plan.save()
            self.plan_of[year] = plan
            for number, (start, end) in enumerate((((4, 1), (5, 31)), ((9, 1), (10, 31))), 1):
                self.rounds[year, number] = Round.objects.create(
                    plan=plan,
                    number=number,
                    name=f"Đợt {number} – tháng {start[0]}, {end[0]}/{year}",
                    starts_on=date(year, *start),
                    ends_on=date(year, *end),
                )
            self.seeded.counts[Plan._meta.label] += 1
            self.seeded.counts[Round._meta.label] += 2

    # --- the candidates of one year -------------------------------------------------------

    def candidates(self) -> None:
        self.bearing = [u for u in self.units if u.kind.code in WEIGHTS]
        weights = [WEIGHTS[u.kind.code] for u in self.bearing]
        self.committee_between = {u.pk: self._needs_committee(u) for u in self.bearing}
        self.secretaries = {
            ra.unit_id: ra.user_id for ra in RoleAssignment.objects.filter(role=Role.SECRETARY)
        }
        self.rows = Rows(self.seeded.counts)
        self.rows.register(
            ClassSession,
            NomineeList,
            Candidate,
            Nomination,
            StageEvent,
            CandidateDocument,
            Introducer,
            Mentor,
            MentorComment,
            HistoricalTotal,
        )
        self.admitted: Counter = Counter()  # (year, unit pk, group) -> admissions
        self.nominated: Counter = Counter()  # (year, round, unit pk) -> accepted nominees
        per_year = self.people // len(self.years)
        for index, year in enumerate(self.years):
            count = per_year + (
                self.people % len(self.years) if index == len(self.years) - 1 else 0
            )
            units = self.rng.choices(self.bearing, weights=weights, k=count)
            groups = defaultdict(list)
            for unit in units:
                audience = (
                    ClassAudience.STUDENTS
                    if unit.kind.audience == Audience.STUDENTS
                    else ClassAudience.WORKERS
                )
                groups[self.rng.choice((1, 2)), audience].append(unit)
            for (number, audience), members in sorted(groups.items()):
                self._round(year, number, audience, members)

    def _needs_committee(self, unit: Unit) -> bool:
        """``candidates.pipeline.committee_over`` on the tree being built: a grassroots
        committee sits between the cell and the unit that decides."""
        parent = self.parent_of.get(unit.code)
        return bool(
            unit.depth > 2
            and parent is not None
            and parent.kind.is_committee
            and not parent.decides_admissions
        )

    def _round(self, year: int, number: int, audience: str, members: list[Unit]) -> None:
        """The classes of one round for one audience, their lists and their people."""
        by_unit = Counter(u.pk for u in members)
        units = sorted({u.pk: u for u in members}.values(), key=lambda u: u.path)
        month = CLASS_MONTHS[number, audience]
        classes: list[list[Unit]] = [[]]
        filled = 0
        for unit in units:
            if filled + by_unit[unit.pk] > CLASS_SIZE and classes[-1]:
                classes.append([])
                filled = 0
            classes[-1].append(unit)
            filled += by_unit[unit.pk]
        for k, class_units in enumerate(classes, start=1):
            first = date(year, month, 1) + timedelta(days=7 + (k * 3) % 18)
            sessions = [first + timedelta(days=d) for d in range(3)]
            self._class(year, number, audience, k, sessions, class_units, by_unit)

    def _class(self, year, number, audience, k, sessions, units, by_unit) -> None:
        deadline = sessions[0] - timedelta(days=10)
        certified_on = sessions[-1] + timedelta(days=7)
        who = "học sinh" if audience == ClassAudience.STUDENTS else "quần chúng ưu tú"
        tag = "HS" if audience == ClassAudience.STUDENTS else "CN"
        status = (
            ClassStatus.FINISHED
            if certified_on <= self.today
            else ClassStatus.IN_PROGRESS
            if deadline < self.today
            else ClassStatus.OPEN
        )
        cls = TrainingClass(
            plan=self.plan_of[year],
            round=self.rounds[year, number],
            name=f"Lớp bồi dưỡng nhận thức về Đảng cho {who}, đợt {number}/{year}, lớp {k}",
            audience=audience,
            organiser=self.centre.unit,
            venue="Trường Chính trị tỉnh",
            capacity=sum(by_unit[u.pk] for u in units) + 20,
            nomination_deadline=deadline,
            status=status,
            certificate_prefix=f"NTVĐ-{year}/{number}-{tag}{k}-",
        )
        cls.save()
        self.seeded.counts[TrainingClass._meta.label] += 1
        rows = self.rows
        for i, day in enumerate(sessions, start=1):
            rows.add(ClassSession, training_class_id=cls.pk, dated=day, topic=f"Chuyên đề {i}")
        submitted = deadline <= self.today
        people = []
        for unit in units:
            list_id = rows.add(
                NomineeList,
                training_class_id=cls.pk,
                unit_id=unit.pk,
                status=ListStatus.SUBMITTED if submitted else ListStatus.DRAFT,
                submitted_at=_at(deadline - timedelta(days=3)) if submitted else None,
                submitted_by_id=self.secretaries.get(unit.pk, self.board.pk) if submitted else None,
            )
            people += [(list_id, unit) for _ in range(by_unit[unit.pk])]
        play = Play(cls=cls, deadline=deadline, certified_on=certified_on, submitted=submitted)
        sequence = 0
        for list_id, unit in people:
            sequence = self._nominee(play, list_id, unit, sessions[0], sequence)

    def _person(self, unit: Unit, first_session: date) -> dict:
        """A new person's fields, tidied as ``Candidate.save`` tidies them."""
        rng = self.rng
        self.serial += 1
        year = first_session.year
        if unit.kind.audience == Audience.STUDENTS:
            person = demo_person(
                rng,
                born_from=date(year - 18, 1, 1),
                born_to=date(year - 17, 12, 31),
                serial=self.serial,
            )
            grade = rng.choice(SCHOOL_CLASSES)
            school_year_ends = year + (1 if first_session.month >= 8 else 0)
            person.update(
                category=Category.STUDENT,
                school_class=grade,
                youth_union_member=True,
                education="12/12" if grade.startswith("12") else "11/12",
                graduation_year=school_year_ends + (1 if grade.startswith("11") else 0),
            )
        else:
            person = demo_person(
                rng,
                born_from=date(1975, 1, 1),
                born_to=date(year - 20, 12, 31),
                serial=self.serial,
            )
            enterprise = unit.kind.code == "enterprise"
            person.update(
                category=(
                    (Category.MANAGER if rng.random() < 0.08 else Category.WORKER)
                    if enterprise
                    else rng.choice((Category.WORKER, Category.OTHER, Category.CIVIL_SERVANT))
                ),
                youth_union_member=person["date_of_birth"].year >= year - 30 and rng.random() < 0.6,
                trade_union_member=unit.has_trade_union,
                education=rng.choice(WORKER_EDUCATION),
            )
        if rng.random() < 0.06:
            person["ethnicity"] = rng.choice(MINORITIES)
        if rng.random() < 0.05:
            person["religion"] = "Công giáo"
        shim = _Person(**person)
        shim.tidy()
        return vars(shim)

    def _nominee(self, play: "Play", list_id: int, unit: Unit, first: date, sequence: int) -> int:
        """One person on a class's list: the Board's review, the result and certificate,
        and the road after it; returns the class's last certificate sequence."""
        rng, rows, cls = self.rng, self.rows, play.cls
        person = self._person(unit, first)
        nomination = {"nominee_list_id": list_id, "training_class_id": cls.pk}
        events: list[tuple[str, date, dict]] = []
        after = None
        if play.submitted:
            nominated_on = play.deadline - timedelta(days=rng.randint(3, 6))
            nomination.update(
                nominated_on=nominated_on,
                reviewed_at=_at(play.deadline + timedelta(days=2), 15),
                reviewed_by_id=self.board.pk,
            )
            if rng.random() < 0.03:
                nomination.update(
                    status=NominationStatus.RETURNED, reason=rng.choice(RETURN_REASONS)
                )
            else:
                nomination["status"] = NominationStatus.ACCEPTED
                self.nominated[cls.plan.year, cls.round.number, unit.pk] += 1
                events.append((Stage.NOMINATED, nominated_on, {"note": cls.name}))
                if play.certified_on <= self.today:
                    roll = rng.random()
                    nomination["result"] = (
                        Result.PASSED
                        if roll < 0.94
                        else Result.FAILED
                        if roll < 0.97
                        else Result.ABSENT
                    )
        if nomination.get("result") == Result.PASSED:
            sequence += 1
            number = certificate_number(cls.certificate_prefix, sequence)
            nomination.update(certificate_number=number, certificate_date=play.certified_on)
            person.update(certificate_number=number, certificate_date=play.certified_on)
            events.append(
                (Stage.CERTIFIED, play.certified_on, {"document_number": number, "note": cls.name})
            )
            after = road_after_certificate(
                rng,
                certified=play.certified_on,
                born=person["date_of_birth"],
                youth_union_member=person["youth_union_member"],
                needs_committee=self.committee_between[unit.pk],
                today=self.today,
                numbers=self.numbers,
            )
            person["union_resolution"] = after.union_resolution
            events += [
                (
                    e.stage,
                    e.dated,
                    {
                        "document_number": e.number,
                        "note": e.note,
                        "votes_for": e.votes_for,
                        "full_members": e.full_members,
                        "rules": e.rules,
                        "effective_on": e.effective_on,
                    },
                )
                for e in after.events
            ]
        person["stage"] = _stage([stage for stage, _d, _f in events])
        candidate = rows.add(Candidate, unit_id=unit.pk, **person)
        rows.add(Nomination, candidate_id=candidate, **nomination)
        for stage, dated, fields in events:
            rows.add(
                StageEvent,
                candidate_id=candidate,
                stage=stage,
                dated=dated,
                unit_id=unit.pk,
                recorded_by_id=self.board.pk,
                **fields,
            )
            if stage == Stage.ADMISSION_DECISION:
                for group in _groups(person):
                    self.admitted[dated.year, unit.pk, group] += 1
        if after is not None:
            self._file(candidate, unit, after)
        return sequence

    def _file(self, candidate: int, unit: Unit, after) -> None:
        """The papers, introducers and mentors of one person's road."""
        rows, rng = self.rows, self.rng
        for kind, dated, number in after.documents:
            if dated <= self.today:
                rows.add(
                    CandidateDocument, candidate_id=candidate, kind=kind, dated=dated, number=number
                )
        for name, since in after.introducers:
            rows.add(
                Introducer, candidate_id=candidate, name=name, unit_name=unit.name, since=since
            )
        for mentoring in after.mentors:
            mentor = rows.add(
                Mentor,
                candidate_id=candidate,
                name=mentoring.name,
                unit_name=unit.name,
                phase=mentoring.phase,
                assigned_on=mentoring.assigned_on,
                ended_on=mentoring.ended_on,
            )
            for day in mentoring.comments:
                rows.add(MentorComment, mentor_id=mentor, dated=day, text=rng.choice(COMMENTS))

    # --- targets, once the year's people are known ----------------------------------------

    def targets(self) -> None:
        """Each plan's targets, of Plan 145's shapes, near what the year brought (some
        units above, some below): nominees per round, admissions by 19/5 and in the year
        (the annex, per commune and enterprise committee), every THPT at least one, shares
        of Youth Union members and of non-state enterprises' workers."""
        # The annex lists the commune committees and the enterprises' committees.
        committees = [u for u in self.units if u.kind.code == "commune_committee"]
        committees += [u for u in self.units if u.kind.is_committee and u.depth == 3]
        below = {
            c.pk: [u.pk for u in self.bearing if u.path.startswith(c.path)] for c in committees
        }
        schools = [u for u in self.bearing if u.kind.audience == Audience.STUDENTS]
        for year, plan in self.plan_of.items():
            made = [self._nominee_target(plan, number) for number in (1, 2)]
            made.append(
                (
                    dict(
                        name=f"Kết nạp nhân dịp 19/5/{year}",
                        source_text="Các trường phấn đấu kết nạp đoàn viên ưu tú là học sinh "
                        "nhân kỷ niệm Ngày sinh Chủ tịch Hồ Chí Minh.",
                        group=PersonGroup.STUDENTS,
                        ends_on=date(year, 5, 19),
                    ),
                    [(u, 1, 3) for u in schools[: max(1, len(schools) // 2)]],
                )
            )
            annex = [
                (
                    c,
                    max(1, _near(self.rng, sum(self.admitted[year, pk, ""] for pk in below[c.pk]))),
                    None,
                    "ĐẢNG BỘ XÃ, PHƯỜNG"
                    if c.kind.code == "commune_committee"
                    else "ĐẢNG BỘ CƠ QUAN, DOANH NGHIỆP",
                    position,
                )
                for position, c in enumerate(committees, start=1)
            ]
            made += [
                (
                    dict(
                        name="Chỉ tiêu kết nạp đảng viên",
                        source_text=f"DANH SÁCH giao chỉ tiêu kết nạp đảng viên năm {year} "
                        f"(Kèm theo Kế hoạch số {plan.number}).",
                        in_annex=True,
                    ),
                    annex,
                ),
                (
                    dict(
                        name="Mỗi trường THPT kết nạp ít nhất 01 đảng viên",
                        each_kind=self.kinds["high_school"],
                        each_min=1,
                    ),
                    [],
                ),
                (
                    dict(
                        name="Tỷ lệ đảng viên mới là đoàn viên",
                        group=PersonGroup.YOUTH_UNION,
                        is_share=True,
                    ),
                    [(self.root.unit, 70, None)],
                ),
                (
                    dict(
                        name="Tỷ lệ đảng viên mới là công nhân doanh nghiệp ngoài nhà nước",
                        group=PersonGroup.NON_STATE_WORKERS,
                        is_share=True,
                    ),
                    [(self.root.unit, 2, None)],
                ),
            ]
            self._targets_write(plan, made)

    def _nominee_target(self, plan: Plan, number: int) -> tuple[dict, list]:
        rnd = self.rounds[plan.year, number]
        nominated = self.nominated
        return (
            dict(
                name=f"Đợt {number}: giới thiệu dự lớp bồi dưỡng",
                source_text=f"Mỗi chi bộ thôn giới thiệu ít nhất 01 quần chúng ưu tú dự lớp "
                f"đợt {number}; các trường, doanh nghiệp theo danh sách.",
                measure=Measure.NOMINATIONS,
                round=rnd,
                starts_on=plan.issued_on,
                ends_on=rnd.ends_on,
                each_kind=self.kinds["village_cell"],
                each_min=1,
            ),
            [
                (u, _near(self.rng, nominated[plan.year, number, u.pk]), None)
                for u in self.bearing
                if u.kind.code != "village_cell" and nominated[plan.year, number, u.pk]
            ],
        )

    def _targets_write(self, plan: Plan, made: list[tuple[dict, list]]) -> None:
        """The targets (admissions over the plan's year unless told otherwise) and their
        numbers: (unit, at least, at most[, annex section, annex position])."""
        values = []
        for position, (fields, numbers) in enumerate(made, start=1):
            fields = {
                "measure": Measure.ADMISSIONS,
                "starts_on": date(plan.year, 1, 1),
                "ends_on": date(plan.year, 12, 31),
                **fields,
            }
            target = Target.objects.create(plan=plan, position=position, **fields)
            for unit, low, high, *annex in numbers:
                section, order = annex or ("", None)
                values.append(
                    TargetValue(
                        target=target,
                        unit=unit,
                        minimum=low,
                        maximum=high,
                        section=section,
                        position=order,
                    )
                )
        self.seeded.counts[Target._meta.label] += len(made)
        _create(TargetValue, values, self.seeded.counts)

    def history(self) -> None:
        """Admissions of the years before the first plan, as the Board would import them."""
        first = self.years[0]
        for year in range(first - HISTORY_YEARS, first):
            for unit in self.bearing:
                quota = max(1, WEIGHTS[unit.kind.code] * self.people // (len(self.bearing) * 10))
                self.rows.add(
                    HistoricalTotal,
                    unit_id=unit.pk,
                    measure=Measure.ADMISSIONS,
                    dated=date(year, 12, 31),
                    count=max(0, quota + self.rng.randint(-1, 1)),
                    quota=quota,
                    source=f"Báo cáo tổng kết công tác phát triển đảng viên năm {year}",
                    recorded_by_id=self.board.pk,
                )
        self.rows.close()


def _near(rng: random.Random, value: int) -> int:
    """A target near what happened: most met, some missed by a little."""
    return max(0, round(value * rng.uniform(0.8, 1.15)))


def _groups(person: dict) -> list[str]:
    """The groups an admission counts in for the seeding's own targets."""
    groups = [""]
    if person["youth_union_member"]:
        groups.append(PersonGroup.YOUTH_UNION)
    return groups


def _stage(stages: list[str]) -> str:
    """``candidates.services.candidate_stage_refresh`` on the stages of events not yet
    saved, in order."""
    steps = [s for s in stages if s != Stage.TRANSFERRED_OUT]
    if not steps:
        return Stage.IDENTIFIED
    stage = steps[-1]
    return Stage.PROBATIONARY if stage == Stage.CEREMONY else stage


def database_is_empty() -> bool:
    """No units, candidates or plans yet (the kinds and groups of a migration don't count)."""
    return not (Unit.objects.exists() or Candidate.objects.exists() or Plan.objects.exists())


@transaction.atomic
def seed_scale(
    *, units: int, candidates: int, years: int, seed: int = 2025, today: date | None = None
) -> Seeded:
    """Build a province of ``units`` units with ``candidates`` people over the last
    ``years`` years (the same data for the same arguments and day). The database must hold
    no units, candidates or plans."""
    province = Province(
        units=units,
        candidates=candidates,
        years=years,
        seed=seed,
        today=today or local_today(),
    )
    province.build_tree()
    province.accounts()
    province.plans()
    province.candidates()
    province.targets()
    province.history()
    candidates_due_recount()  # each waiting person's due day, as the services store it
    audit_record(
        actor=None,
        action="seed_scale",
        unit=province.root.unit,
        units=units,
        candidates=candidates,
        years=years,
        seed=seed,
    )
    return province.seeded


def scale_check(*, sample: int = 200, seed: int = 1) -> list[str]:
    """Compare ``sample`` seeded candidates with what the services compute from the same
    rows (the stage and due day from the events by ``candidate_stage_refresh``, the keys by
    ``Candidate.tidy``, the certificate from the passed nomination); returns the
    differences (none when the seeding derived them as the services do)."""
    ids = list(Candidate.objects.order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(sample, len(ids)))
    problems = []
    for candidate in Candidate.objects.filter(pk__in=chosen).prefetch_related("nominations"):
        stored = (
            candidate.stage,
            candidate.due_on,
            candidate.name_key,
            candidate.sort_key,
            candidate.citizen_id,
        )
        with transaction.atomic():
            candidate_stage_refresh(candidate)  # saves: rolled back below
            candidate.tidy()
            computed = (
                candidate.stage,
                candidate.due_on,
                candidate.name_key,
                candidate.sort_key,
                candidate.citizen_id,
            )
            transaction.set_rollback(True)
        if stored != computed:
            problems.append(f"{candidate.pk}: stored {stored}, services give {computed}")
        passed = [n for n in candidate.nominations.all() if n.certificate_number]
        if passed and (passed[-1].certificate_number, passed[-1].certificate_date) != (
            candidate.certificate_number,
            candidate.certificate_date,
        ):
            problems.append(f"{candidate.pk}: certificate differs from the class's")
    return problems
