"""The demos and their data files: the district of Plan 145/KH-HU (2024, before the reform)
and a commune after the 1/7/2025 reform (Plan 12-KH/ĐU, 2026); helpers to read them."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@dataclass(frozen=True)
class Demo:
    """One demo: its tree and accounts, plans, classes, candidates and (optionally) the
    totals of the years before the app, each a file in fixtures/."""

    name: str
    tree: str
    plans: str
    classes: str
    candidates: str
    history: str = ""

    def path(self, part: str) -> Path | None:
        file = getattr(self, part)
        return FIXTURES / file if file else None


DEMOS = {
    "district": Demo(
        "district",
        tree="demo_district.json",
        plans="demo_plans.json",
        classes="demo_classes.json",
        candidates="demo_candidates.json",
        history="demo_history.csv",
    ),
    "commune": Demo(
        "commune",
        tree="demo_commune.json",
        plans="demo_commune_plans.json",
        classes="demo_commune_classes.json",
        candidates="demo_commune_candidates.json",
    ),
}
DEMO_FILE = FIXTURES / DEMOS["district"].tree


@cache
def demo_data(name: str = "district") -> dict:
    with DEMOS[name].path("tree").open(encoding="utf-8") as fh:
        return json.load(fh)


def demo_accounts() -> list[dict]:
    """The accounts of every demo, in the order the demos load (the login page lists them)."""
    return [account for name in DEMOS for account in demo_data(name)["accounts"]]


def split_full_name(full_name: str) -> tuple[str, str]:
    """("Nguyễn Thị Thu Hà") -> ("Nguyễn Thị Thu", "Hà"): family-and-middle, given name.

    Django's User keeps them as first_name/last_name and joins them in that order, so the
    full name reads the Vietnamese way.
    """
    family, _, given = full_name.strip().rpartition(" ")
    return family, given
