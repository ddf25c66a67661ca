"""The audit trail as an auditor's spreadsheet (.xlsx) or CSV, written row by row.

Both are streamed: an openpyxl write-only workbook or a csv writer, one event at a time, so 100,000
events take no more memory than ten. People's words (names, reasons) may start with `=`, `+`,
`-` or `@`: the workbook stores them as text with Excel's quote prefix (adapters/spreadsheets/
cells.py); CSV has no such flag, so such a value gets a leading apostrophe (OWASP's advice for
CSV injection), the one change made to what was recorded.
"""

from __future__ import annotations

import csv
import heapq
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from adapters.spreadsheets.cells import (
    DATETIME,
    FORMULA_TRIGGERS,
    HEADER,
    cell,
    naive_local,
    register_styles,
)
from adapters.spreadsheets.files import finished_file
from bot.audit_chain import ChainLink
from bot.domain import AuditEvent
from bot.errors import UsageError

FORMATS = (".xlsx", ".csv")
WIDTHS = (18, 18, 7, 22, 16, 10, 20, 18, 18, 16, 16, 40, 16)


@dataclass(frozen=True)
class TrailRow:
    at: datetime
    post: int | None
    who: str
    who_id: str
    platform: str
    action: str
    from_state: str
    to_state: str
    channel: str
    revision_hash: str
    reason: str
    entry_hash: str


def headers(zone: ZoneInfo) -> list[str]:
    return [
        f"When ({zone.key})",
        "When (UTC)",
        "Post",
        "Who",
        "Who (platform id)",
        "Platform",
        "Action",
        "From",
        "To",
        "Channel",
        "Revision hash",
        "Reason",
        "Event hash",
    ]


def _event_row(e: AuditEvent) -> TrailRow:
    return TrailRow(
        e.at,
        e.post_id,
        e.actor.display,
        e.actor.user_id,
        e.actor.platform,
        e.action,
        e.from_state.label if e.from_state else "",
        e.to_state.label if e.to_state else "",
        e.channel or "",
        e.revision_hash or "",
        e.reason or "",
        e.hash,
    )


def _purge_row(link: ChainLink) -> TrailRow:
    detail = json.loads(link.detail or "{}")
    platform, _, user_id = str(detail.get("by", "")).partition(":")
    what = (
        f"{len(detail.get('posts', []))} post(s) and {detail.get('events', 0)} event(s) "
        f"before {detail.get('before', '')}, past {detail.get('retention_years', '?')} "
        "years' retention"
    )
    return TrailRow(
        link.at,
        None,
        str(detail.get("by_name") or user_id),
        user_id,
        platform,
        "purged",
        "",
        "",
        "",
        "",
        what,
        link.hash,
    )


def trail_rows(events: Iterable[AuditEvent], purges: Sequence[ChainLink]) -> Iterator[TrailRow]:
    """Events and purge records merged in time order (both come sorted)."""
    return heapq.merge(
        (_event_row(e) for e in events), (_purge_row(p) for p in purges), key=lambda r: r.at
    )


def check_output(path: Path) -> None:
    if path.suffix.lower() not in FORMATS:
        raise UsageError(
            f"{path.name} is neither .xlsx nor .csv; the trail is written as one of those.",
            "clearpost audit export --from 2026-01-01 --to 2026-12-31 -o trail.xlsx",
        )
    if not path.parent.is_dir():
        raise UsageError(f"There is no folder {path.parent} to write {path.name} in.")


def write_trail(rows: Iterable[TrailRow], out: Path, zone: ZoneInfo) -> int:
    """Write the rows to `out` (.xlsx or .csv), complete or not at all; returns how many."""
    check_output(out)
    if out.suffix.lower() == ".csv":
        return _write_csv(rows, out, zone)
    return _write_xlsx(rows, out, zone)


def _values(row: TrailRow) -> list[Any]:
    return [
        row.post,
        row.who,
        row.who_id,
        row.platform,
        row.action,
        row.from_state,
        row.to_state,
        row.channel,
        row.revision_hash,
        row.reason,
        row.entry_hash,
    ]


def _write_xlsx(rows: Iterable[TrailRow], out: Path, zone: ZoneInfo) -> int:
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    register_styles(wb)
    ws = wb.create_sheet("Audit trail")
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.append([cell(ws, h, HEADER) for h in headers(zone)])
    count = 0
    for row in rows:
        when = [
            cell(ws, naive_local(row.at, zone), DATETIME),
            cell(ws, naive_local(row.at, UTC), DATETIME),
        ]
        ws.append(when + [cell(ws, v) for v in _values(row)])
        count += 1
    with finished_file(out) as target:
        wb.save(target)
    return count


def csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _write_csv(rows: Iterable[TrailRow], out: Path, zone: ZoneInfo) -> int:
    count = 0
    with finished_file(out) as target:
        assert isinstance(target, str)
        with open(target, "w", newline="", encoding="utf-8-sig") as handle:  # Excel reads BOM
            writer = csv.writer(handle)
            writer.writerow(headers(zone))
            for row in rows:
                local = row.at.astimezone(zone).isoformat(timespec="seconds")
                utc = row.at.astimezone(UTC).isoformat(timespec="seconds")
                writer.writerow([local, utc] + [csv_safe(v) for v in _values(row)])
                count += 1
    return count
