"""The "Summary" sheet: how many posts each week and each channel has, by state.

Counts are kept as the posts stream past, in dictionaries keyed by week and channel, so the
tally's size depends on the period and the channels, not on the number of posts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import Post, State
from bot.export.cells import DATE, HEADER, PLAIN, SUBTITLE, TITLE, cell


@dataclass
class Tally:
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

    def write(self, ws: Any, title: str, lines: Sequence[str]) -> None:
        ws.column_dimensions["A"].width = 22
        for column in "BCDEFGHIJ":
            ws.column_dimensions[column].width = 14
        ws.append([cell(ws, title, TITLE)])
        for line in lines:
            ws.append([cell(ws, line, PLAIN)])
        ws.append([])
        weeks = sorted({w for w, _ in self.weeks})
        self._table(
            ws,
            "Posts by week (week starting Monday) and state",
            "Week of",
            [
                (datetime(w.year, w.month, w.day), {s: self.weeks[(w, s)] for s in State})
                for w in weeks
            ],
        )
        ws.append([])
        names = sorted({c for c, _ in self.channels})
        self._table(
            ws,
            "Channel posts by channel and state (a post on two channels counts on each)",
            "Channel",
            [(name, {s: self.channels[(name, s)] for s in State}) for name in names],
        )

    @staticmethod
    def _table(
        ws: Any, heading: str, label: str, rows: Sequence[tuple[Any, dict[State, int]]]
    ) -> None:
        ws.append([cell(ws, heading, SUBTITLE)])
        ws.append([cell(ws, name, HEADER) for name in [label, *(s.label for s in State), "Total"]])
        totals: Counter[State] = Counter()
        for key, counts in rows:
            totals.update(counts)
            first = cell(ws, key, DATE) if isinstance(key, datetime) else cell(ws, key, PLAIN)
            ws.append([first, *(counts[s] for s in State), sum(counts.values())])
        ws.append([cell(ws, "Total", HEADER), *(totals[s] for s in State), sum(totals.values())])
