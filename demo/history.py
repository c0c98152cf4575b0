"""Load the demo's totals of 2019–2023 (fixtures/demo_history.csv) for the units of Plan
145/KH-HU's annex, through the same checks and service as the Board's Excel import.

Idempotent: a second run finds every number in place and writes nothing; a number changed
by hand is put back.
"""

from pathlib import Path

from django.conf import settings

from core.dates import today
from quotas.history import history_read_csv
from quotas.services import historical_totals_import

DEMO_HISTORY_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_history.csv"


def demo_history_load(path: Path = DEMO_HISTORY_FILE) -> tuple[int, int]:
    """Create or put back the demo's historical totals; returns (created, updated)."""
    text = path.read_text(encoding="utf-8")
    read = history_read_csv(text, user=None, today=today())
    if not read.ok:
        raise ValueError(f"{path.name}: " + "; ".join(read.messages))
    plan = historical_totals_import(actor=None, rows=read.rows)
    return plan.created, plan.updated
