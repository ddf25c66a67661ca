"""The "Summary" sheet: how many posts each week and each channel has, by state.

The counts are kept by bot.calendar.model.Tally as the posts stream past; this module only draws
them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from adapters.spreadsheets.cells import DATE, HEADER, PLAIN, SUBTITLE, TITLE, cell
from bot.calendar.model import Tally
from bot.domain import State


def write_summary(ws: Any, tally: Tally, title: str, lines: Sequence[str]) -> None:
    ws.column_dimensions["A"].width = 22
    for column in "BCDEFGHIJ":
        ws.column_dimensions[column].width = 14
    ws.append([cell(ws, title, TITLE)])
    for line in lines:
        ws.append([cell(ws, line, PLAIN)])
    ws.append([])
    weeks = sorted({w for w, _ in tally.weeks})
    _table(
        ws,
        "Posts by week (week starting Monday) and state",
        "Week of",
        [
            (datetime(w.year, w.month, w.day), {s: tally.weeks[(w, s)] for s in State})
            for w in weeks
        ],
    )
    ws.append([])
    names = sorted({c for c, _ in tally.channels})
    _table(
        ws,
        "Channel posts by channel and state (a post on two channels counts on each)",
        "Channel",
        [(name, {s: tally.channels[(name, s)] for s in State}) for name in names],
    )


def _table(ws: Any, heading: str, label: str, rows: Sequence[tuple[Any, dict[State, int]]]) -> None:
    ws.append([cell(ws, heading, SUBTITLE)])
    ws.append([cell(ws, name, HEADER) for name in [label, *(s.label for s in State), "Total"]])
    totals: Counter[State] = Counter()
    for key, counts in rows:
        totals.update(counts)
        first = cell(ws, key, DATE) if isinstance(key, datetime) else cell(ws, key, PLAIN)
        ws.append([first, *(counts[s] for s in State), sum(counts.values())])
    ws.append([cell(ws, "Total", HEADER), *(totals[s] for s in State), sum(totals.values())])
