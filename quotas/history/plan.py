"""What importing checked rows of historical totals would do, before anything is saved:
every total new, updated or unchanged (read by the preview and by
``quotas.services.historical_totals_import``)."""

from collections.abc import Iterable
from dataclasses import dataclass

from ..choices import Measure, PersonGroup
from ..models import HistoricalTotal
from .read import HistoryRow

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


@dataclass
class TotalChange:
    """One number of an imported row and the total it becomes (not saved yet)."""

    row: HistoryRow
    total: HistoricalTotal
    status: str  # NEW, UPDATED or UNCHANGED
    fields: list[str]  # the fields an update changes


@dataclass
class HistoricalImportPlan:
    """What importing checked rows does: every total, new, updated or unchanged."""

    changes: list[TotalChange]

    def _count(self, status: str) -> int:
        return sum(c.status == status for c in self.changes)

    @property
    def created(self) -> int:
        return self._count(NEW)

    @property
    def updated(self) -> int:
        return self._count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def unit_count(self) -> int:
        return len({c.total.unit_id for c in self.changes})

    @property
    def years(self) -> str:
        """ "2019–2023", or "2021" for one year."""
        years = sorted({c.row.year for c in self.changes})
        if not years:
            return ""
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"

    def row_status(self) -> dict[int, str]:
        """{row number: NEW, UPDATED or UNCHANGED}: new when all its totals are new."""
        found: dict[int, set[str]] = {}
        for change in self.changes:
            found.setdefault(change.row.row, set()).add(change.status)
        return {
            row: NEW if statuses == {NEW} else UNCHANGED if statuses == {UNCHANGED} else UPDATED
            for row, statuses in found.items()
        }


def historical_totals_plan(*, rows: Iterable[HistoryRow]) -> HistoricalImportPlan:
    """The totals that checked rows (``quotas.history``) give, each carrying its new
    values: one per number, dated 31/12 of the row's year, the quota on the admissions
    total for everyone, the row's source on each (an empty source keeps the saved one)."""
    rows = list(rows)
    existing = {
        (t.unit_id, t.measure, t.group, t.dated): t
        for t in HistoricalTotal.objects.filter(
            unit_id__in={r.unit.pk for r in rows}, dated__in={r.dated for r in rows}
        )
    }
    changes = []
    for row in rows:
        for (measure, group), count in row.counts.items():
            key = (row.unit.pk, measure, group, row.dated)
            total = existing.get(key) or HistoricalTotal(
                unit=row.unit, measure=measure, group=group, dated=row.dated
            )
            wanted: dict[str, object] = {"count": count}
            if (measure, group) == (Measure.ADMISSIONS, PersonGroup.EVERYONE):
                if row.quota is not None:
                    wanted["quota"] = row.quota
            if row.source:
                wanted["source"] = row.source
            fields = [name for name, value in wanted.items() if getattr(total, name) != value]
            for name in fields:
                setattr(total, name, wanted[name])
            if total.pk is None:
                status = NEW
            else:
                status = UPDATED if fields else UNCHANGED
            changes.append(TotalChange(row, total, status, fields))
    return HistoricalImportPlan(changes)
