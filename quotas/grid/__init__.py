"""The quota grid of a plan: every unit of its area × every target, edited at once, and its
Excel round trip (export; import shown as a preview before anything is saved).

- ``cells``: reading one typed or imported number, checking a pair, showing it;
- ``form``: the grid built from the database, bound to a POST, the baseline, the preview;
- ``xlsx``: the grid written as an .xlsx;
- ``upload``: an uploaded .xlsx read back into the grid's cells.

Nothing here writes to the database: ``quotas.grid_views`` checks access and hands the
changed cells to ``quotas.services.target_values_set``.
"""

from .cells import (
    EMPTY,
    MAX_NUMBER,
    MAX_SHARE,
    SIDES,
    Bounds,
    Key,
    bounds_problems,
    bounds_text,
    number_text,
    parse_number,
)
from .form import (
    Cell,
    Column,
    Grid,
    Row,
    baseline_decode,
    baseline_encode,
    grid_bind,
    grid_build,
    grid_fill,
    target_headers,
)
from .upload import (
    MAX_IMPORT_COLUMNS,
    MAX_IMPORT_ROWS,
    MAX_UPLOAD_BYTES,
    ImportProblem,
    ImportResult,
    grid_import,
)
from .xlsx import column_heading, export_stem, grid_export, side_label

__all__ = [
    "EMPTY",
    "MAX_IMPORT_COLUMNS",
    "MAX_IMPORT_ROWS",
    "MAX_NUMBER",
    "MAX_SHARE",
    "MAX_UPLOAD_BYTES",
    "SIDES",
    "Bounds",
    "Cell",
    "Column",
    "Grid",
    "ImportProblem",
    "ImportResult",
    "Key",
    "Row",
    "baseline_decode",
    "baseline_encode",
    "bounds_problems",
    "bounds_text",
    "column_heading",
    "export_stem",
    "grid_bind",
    "grid_build",
    "grid_export",
    "grid_fill",
    "grid_import",
    "number_text",
    "parse_number",
    "side_label",
    "target_headers",
]
