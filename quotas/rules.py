"""Pure rules of quota progress: plain values in, plain values out; no database."""

from dataclasses import dataclass
from datetime import date

from .choices import Status


@dataclass(frozen=True)
class Verdict:
    status: Status
    expected: int | None  # how many should be counted by now, at an even pace
    over_maximum: bool


def expected_by(*, minimum: int, start: date, end: date, on: date) -> int:
    """How many of ``minimum`` an even pace reaches by ``on`` (whole number, rounded down).

    Nothing is expected before the period starts; everything by its last day.
    """
    if on < start:
        return 0
    if on >= end:
        return minimum
    elapsed = (on - start).days + 1
    length = (end - start).days + 1
    return minimum * elapsed // length


def progress_status(
    *,
    actual: int,
    minimum: int | None,
    maximum: int | None,
    start: date,
    end: date,
    on: date,
    total: int | None = None,
) -> Verdict:
    """Where a target stands on ``on``.

    * count targets: *met* once ``actual`` reaches the minimum (a target with only a maximum
      is met while it is not exceeded); before the deadline *on track* while ``actual`` keeps
      an even pace from ``start`` to ``end``, else *behind*; after it, *missed*.
    * shares (``total`` given: ``actual`` of ``total``, bounds in percent): *met* while the
      share reaches the minimum; with nothing counted yet, *on track* before the deadline;
      below the minimum, *behind* before the deadline and *missed* after it.
    """
    past = on > end
    if total is not None:
        percent = None if total == 0 else 100 * actual / total
        over = maximum is not None and percent is not None and percent > maximum
        if percent is None:
            return Verdict(Status.MISSED if past and minimum else Status.ON_TRACK, None, False)
        if minimum is None or percent >= minimum:
            return Verdict(Status.MET, None, over)
        return Verdict(Status.MISSED if past else Status.BEHIND, None, over)

    over = maximum is not None and actual > maximum
    if minimum is None:
        # Only a ceiling: met while not exceeded.
        return Verdict(Status.MISSED if over else Status.MET, None, over)
    if actual >= minimum:
        return Verdict(Status.MET, minimum, over)
    if past:
        return Verdict(Status.MISSED, minimum, over)
    expected = expected_by(minimum=minimum, start=start, end=end, on=on)
    return Verdict(Status.ON_TRACK if actual >= expected else Status.BEHIND, expected, over)
