"""The "Calendar" sheet: one grid per month (weeks as rows, Monday first), each day listing its
posts as "09:00 x-main, blog · Flu shots are in…", each post's cell filled with its state's color.

What each day shows is collected by bot.calendar.model.MonthGrid while the "Posts" sheet streams;
this module only draws it.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Any

from openpyxl.worksheet.cell_range import CellRange

from adapters.spreadsheets.cells import DAY, HEADER, OUTSIDE, SUBTITLE, TITLE, cell, state_style
from bot.calendar.model import Day, MonthGrid
from bot.domain import State

DAY_COLUMN_WIDTH = 30
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def write_month_grid(ws: Any, grid: MonthGrid, title: str) -> None:
    for column in "ABCDEFGHI":
        ws.column_dimensions[column].width = DAY_COLUMN_WIDTH if column < "H" else 18
    ws.append([cell(ws, title, TITLE)])
    legend: list[Any] = [cell(ws, "Legend:", SUBTITLE)]
    legend += [cell(ws, state.label, state_style(state)) for state in State]
    ws.append(legend)
    row = 2
    for year, month in grid.months():
        row = _write_month(ws, grid, year, month, row)


def _write_month(ws: Any, grid: MonthGrid, year: int, month: int, row: int) -> int:
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
        in_month = [grid.days.get(d) if d.month == month else None for d in week]
        height = max((len(d.shown) + (d.total > len(d.shown)) for d in in_month if d), default=0)
        for slot in range(max(height, 1)):
            ws.append([_slot(ws, day, slot) for day in in_month])
            row += 1
    return row


def _slot(ws: Any, day: Day | None, slot: int) -> Any:
    if day is None:
        return None
    if slot < len(day.shown):
        line, state = day.shown[slot]
        return cell(ws, line, state_style(state))
    if slot == len(day.shown) and day.total > len(day.shown):
        return cell(ws, f"+ {day.total - len(day.shown)} more (see Posts)")
    return None
