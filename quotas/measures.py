"""Where the counts behind every target come from.

A *counter* answers one question: "how many records of this measure, for these people,
dated in this period (or in this class round), are there at each unit?" and returns
``{unit_id: count}``. Apps register their counters when they load (``AppConfig.ready``):
the training app counts nominees and certificates, the candidates app introductions and
admission decisions; ``quotas`` itself counts the historical totals of years before the app.
The progress selector sums every registered counter, so a new source of records plugs in
without touching it.

A *due source* answers the other question progress needs for the measures that happen
once, at a fixed day, rather than all year (``STEP_MEASURES``): "by which day must each
unit have its records?" — for nominees, the nomination deadline of the classes its people
may attend. The training app registers it; progress expects nothing of a unit before its
day (``quotas.rules.expected_by``).
"""

from collections import Counter as Tally
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from .choices import Measure

# Measures counted in one go, by a day of a class, not spread over the period: nominees are
# sent once per class, by its nomination deadline; certificates are dated at its end.
STEP_MEASURES = frozenset({Measure.NOMINATIONS, Measure.CERTIFICATIONS})


@dataclass(frozen=True)
class CountQuery:
    measure: str
    start: date
    end: date
    group: str = ""
    round_id: int | None = None
    unit_ids: frozenset[int] | None = None  # None: every unit


CounterFunc = Callable[[CountQuery], dict[int, int]]

_counters: dict[str, CounterFunc] = {}


def counter_register(name: str, func: CounterFunc) -> None:
    """Register (or replace) the counter called ``name``."""
    _counters[name] = func


def counter_unregister(name: str) -> None:
    _counters.pop(name, None)


# The answers of the block in ``counts_shared``, by question (None outside one).
_shared: ContextVar[dict[CountQuery, dict[int, int]] | None] = ContextVar(
    "quotas_counts_shared", default=None
)


@contextmanager
def counts_shared() -> Iterator[None]:
    """Within the block each question is counted once: the targets of one plan often ask the
    same (two "admissions, everyone, this year" targets; a share's total is another
    target's count)."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def count_by_unit(query: CountQuery) -> dict[int, int]:
    """The sum of every registered counter's answer."""
    shared = _shared.get()
    if shared is not None and query in shared:
        return dict(shared[query])
    total: Tally[int] = Tally()
    for func in list(_counters.values()):
        total.update(func(query))
    if shared is not None:
        shared[query] = dict(total)
    return dict(total)


@dataclass(frozen=True)
class DueQuery:
    measure: str
    plan_id: int
    round_id: int | None
    start: date
    end: date


DueFunc = Callable[[DueQuery, list], dict[int, date]]

_due_sources: dict[str, DueFunc] = {}


def due_register(name: str, func: DueFunc) -> None:
    """Register (or replace) the due source called ``name``: ``func(query, units)`` returns
    ``{unit_id: day}`` for those of ``units`` (with ``kind`` loaded) that have one."""
    _due_sources[name] = func


def due_by_unit(query: DueQuery, units: list) -> dict[int, date]:
    """The latest day any registered source gives each unit."""
    days: dict[int, date] = {}
    for func in list(_due_sources.values()):
        for unit_id, day in func(query, units).items():
            if unit_id not in days or day > days[unit_id]:
                days[unit_id] = day
    return days


def historical_counter(query: CountQuery) -> dict[int, int]:
    """Totals typed in for years before the app (``HistoricalTotal``), by their date.

    They have no class round; a round's quota counts them by the round's dates.
    """
    from .models import HistoricalTotal

    qs = HistoricalTotal.objects.filter(
        measure=query.measure,
        group=query.group,
        dated__gte=query.start,
        dated__lte=query.end,
    )
    if query.unit_ids is not None:
        qs = qs.filter(unit_id__in=query.unit_ids)
    qs = qs.order_by()  # no join for the model's order (by the unit's path)
    return dict(qs.values("unit_id").annotate(n=Sum("count")).values_list("unit_id", "n"))
