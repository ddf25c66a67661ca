"""One spreadsheet cell written safely: text that cannot run as a formula, and named styles.

A post is typed by staff and may start with `=`, `+`, `-` or `@` ("-20% on flu shots"). A
spreadsheet would run such a cell as a formula, so every text is stored as a string cell and, when
it starts with one of those characters (or a tab or carriage return), carries Excel's "quote
prefix" so it stays text even after someone edits it. The value itself is never altered, so what
an auditor reads is exactly what was posted.

Styles are registered once per workbook as named styles and assigned by name: cheap per cell
(a copy of a small array), and they show up with readable names in the spreadsheet's style list.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.cell.cell import WriteOnlyCell as _write_only_cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

from bot.domain import State

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"

# Soft fills a printout still reads in grey; one per state, shared by the grid and its legend.
STATE_FILLS: Mapping[State, str] = {
    State.IN_REVIEW: "FFF2CC",
    State.CHANGES_REQUESTED: "FCE4D6",
    State.APPROVED: "DDEBF7",
    State.PUBLISHING: "B4C6E7",
    State.PUBLISHED: "E2EFDA",
    State.FAILED: "F8CBAD",
    State.REJECTED: "D9D9D9",
    State.WITHDRAWN: "EDEDED",
}

HEADER = "cp-header"
TITLE = "cp-title"
SUBTITLE = "cp-subtitle"
PLAIN = "cp-plain"
WRAP = "cp-wrap"
DATETIME = "cp-datetime"
DATE = "cp-date"
LINK = "cp-link"
DAY = "cp-day"
OUTSIDE = "cp-outside"


def state_style(state: State) -> str:
    return f"cp-{state.value}"


def register_styles(wb: Workbook) -> None:
    """Add Clearpost's named styles to a new workbook (once, before any cell uses them)."""
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    thin = Side(style="thin", color="BFBFBF")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    styles = [
        NamedStyle(
            HEADER,
            font=Font(bold=True, color="FFFFFF"),
            fill=PatternFill("solid", fgColor="1F4E78"),
            alignment=Alignment(vertical="center", wrap_text=True),
            border=Border(bottom=Side(style="medium", color="1F4E78")),
        ),
        NamedStyle(TITLE, font=Font(bold=True, size=14, color="1F4E78")),
        NamedStyle(SUBTITLE, font=Font(bold=True, size=12, color="1F4E78")),
        NamedStyle(PLAIN, alignment=top),
        NamedStyle(WRAP, alignment=wrap),
        NamedStyle(DATETIME, number_format=DATETIME_FORMAT, alignment=top),
        NamedStyle(DATE, number_format=DATE_FORMAT, alignment=top),
        NamedStyle(LINK, font=Font(color="0563C1", underline="single"), alignment=top),
        NamedStyle(
            DAY,
            font=Font(bold=True),
            number_format="d mmm",
            alignment=Alignment(horizontal="left"),
            border=Border(top=thin, left=thin, right=thin),
        ),
        NamedStyle(OUTSIDE, fill=PatternFill("solid", fgColor="F2F2F2"), border=box),
    ]
    for state, color in STATE_FILLS.items():
        styles.append(
            NamedStyle(
                state_style(state),
                fill=PatternFill("solid", fgColor=color),
                alignment=wrap,
                border=Border(left=thin, right=thin),
            )
        )
    for style in styles:
        wb.add_named_style(style)


def plain_text(value: str) -> str:
    """Characters a workbook cannot hold are dropped; overlong text is cut with a visible note."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        note = f" … [cut: {len(value)} characters; a cell holds {MAX_CELL_TEXT}]"
        value = value[: MAX_CELL_TEXT - len(note)] + note
    return value


def cell(ws: Any, value: Any, style: str | None = None) -> Cell:
    """A write-only cell; text goes through `plain_text` and the formula guard."""
    guarded = False
    if isinstance(value, str):
        value = plain_text(value)
        guarded = value.startswith(FORMULA_TRIGGERS)
    made = _write_only_cell(ws, value)
    if style is not None:
        made.style = style  # replaces the whole style array, so the guard comes after
    if isinstance(value, str):
        made.data_type = "s"  # openpyxl would store "=…" as a formula and "#N/A" as an error
        if guarded:
            made.quotePrefix = True
    return made


def naive_local(moment: datetime, zone: Any) -> datetime:
    """Spreadsheets have no time zones: the practice's wall-clock time, without tzinfo."""
    return moment.astimezone(zone).replace(tzinfo=None)
