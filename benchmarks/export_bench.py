"""Calendar export speed and memory: `write_calendar` against a bare openpyxl write-only loop.

Both sides read the same lazily generated posts (so neither holds them all) and write the same
"Posts" cells: the same values, a date-time number format on the two time columns, wrapped text
on the text columns and a hyperlink for published links. The bare loop writes nothing else;
`write_calendar` also builds the month grid, the summary and the formula guard.

    /work/venv-probe/bin/python benchmarks/export_bench.py [rows]   (default 50000)

Time is the best of 3 runs without tracing; peak memory is tracemalloc's peak in a separate run
(Python allocations, which is what would grow with the number of rows).
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from adapters.spreadsheets.calendar_xlsx import POSTS_COLUMNS, write_calendar
from bot.domain import (
    Approval,
    Content,
    Delivery,
    DeliveryState,
    Person,
    Post,
    Revision,
    State,
    new_id,
)

ZONE = ZoneInfo("America/New_York")
START = datetime(2026, 12, 1, tzinfo=ZONE)
END = datetime(2027, 2, 1, tzinfo=ZONE)
NURSE = Person("slack", "U1", "Nora Nurse")
OFFICER = Person("slack", "U2", "Olga Officer")
CHANNELS = ("x-main", "facebook-clinic")
STATES = (State.IN_REVIEW, State.APPROVED, State.PUBLISHED)


def posts(rows: int) -> Iterator[Post]:
    """rows / 2 posts on two channels each, spread over December and January, oldest first."""
    count = rows // len(CHANNELS)
    step = (END - START) / count
    for n in range(count):
        at = (START + step * n).astimezone(UTC)
        state = STATES[n % len(STATES)]
        text = f"Post {n}: flu shots are in, walk-ins welcome Monday to Friday 8am to 6pm."
        content = Content(text, CHANNELS, at)
        revision = Revision(new_id(), 1, content, NURSE, at - timedelta(days=3), f"{n:064x}")
        approved = state is not State.IN_REVIEW
        deliveries = {
            ch: Delivery(
                new_id(),
                ch,
                DeliveryState.PUBLISHED if state is State.PUBLISHED else DeliveryState.WAITING,
                url=f"https://social.example/{ch}/{n}" if state is State.PUBLISHED else None,
            )
            for ch in CHANNELS
        }
        approvals = (
            [Approval(new_id(), revision.id, revision.hash, OFFICER, at - timedelta(days=1))]
            if approved
            else []
        )
        yield Post(n + 1, NURSE, [revision], state, approvals=approvals, deliveries=deliveries)


def clearpost(rows: int, out: Path) -> None:
    write_calendar(posts(rows), out, zone=ZONE, start=START, end=END)


def bare(rows: int, out: Path) -> None:
    """The least a hand-written loop would do to write the same Posts cells."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Posts")
    wrap = Alignment(wrap_text=True, vertical="top")
    link_font = Font(color="0563C1", underline="single")
    ws.append([name for name, _ in POSTS_COLUMNS])

    def stamp(value: datetime) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value.astimezone(ZONE).replace(tzinfo=None))
        c.number_format = "yyyy-mm-dd hh:mm"
        return c

    def wrapped(value: str) -> WriteOnlyCell | None:
        if not value:
            return None
        c = WriteOnlyCell(ws, value)
        c.alignment = wrap
        return c

    for post in posts(rows):
        live = post.live_approvals()
        for ch in post.channels:
            d = post.deliveries[ch]
            link = None
            if d.url:
                link = WriteOnlyCell(ws, d.url)
                link.hyperlink = d.url
                link.font = link_font
            ws.append(
                [
                    post.id,
                    stamp(post.scheduled_at),
                    f"{ZONE.key} ({post.scheduled_at.astimezone(ZONE).tzname()})",
                    ch,
                    wrapped(post.content.text_for(ch)),
                    post.state.label,
                    d.state.value,
                    post.proposer.display,
                    wrapped(", ".join(a.by.display for a in live)),
                    stamp(max(a.at for a in live)) if live else None,
                    post.revision.number,
                    link,
                    wrapped("\n".join(post.revision.problems)),
                ]
            )
    wb.save(out)


def timed(fn: Callable[[int, Path], None], rows: int, out: Path) -> float:
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        fn(rows, out)
        best = min(best, time.perf_counter() - began)
    return best


def peak_mib(fn: Callable[[int, Path], None], rows: int, out: Path) -> float:
    tracemalloc.start()
    fn(rows, out)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "calendar.xlsx"
        gen = time.perf_counter()
        sum(1 for _ in posts(rows))
        generating = time.perf_counter() - gen
        ours, theirs = timed(clearpost, rows, out), timed(bare, rows, out)
        print(f"{rows} rows  (generating the posts alone: {generating:.2f} s)")
        print(f"  write_calendar     {ours:6.2f} s")
        print(f"  bare openpyxl loop {theirs:6.2f} s")
        print(f"  ratio              {ours / theirs:6.2f}x")
        print("peak Python memory (tracemalloc), MiB:")
        print("  rows     write_calendar  bare loop")
        for size in (rows // 5, rows // 2, rows):
            print(
                f"  {size:>6}   {peak_mib(clearpost, size, out):10.1f}"
                f"  {peak_mib(bare, size, out):10.1f}"
            )


if __name__ == "__main__":
    main()
