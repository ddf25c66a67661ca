"""When nothing may publish: blackout periods and each channel's quiet hours.

A blackout (a tragedy, a holiday, an embargo) closes every channel, or only the ones it names,
from one instant to another. Quiet hours close one channel every day between two wall-clock
times of the practice (`x-main` not 22:00–07:00), read on the wall clock, so on the nights the
clocks change a quiet period is an hour shorter or longer, as the practice would expect.

Proposing or editing a post into a closed time is refused with the rule and the next allowed
time (drafting.py); an approved post caught by a rule added later is held at dispatch and a
person decides (dispatch.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import timeparse
from bot.errors import TimeNotUnderstood
from bot.wall_clock import first_instant, local

_MAX_STEPS = 1000  # rules that chain (quiet hours into a blackout into quiet hours …)


@dataclass(frozen=True)
class Blackout:
    """[start, end) as instants; no channels named means every channel."""

    start: datetime
    end: datetime
    reason: str
    channels: frozenset[str] = frozenset()

    @classmethod
    def local(
        cls,
        start: date | datetime,
        end: date | datetime,
        zone: ZoneInfo,
        reason: str,
        channels: Iterable[str] = (),
    ) -> Blackout:
        """From the practice's calendar: a date starts at its midnight, and an end date is the
        last closed day (24–26 Dec closes until 27 Dec 00:00); a naive time is local."""
        begin = _wall(start, zone)
        if isinstance(end, datetime):
            finish = _wall(end, zone)
        else:
            finish = first_instant(datetime.combine(end + timedelta(days=1), time()), zone)
        if finish <= begin:
            raise ValueError(f"the blackout “{reason}” ends before it starts")
        return cls(begin, finish, reason, frozenset(c.lower() for c in channels))

    def applies_to(self, channel: str) -> bool:
        return not self.channels or channel in self.channels


def _wall(moment: date | datetime, zone: ZoneInfo) -> datetime:
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time())
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return first_instant(moment, zone)


@dataclass(frozen=True)
class QuietHours:
    """One channel closed every day from `start` to `end` on the wall clock (may wrap midnight)."""

    channel: str
    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError(f"quiet hours for {self.channel} start and end at the same time")

    def covers(self, wall: time) -> bool:
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end

    def ends_after(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """When the quiet period that covers `moment` ends."""
        now = local(moment, zone)
        day = now.date()
        if self.start > self.end and now.time() >= self.start:
            day += timedelta(days=1)  # started this evening, ends tomorrow morning
        return first_instant(datetime.combine(day, self.end), zone, not_before=moment)

    def describe(self) -> str:
        return f"quiet hours for {self.channel} ({self.start:%H:%M}–{self.end:%H:%M})"


@dataclass(frozen=True)
class Closure:
    """One rule that closes a channel at a moment, and when it lets go."""

    rule: str  # "blackout “Embargo”", "quiet hours for x-main (22:00–07:00)"
    until: datetime


class PublishingClosed(TimeNotUnderstood):
    """A publish time inside a blackout or a channel's quiet hours."""

    def __init__(self, channel: str, at: str, closure: Closure, next_open: str) -> None:
        self.channel = channel
        self.closure = closure
        super().__init__(
            f"{channel} may not publish {at}: {closure.rule}. The next allowed time is {next_open}."
        )


@dataclass(frozen=True)
class ScheduleRules:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    blackouts: tuple[Blackout, ...] = ()
    quiet_hours: tuple[QuietHours, ...] = ()

    def closure(self, channel: str, moment: datetime) -> Closure | None:
        """The rule that closes `channel` at `moment` (the one that lets go last), or None."""
        found: list[Closure] = []
        for blackout in self.blackouts:
            if blackout.applies_to(channel) and blackout.start <= moment < blackout.end:
                found.append(Closure(f"blackout “{blackout.reason}”", blackout.end))
        wall = local(moment, self.zone).time()
        for quiet in self.quiet_hours:
            if quiet.channel == channel and quiet.covers(wall):
                found.append(Closure(quiet.describe(), quiet.ends_after(moment, self.zone)))
        return max(found, key=lambda c: c.until) if found else None

    def next_open(self, channels: Sequence[str], moment: datetime) -> datetime:
        """The first moment from `moment` on when every one of `channels` may publish."""
        for _ in range(_MAX_STEPS):
            closures = [c for ch in channels if (c := self.closure(ch, moment)) is not None]
            if not closures:
                return moment
            moment = max(c.until for c in closures)
        raise ValueError(f"{', '.join(channels)} never open: check the quiet hours and blackouts")

    def check(self, channels: Sequence[str], moment: datetime) -> None:
        """Refuse a publish time that any of the channels may not use, naming the rule."""
        for channel in channels:
            closure = self.closure(channel, moment)
            if closure is not None:
                opens = self.next_open(channels, moment)
                raise PublishingClosed(
                    channel,
                    timeparse.describe(moment, self.zone),
                    closure,
                    timeparse.describe(opens, self.zone),
                )
