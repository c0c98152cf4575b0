"""Historical totals (years before the app) from a file: its columns, the reading and
checking of an .xlsx upload or a CSV text, and the template to fill in. Writes go through
``quotas.services.historical_totals_import``."""

from .columns import Column, history_columns, template_columns
from .read import (
    HistoryRead,
    HistoryRow,
    Problem,
    history_read,
    history_read_csv,
    history_read_xlsx,
)
from .xlsx import history_template

__all__ = [
    "Column",
    "HistoryRead",
    "HistoryRow",
    "Problem",
    "history_columns",
    "history_read",
    "history_read_csv",
    "history_read_xlsx",
    "history_template",
    "template_columns",
]
