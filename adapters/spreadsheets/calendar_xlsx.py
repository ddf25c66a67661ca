"""The calendar workbook an officer hands an auditor: "Calendar", "Posts" and "Summary".

`write_calendar` reads the posts once, as a stream, and writes in openpyxl's write-only mode:
each "Posts" row goes to disk as it is made, while the month grid and the counts keep only what
they will show. Memory therefore stays flat however many posts the period holds.

"Posts" has one row per post and channel. Times are real spreadsheet date-times in the practice's
zone (spreadsheets have no time zones, so the zone is its own column), every text is guarded
against formula injection (see cells.py), and a published link is a real hyperlink.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from adapters.spreadsheets.cells import (
    DATETIME,
    FORMULA_TRIGGERS,
    HEADER,
    LINK,
    WRAP,
    cell,
    naive_local,
    register_styles,
)
from adapters.spreadsheets.files import Target, finished_file
from adapters.spreadsheets.month_grid import write_month_grid
from adapters.spreadsheets.summary_sheet import write_summary
from bot.calendar.model import MonthGrid, Tally
from bot.domain import Post
from bot.media import shown_described

POSTS_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Post", 8),
    ("Scheduled (local)", 17),
    ("Time zone", 24),
    ("Channel", 18),
    ("Text", 60),
    ("State", 17),
    ("Channel status", 14),
    ("Proposer", 20),
    ("Approvers", 24),
    ("Approved at (local)", 17),
    ("Revision", 9),
    ("Published link", 40),
    ("Screening notes", 50),
    ("Media (alt text)", 40),
)


@dataclass(frozen=True)
class ExportResult:
    posts: int
    rows: int


def _text(ws: Any, value: str | None, style: str | None = None) -> Any:
    """A plain value when it is harmless (fast path); otherwise a guarded, styled cell."""
    if value is None or value == "":
        return None
    if style is None and not value.startswith(FORMULA_TRIGGERS) and value.isprintable():
        return value
    return cell(ws, value, style)


def post_rows(ws: Any, post: Post, channels: Sequence[str], zone: ZoneInfo) -> Iterator[list[Any]]:
    """The "Posts" rows of one post: one per channel, in the order the proposer gave them."""
    content = post.content
    scheduled = content.scheduled_at.astimezone(zone)
    when = cell(ws, scheduled.replace(tzinfo=None), DATETIME)
    where = f"{zone.key} ({scheduled.tzname()})"
    live = post.live_approvals()
    approvers = ", ".join(a.by.display for a in live)
    approved_at = None
    if live and post.approved_revision is not None:
        approved_at = cell(ws, naive_local(max(a.at for a in live), zone), DATETIME)
    notes = "\n".join(post.revision.problems)
    media = "\n".join(shown_described(m, content.alt_for(i)) for i, m in enumerate(content.media))
    for channel in channels:
        delivery = post.deliveries.get(channel)
        link: Any = None
        if delivery is not None and delivery.url:
            link = _text(ws, delivery.url, LINK)
            if delivery.url.startswith(("https://", "http://")):
                link.hyperlink = delivery.url
        yield [
            post.id,
            when,
            where,
            _text(ws, channel),
            _text(ws, content.text_for(channel), WRAP),
            post.state.label,
            delivery.state.value if delivery else None,
            _text(ws, post.proposer.display),
            _text(ws, approvers, WRAP),
            approved_at,
            post.revision.number,
            link,
            _text(ws, notes, WRAP),
            _text(ws, media, WRAP),
        ]


def _start_posts_sheet(ws: Any) -> None:
    # Widths and the frozen header must be set before the first row is streamed.
    for index, (_, width) in enumerate(POSTS_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.append([cell(ws, name, HEADER) for name, _ in POSTS_COLUMNS])


def write_calendar(
    posts: Iterable[Post],
    out: Target,
    *,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    channels: Sequence[str] = (),
    description: str | None = None,
    now: datetime | None = None,
) -> ExportResult:
    """Write the workbook for posts scheduled in [start, end) to a path or binary stream.

    `posts` may be a generator (see bot.calendar.selection.stream_posts); it is read once.
    `channels`, when given, limits the "Posts" rows to those channels. A path is written
    completely or not at all.
    """
    created = (now or datetime.now(UTC)).astimezone(UTC)
    wb = Workbook(write_only=True)
    register_styles(wb)
    grid_ws = wb.create_sheet("Calendar")
    posts_ws = wb.create_sheet("Posts")
    summary_ws = wb.create_sheet("Summary")
    _start_posts_sheet(posts_ws)

    grid = MonthGrid(start, end, zone)
    tally = Tally(zone)
    wanted = set(channels)
    try:
        for post in posts:
            shown = tuple(ch for ch in post.channels if not wanted or ch in wanted)
            if not shown:
                continue
            for row in post_rows(posts_ws, post, shown, zone):
                posts_ws.append(row)
            grid.add(post, shown)
            tally.add(post, shown)
    except BaseException:
        _discard(wb)
        raise
    last_column = get_column_letter(len(POSTS_COLUMNS))
    posts_ws.auto_filter.ref = f"A1:{last_column}{tally.rows + 1}"

    last_day = naive_local(end - timedelta(microseconds=1), zone)
    period = f"{naive_local(start, zone):%Y-%m-%d} to {last_day:%Y-%m-%d}"
    title = f"Content calendar, {period}"
    write_month_grid(grid_ws, grid, f"{title} · times in {zone.key}")
    lines = [
        f"Period: {description or period}",
        f"Times are local to {zone.key}.",
        f"Generated {naive_local(created, zone):%Y-%m-%d %H:%M} by Clearpost.",
        f"{tally.posts} posts, {tally.rows} post-and-channel rows.",
    ]
    write_summary(summary_ws, tally, "Summary", lines)

    wb.properties.title = title
    wb.properties.subject = description or period
    wb.properties.creator = "Clearpost"
    wb.properties.created = created.replace(tzinfo=None)  # openpyxl writes naive times as UTC
    try:
        with finished_file(out) as target:
            wb.save(target)
    except BaseException:
        _discard(wb)
        raise
    return ExportResult(posts=tally.posts, rows=tally.rows)


def _discard(wb: Workbook) -> None:
    """Close and delete the streamed sheets' temporary files after a failure. openpyxl only
    removes them at interpreter exit, which for `clearpost serve` may be weeks away."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        try:
            rows = getattr(ws, "_rows", None)
            if rows is not None:
                rows.close()
            if writer is not None:
                writer.close()
                writer.cleanup()
        except (OSError, ValueError):  # already closed or already gone: nothing left to free
            continue
