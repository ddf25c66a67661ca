"""The practice's wall clock -> instants, across daylight-saving changes.

Quiet hours, blackout dates and working hours are written as local wall-clock times; turning
one into an instant needs care on the two DST nights: a wall time may not exist (the clocks
jump past it) or exist twice (the clocks go back). Pure functions; the zone is passed in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_MINUTE = timedelta(minutes=1)


def _exists(naive: datetime, zone: ZoneInfo, fold: int) -> datetime | None:
    aware = naive.replace(tzinfo=zone, fold=fold)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return None  # in the spring-forward gap
    return aware.astimezone(UTC)


def first_instant(naive: datetime, zone: ZoneInfo, not_before: datetime | None = None) -> datetime:
    """The first instant (UTC, not before `not_before`) at which the wall clock reads `naive`
    or, when that time is skipped by the clocks jumping forward, the moment they jump past it.

    On the night the clocks go back a wall time happens twice: the earlier one that is not
    before `not_before` is the answer.
    """
    found = sorted({i for fold in (0, 1) if (i := _exists(naive, zone, fold)) is not None})
    if not_before is not None:
        found = [i for i in found if i >= not_before]
    if found:
        return found[0]
    if not_before is not None and _exists(naive, zone, 0) is not None:
        return not_before  # both readings are past: now is already beyond that wall time
    # In the gap: fold=1 reads it with the later offset (an instant before the jump), fold=0
    # with the earlier one (after it); the jump is between, found to the minute.
    low = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    low, high = min(low, high), max(low, high)
    while high - low > _MINUTE:
        middle = low + (high - low) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle <= low:
            break
        if middle.astimezone(zone).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    answer = high
    return max(answer, not_before) if not_before is not None else answer


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The wall clock's reading (naive) at an instant."""
    return moment.astimezone(zone).replace(tzinfo=None)
