"""A plan's rows -> ProposeRequests: what a filled row must say, and what a row that cannot be
used is told.

A row arrives already read: for each column (named by its header, lowercased; every "Channel…"
column counts as channels) the cells' values and their number formats. `plan_request` makes the
ProposeRequest, or raises PlanRowError with the reason, written for the person who filled the
plan. Every request carries an idempotency key made from the row's content (`row_key`), so the
same row, from any file or import, proposes one post.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from bot.commands import ProposeRequest
from bot.drafting import clean
from bot.media import alt_lines

REQUIRED_COLUMNS = ("publish at", "channel", "text")


class PlanRowError(Exception):
    """This row cannot be used; str() says why, for the person who filled the plan."""


def plan_columns(header: Sequence[Any]) -> dict[str, list[int]]:
    """Header name (lowercase) -> column indexes; every 'channel…' column counts as channels."""
    found: dict[str, list[int]] = {}
    for index, raw in enumerate(header):
        name = " ".join(str(raw or "").split()).lower()
        key = "channel" if name.startswith("channel") else name
        if key:
            found.setdefault(key, []).append(index)
    return found


def _split(value: str, pattern: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(pattern, value) if p.strip())


def _when(value: Any, number_format: str) -> str | datetime:
    if isinstance(value, datetime):
        if "h" not in number_format.lower() and value.time() == time(0, 0):
            raise PlanRowError("Publish at has a date but no time of day.")
        return value.replace(second=0, microsecond=0)
    if isinstance(value, date):
        raise PlanRowError("Publish at has a date but no time of day.")
    if isinstance(value, time):
        raise PlanRowError("Publish at has a time but no date.")
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise PlanRowError("Publish at is empty or not a date and time.")


def row_key(fields: dict[str, Any]) -> str:
    """The same row content gives the same key, whatever file or import it came from."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return "import:" + hashlib.sha256(canonical.encode()).hexdigest()[:40]


def plan_request(
    cells: Mapping[str, list[Any]], formats: Mapping[str, list[str]]
) -> ProposeRequest:
    """The proposal one row asks for: its values and number formats, by column name."""

    def text(name: str) -> str:
        values = cells.get(name) or [None]
        value = values[0]
        return "" if value is None else str(value)

    when = _when((cells.get("publish at") or [None])[0], (formats.get("publish at") or [""])[0])
    channels = tuple(
        name.lower()
        for value in cells.get("channel", [])
        if value is not None
        for name in _split(str(value), r"[,;\s]+")
    )
    if not channels:
        raise PlanRowError("No channel is given.")
    body = clean(text("text"))
    if not body:
        raise PlanRowError("The text is empty.")
    link = text("link").strip()
    media = tuple(_split(text("media"), r"[\n,\s]+"))
    media_alt = alt_lines(text("alt text"))  # one line per media URL, in the same order
    notes = clean(text("notes to reviewer"))
    campaign = text("campaign").strip()
    tags = tuple(_split(text("tags"), r"[,;]+"))
    fields = {
        "when": when.isoformat() if isinstance(when, datetime) else when.lower(),
        "channels": sorted(set(channels)),
        "text": body,
        "link": link,
        "media": list(media),
        "notes": notes,
        "campaign": campaign,
        "tags": list(tags),
    }
    if any(media_alt):  # only then, so a row imported before the column keeps its key
        fields["media_alt"] = list(media_alt)
    return ProposeRequest(
        channels=channels,
        when=when,
        text=body,
        media=media,
        link=link or None,
        notes=notes or None,
        campaign=campaign or None,
        tags=tags,
        idempotency_key=row_key(fields),
        media_alt=media_alt,
    )
