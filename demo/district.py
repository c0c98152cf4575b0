"""The demo district's data file (fixtures/demo_district.json) and helpers to read it."""

import json
from functools import cache
from pathlib import Path

from django.conf import settings

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_district.json"


@cache
def demo_data() -> dict:
    with DEMO_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def split_full_name(full_name: str) -> tuple[str, str]:
    """("Nguyễn Thị Thu Hà") -> ("Nguyễn Thị Thu", "Hà"): family-and-middle, given name.

    Django's User keeps them as first_name/last_name and joins them in that order, so the
    full name reads the Vietnamese way.
    """
    family, _, given = full_name.strip().rpartition(" ")
    return family, given
