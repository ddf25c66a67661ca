"""The "Calendar" sheet: one grid per month (weeks as rows, Monday first), each day listing its
posts as "09:00 x-main, blog · Flu shots are in…", each post's cell filled with its state's color.

Posts arrive one at a time while the "Posts" sheet streams; the grid keeps only what it will show
(at most MAX_PER_DAY short lines per day, and a count), so its memory depends on the number of
days, never on the number of posts.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl.worksheet.cell_range import CellRange

from bot.domain import Post, State
from bot.export.cells import DAY, HEADER, OUTSIDE, SUBTITLE, TITLE, cell, state_style

MAX_PER_DAY = 8
FIRST_WORDS = 60  # characters of the text shown in a day's cell
DAY_COLUMN_WIDTH = 30
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def first_words(text: str, limit: int = FIRST_WORDS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut + "…"


@dataclass
class _Day:
    shown: list[tuple[str, State]] = field(default_factory=list)
    total: int = 0


@dataclass
class MonthGrid:
    """Collects the posts of [start, end) by local day, then writes the month grids."""

    start: datetime
    end: datetime
    zone: ZoneInfo
    days: dict[date, _Day] = field(default_factory=lambda: defaultdict(_Day))

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

    def write(self, ws: Any, title: str) -> None:
        for column in "ABCDEFGHI":
            ws.column_dimensions[column].width = DAY_COLUMN_WIDTH if column < "H" else 18
        ws.append([cell(ws, title, TITLE)])
        legend: list[Any] = [cell(ws, "Legend:", SUBTITLE)]
        legend += [cell(ws, state.label, state_style(state)) for state in State]
        ws.append(legend)
        row = 2
        for year, month in self.months():
            row = self._write_month(ws, year, month, row)

    def _write_month(self, ws: Any, year: int, month: int, row: int) -> int:
        ws.append([])
        ws.append([cell(ws, f"{calendar.month_name[month]} {year}", SUBTITLE)])
        row += 2
        ws.merged_cells.add(CellRange(min_col=1, min_row=row, max_col=7, max_row=row))
        ws.append([cell(ws, name, HEADER) for name in WEEKDAYS])
        row += 1
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            ws.append(
                [
                    cell(ws, datetime(d.year, d.month, d.day), DAY)
                    if d.month == month
                    else cell(ws, None, OUTSIDE)
                    for d in week
                ]
            )
            row += 1
            in_month = [self.days.get(d) if d.month == month else None for d in week]
            height = max(
                (len(d.shown) + (d.total > len(d.shown)) for d in in_month if d), default=0
            )
            for slot in range(max(height, 1)):
                ws.append([self._slot(ws, day, slot) for day in in_month])
                row += 1
        return row

    @staticmethod
    def _slot(ws: Any, day: _Day | None, slot: int) -> Any:
        if day is None:
            return None
        if slot < len(day.shown):
            line, state = day.shown[slot]
            return cell(ws, line, state_style(state))
        if slot == len(day.shown) and day.total > len(day.shown):
            return cell(ws, f"+ {day.total - len(day.shown)} more (see Posts)")
        return None
