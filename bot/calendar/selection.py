"""Which posts an export covers: a period in the practice's zone, channels, states; and reading
them as a stream, so a calendar of any size is held one batch at a time.

The Slack `/calendar export [from] [to] [channel…] [status…]` and `clearpost export` both come
through `parse_selection`, so they accept the same words and refuse them with the same messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import Post, State
from bot.errors import UsageError
from bot.ports import PostQuery
from bot.workflow import Workflow

MAX_MONTHS = 36
PERIOD_EXAMPLE = "2026-12 2027-01, or 2026-12-01 2026-12-31"
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Selection:
    """Posts scheduled in [start, end) (aware), optionally only some channels and states."""

    start: datetime
    end: datetime
    zone: ZoneInfo
    channels: tuple[str, ...] = ()
    states: tuple[State, ...] = ()

    def query(self) -> PostQuery:
        return PostQuery(
            start=self.start,
            end=self.end,
            channels=self.channels or None,
            states=self.states or None,
        )

    @property
    def last_day(self) -> date:
        return (self.end.astimezone(self.zone) - timedelta(microseconds=1)).date()

    def describe(self) -> str:
        """'2026-12-01 to 2027-01-31 (America/New_York), channels x-main; states approved'."""
        text = (
            f"{self.start.astimezone(self.zone):%Y-%m-%d} to {self.last_day:%Y-%m-%d} "
            f"({self.zone.key})"
        )
        if self.channels:
            text += f", channels {', '.join(self.channels)}"
        if self.states:
            text += f"; states {', '.join(s.label for s in self.states)}"
        return text


def _month_start(year: int, month: int, zone: ZoneInfo) -> datetime:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=zone)


def default_period(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """This month and the next, in the practice's zone."""
    local = now.astimezone(zone)
    return _month_start(local.year, local.month, zone), _month_start(
        local.year, local.month + 2, zone
    )


def _bound(text: str, zone: ZoneInfo, *, end: bool) -> datetime:
    """`2026-12` or `2026-12-05`: its first moment, or (end=True) the moment after it."""
    raw = text.strip()
    try:
        if match := _MONTH.match(raw):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= 12:
                raise ValueError
            return _month_start(year, month + 1 if end else month, zone)
        if match := _DAY.match(raw):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            day += timedelta(days=1 if end else 0)
            return datetime(day.year, day.month, day.day, tzinfo=zone)
    except ValueError:
        pass
    which = "end" if end else "start"
    raise UsageError(f"“{raw}” is not a {which} date I can use.", PERIOD_EXAMPLE)


def parse_states(names: Sequence[str]) -> tuple[State, ...]:
    """`approved`, `in review`, `in-review`, `published`…; unknown names are refused."""
    found: list[State] = []
    for raw in names:
        key = raw.strip().lower().replace("-", "_").replace(" ", "_")
        if not key:
            continue
        try:
            found.append(State(key))
        except ValueError:
            known = ", ".join(s.value for s in State)
            raise UsageError(f"“{raw}” is not a post state. States: {known}.") from None
    return tuple(dict.fromkeys(found))


def parse_selection(
    workflow: Workflow,
    start: str | None = None,
    end: str | None = None,
    channels: Sequence[str] = (),
    states: Sequence[str] = (),
) -> Selection:
    """The period (default: this month and the next), channels and states, checked."""
    zone = workflow.zone
    default_start, default_end = default_period(workflow.clock.now(), zone)
    begin = _bound(start, zone, end=False) if start else default_start
    if end:
        finish = _bound(end, zone, end=True)
    elif start:
        # Only a start: that month (or day) and the next month, like the default.
        local = begin
        finish = _month_start(local.year, local.month + 2, zone)
    else:
        finish = default_end
    if finish <= begin:
        raise UsageError("The end of the period is before its start.", PERIOD_EXAMPLE)
    if finish > _month_start(begin.year, begin.month + MAX_MONTHS, zone):
        raise UsageError(
            f"That period is longer than {MAX_MONTHS} months; export it in parts.", PERIOD_EXAMPLE
        )
    picked = workflow.resolve_channels(channels) if any(c.strip() for c in channels) else ()
    return Selection(begin, finish, zone, tuple(picked), parse_states(states))


def stream_posts(workflow: Workflow, query: PostQuery, batch_size: int = 500) -> Iterator[Post]:
    """The posts of a query, oldest first, read in batches inside one read-only transaction."""
    with workflow.uow() as uow:
        yield from uow.posts.iter_posts(query, batch_size)
