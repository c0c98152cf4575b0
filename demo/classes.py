"""A demo's classes, played through: the four 2024 classes of Plan 145/KH-HU
(fixtures/demo_classes.json), the commune's four 2026 classes (demo_commune_classes.json).

Every unit with a nominee quota builds its list and submits it before the deadline, the
Board accepts most people and returns a few with a reason, attendance and results are
recorded and certificates issued — all through the services, as users would, with
generated people (deterministic: the same demo every time). Idempotent: a class that
exists is left as it is.
"""

import json
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate
from candidates.selectors import unit_category
from candidates.services import candidate_save
from quotas.models import Plan, plan_number_key
from training.choices import ClassStatus, NominationStatus, Result
from training.models import TrainingClass
from training.selectors import nominating_units, unit_round_bounds
from training.services import (
    attendance_set,
    certificates_issue,
    class_save,
    class_status_set,
    nominations_review,
    nominee_add,
    nominee_list_open,
    nominee_list_submit,
    results_set,
)
from units.choices import Role
from units.models import RoleAssignment, Unit

from .people import demo_person

DEMO_CLASSES_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_classes.json"
SCHOOL_CLASSES = ("11A1", "11A2", "11A3", "12A1", "12A2", "12A3", "12A4", "12A5", "12A6")


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _board_user(username: str | None = None):
    """The Board user who plays the classes: the one the data file names, else the first."""
    qs = RoleAssignment.objects.filter(role=Role.BOARD).select_related("user").order_by("pk")
    if username:
        qs = qs.filter(user__username=username)
    ra = qs.first()
    return ra.user if ra else None


def _how_many(rng: random.Random, bounds) -> int:
    """Most units send their quota or one or two more; some fall a little short."""
    low = bounds[0] or bounds[1] or 0
    roll = rng.random()
    if roll < 0.15:
        return max(1, low - rng.randint(1, 2))
    if roll < 0.55:
        return low
    return low + rng.randint(1, 2)


@transaction.atomic
def demo_classes_load(path: Path = DEMO_CLASSES_FILE) -> int:
    """Create and play the classes of ``path`` that do not exist yet; returns how many."""
    data = json.loads(path.read_text(encoding="utf-8"))
    plan = Plan.objects.filter(number_key=plan_number_key(data["plan"])).first()
    organiser = Unit.objects.filter(code=data["organiser"]).first()
    board = _board_user(data.get("board"))
    if plan is None or organiser is None or board is None:
        return 0
    rng = random.Random(data.get("seed", 145))
    serial = data.get("serial_from", 100_000)
    created = 0
    for spec in data["classes"]:
        if TrainingClass.objects.filter(plan=plan, name=spec["name"]).exists():
            continue
        sessions = [_day(d) for d in spec["sessions"]]
        deadline = _day(spec["deadline"])
        cls = class_save(
            actor=board,
            training_class=TrainingClass(
                plan=plan,
                round=plan.rounds.get(number=spec["round"]),
                name=spec["name"],
                audience=spec["audience"],
                organiser=organiser,
                venue=data["venue"],
                capacity=spec["capacity"],
                nomination_deadline=deadline,
                status=ClassStatus.OPEN,
                certificate_prefix=spec["certificate_prefix"],
            ),
            session_dates=sessions,
        )
        for unit in nominating_units(user=board, training_class=cls):
            bounds = unit_round_bounds(unit=unit, round_=cls.round)
            if not bounds:
                continue
            nominee_list = nominee_list_open(actor=board, training_class=cls, unit=unit)
            submitted_on = deadline - timedelta(days=rng.randint(0, 6))
            for _ in range(_how_many(rng, bounds)):
                serial += 1
                candidate = _new_candidate(
                    rng, actor=board, unit=unit, on=sessions[0], serial=serial
                )
                nominee_add(
                    actor=board, nominee_list=nominee_list, candidate=candidate, today=submitted_on
                )
            nominee_list_submit(actor=board, nominee_list=nominee_list, today=submitted_on)
            nominations = list(nominee_list.nominations.select_related("candidate"))
            returned = [n for n in nominations if rng.random() < 0.04]
            if returned:
                nominations_review(
                    actor=board,
                    nominations=returned,
                    accept=False,
                    reason=rng.choice(data["return_reasons"]),
                )
            nominations_review(
                actor=board,
                nominations=[n for n in nominations if n not in returned],
                accept=True,
            )
        _play_class(rng, board=board, cls=cls, spec=spec)
        created += 1
    return created


def _new_candidate(rng: random.Random, *, actor, unit: Unit, on: date, serial: int) -> Candidate:
    category = unit_category(unit)
    if category == "student":
        person = demo_person(
            rng,
            born_from=date(on.year - 18, 1, 1),
            born_to=date(on.year - 17, 12, 31),
            serial=serial,
        )
        grade = rng.choice(SCHOOL_CLASSES)
        person.update(school_class=grade, youth_union_member=True)
        # The school year ends in May: a 12th-grader in an autumn class graduates next year.
        school_year_ends = on.year + (1 if on.month >= 8 else 0)
        person["graduation_year"] = school_year_ends + (1 if grade.startswith("11") else 0)
    else:
        person = demo_person(
            rng, born_from=date(1985, 1, 1), born_to=date(2002, 12, 31), serial=serial
        )
        person.update(
            youth_union_member=person["date_of_birth"].year >= on.year - 30 and rng.random() < 0.6,
            trade_union_member=unit.has_trade_union,
        )
    return candidate_save(
        actor=actor, candidate=Candidate(unit=unit, category=category or "other", **person)
    )


def _play_class(rng: random.Random, *, board, cls: TrainingClass, spec: dict) -> None:
    """Attendance (most people at every session), results and certificates."""
    sessions = list(cls.sessions.all())
    accepted = list(cls.nominations.filter(status=NominationStatus.ACCEPTED))
    absent = {n.pk for n in accepted if rng.random() < 0.03}
    present = {
        s.pk: [n.pk for n in accepted if n.pk not in absent and rng.random() < 0.96]
        for s in sessions
    }
    attendance_set(actor=board, training_class=cls, present=present)
    results = {}
    for n in accepted:
        if n.pk in absent or not any(n.pk in present[s.pk] for s in sessions):
            results[n.pk] = Result.ABSENT  # at no session: absent, never failed
        elif all(n.pk in present[s.pk] for s in sessions):
            results[n.pk] = Result.PASSED if rng.random() < 0.98 else Result.FAILED
        else:
            results[n.pk] = Result.FAILED
    results_set(actor=board, training_class=cls, results=results)
    certificates_issue(actor=board, training_class=cls, dated=_day(spec["certificates_on"]))
    class_status_set(actor=board, training_class=cls, status=ClassStatus.FINISHED)
    # The lists were submitted on their (past) dates; say so on the list, not "today" (a
    # demo-only backdating that no service offers, so it is written here).
    for nominee_list in cls.lists.all():
        first = nominee_list.nominations.order_by("nominated_on").first()
        if first and first.nominated_on:
            nominee_list.submitted_at = timezone.make_aware(
                datetime.combine(first.nominated_on, time(9, 0))
            )
            nominee_list.save(update_fields=["submitted_at"])
