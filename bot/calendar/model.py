"""What every calendar shows, whatever draws it (a workbook, an iCalendar feed).

Posts arrive one at a time as they stream; the month grid keeps only what it will show (at most
MAX_PER_DAY short lines per day, and a count) and the tally only counts by week and channel, so
their memory depends on the period and the channels, never on the number of posts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import Post, State

# The posts a feed that leaves the building shows: approved ones, not drafts in review.
FEED_STATES = (State.APPROVED, State.PUBLISHING, State.PUBLISHED, State.FAILED)
MAX_PER_DAY = 8
FIRST_WORDS = 60  # characters of the text shown for a post in a day or an event's title


def first_words(text: str, limit: int = FIRST_WORDS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut + "…"


@dataclass
class Day:
    shown: list[tuple[str, State]] = field(default_factory=list)
    total: int = 0


@dataclass
class MonthGrid:
    """Collects the posts of [start, end) by local day, as "09:00 x-main, blog · Flu shots…"."""

    start: datetime
    end: datetime
    zone: ZoneInfo
    days: dict[date, Day] = field(default_factory=lambda: defaultdict(Day))

    def add(self, post: Post, channels: tuple[str, ...]) -> None:
        local = post.scheduled_at.astimezone(self.zone)
        if not self.start <= post.scheduled_at < self.end:
            return
        day = self.days[local.date()]
        day.total += 1
        if len(day.shown) < MAX_PER_DAY:
            line = f"{local:%H:%M} {', '.join(channels)} · {first_words(post.content.text)}"
            day.shown.append((line, post.state))

    def months(self) -> list[tuple[int, int]]:
        first = self.start.astimezone(self.zone)
        last = (self.end - timedelta(microseconds=1)).astimezone(self.zone)
        found = []
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


@dataclass
class Tally:
    """How many posts each week (starting Monday) and each channel has, by state."""

    zone: ZoneInfo
    weeks: Counter[tuple[date, State]] = field(default_factory=Counter)
    channels: Counter[tuple[str, State]] = field(default_factory=Counter)
    posts: int = 0
    rows: int = 0

    def add(self, post: Post, channels: Sequence[str]) -> None:
        local = post.scheduled_at.astimezone(self.zone).date()
        monday = local - timedelta(days=local.weekday())
        self.weeks[(monday, post.state)] += 1
        for channel in channels:
            self.channels[(channel, post.state)] += 1
        self.posts += 1
        self.rows += len(channels)
