"""One person's road through the demo year: who they are and the steps they take, with
the constants the story is told with."""

import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings

from candidates.choices import Stage
from candidates.models import Candidate
from units.models import Unit

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
class Step:
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
class Road:
    """One person's year: who they are (a person to create, or someone from the 2024
    classes), their file and their steps."""

    unit: Unit
    existing: Candidate | None = None
    person: dict | None = None
    fields: dict = field(default_factory=dict)  # set before the file (e.g. union resolution)
    certificate: tuple[str, date] | None = None  # from a class before the app
    documents: list[tuple[str, date, str]] = field(default_factory=list)
    introducers: list[dict] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    after_transfer: dict = field(default_factory=dict)


def votes(rng: random.Random, members: int) -> int:
    """Votes in favour: most of the cell, never below 2/3 of all its full members."""
    needed = -(-2 * members // 3)
    return max(needed, members - rng.choice((0, 0, 1, 1, 2, 3)))


MAY_17 = date(2024, 5, 17)
MAY_19 = date(2024, 5, 19)


def road_born(road: Road) -> date:
    return road.existing.date_of_birth if road.existing else road.person["date_of_birth"]


def class_pool(unit: Unit, prefix: str, **filters) -> list[Candidate]:
    """The people of a 2024 class at ``unit`` who got a certificate, in a fixed order."""
    qs = Candidate.objects.filter(unit=unit, certificate_number__startswith=prefix, **filters)
    return list(qs.order_by("date_of_birth", "pk"))
