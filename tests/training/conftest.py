from datetime import date

import pytest

from candidates.models import Candidate
from demo.people import demo_person
from quotas.models import Plan
from training.choices import ClassStatus
from training.models import TrainingClass
from training.services import class_save

# Round 1 of Plan 145: nominations from 20/03/2024, student class on Sundays 7 and 14 April.
SUBMIT_DAY = date(2024, 3, 25)
DEADLINE = date(2024, 3, 29)


@pytest.fixture
def plan145(demo):
    return Plan.objects.get(number="145/KH-HU")


@pytest.fixture
def board(demo_user):
    return demo_user("bantochuc")


@pytest.fixture
def make_class(plan145, board, demo):
    def make(
        *,
        audience="students",
        round_number=1,
        sessions=(date(2024, 4, 7), date(2024, 4, 14)),
        deadline=DEADLINE,
        status=ClassStatus.OPEN,
        prefix="HS1/2024-",
    ):
        return class_save(
            actor=board,
            training_class=TrainingClass(
                plan=plan145,
                round=plan145.rounds.get(number=round_number),
                name=f"Lớp {audience} đợt {round_number}",
                audience=audience,
                organiser=demo["TTCT-HH"],
                nomination_deadline=deadline,
                status=status,
                certificate_prefix=prefix,
            ),
            session_dates=sessions,
        )

    return make


@pytest.fixture
def student_class(make_class):
    return make_class()


@pytest.fixture
def people():
    """``people(unit, n)``: n new candidates of ``unit`` with Vietnamese names."""
    import random

    rng = random.Random(7)
    counter = iter(range(1, 10**6))

    def make(unit, n: int, **fields) -> list[Candidate]:
        made = []
        for _ in range(n):
            person = demo_person(
                rng, born_from=date(2006, 1, 1), born_to=date(2006, 12, 31), serial=next(counter)
            )
            person.update(fields)
            made.append(Candidate.objects.create(unit=unit, category="student", **person))
        return made

    return make


@pytest.fixture
def at_day(monkeypatch):
    """Make "today" a given day for the services and views of the training app."""

    def set_day(day: date):
        monkeypatch.setattr("training.services._today", lambda: day)
        monkeypatch.setattr("training.views.lists.today", lambda: day)
        monkeypatch.setattr("training.views.attendance.today", lambda: day)

    return set_day
