"""Working time in the practice's zone: how long a proposal has really waited for a decision.

An SLA of four working hours from Friday 16:00 ends Monday 10:00, not Friday 20:00. The working
day is read on the practice's wall clock, so across a daylight-saving change the day still runs
08:00–18:00 local, whatever that is in UTC. Pure: the caller passes the moments in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.wall_clock import first_instant, local

WEEKDAYS = frozenset(range(5))  # Monday 0 … Friday 4, as date.weekday() counts
_LOOK_AHEAD_DAYS = 8  # a week always holds a working day when `days` is not empty


@dataclass(frozen=True)
class WorkingHours:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    start: time = time(8)
    end: time = time(18)
    days: frozenset[int] = WEEKDAYS

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError("the working day must end after it starts (no overnight shifts)")
        if not self.days or not self.days <= set(range(7)):
            raise ValueError("name at least one working day, 0 (Monday) to 6 (Sunday)")

    def window(self, moment: datetime) -> tuple[datetime, datetime]:
        """The working period that contains `moment`, or the next one after it (instants)."""
        day = local(moment, self.zone).date()
        for offset in range(_LOOK_AHEAD_DAYS):
            current = day + timedelta(days=offset)
            if current.weekday() not in self.days:
                continue
            opens = first_instant(datetime.combine(current, self.start), self.zone)
            closes = first_instant(datetime.combine(current, self.end), self.zone)
            if closes > moment:
                return opens, closes
        raise AssertionError("unreachable: a week always has a working day")

    def add(self, moment: datetime, duration: timedelta) -> datetime:
        """The instant by which `duration` of working time has passed since `moment`."""
        remaining = duration
        cursor = moment
        while True:
            opens, closes = self.window(cursor)
            cursor = max(cursor, opens)
            if remaining <= closes - cursor:
                return cursor + remaining
            remaining -= closes - cursor
            cursor = closes

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from `start` to `end` (zero when `end` is not after `start`)."""
        total = timedelta(0)
        cursor = start
        while cursor < end:
            opens, closes = self.window(cursor)
            if opens >= end:
                break
            total += min(closes, end) - max(cursor, opens)
            cursor = closes
        return total
