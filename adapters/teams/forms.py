"""What a Teams proposal form (or a message turned into one) says, as platform-neutral requests."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from bot.commands import ProposeRequest, split_channels
from bot.errors import UsageError
from bot.media import alt_lines

_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<\s*(br|/p|/div)\s*/?>", re.I)


def plain_text(message_html: str) -> str:
    """A Teams message body (HTML) as the plain text a post would carry."""
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", message_html))).strip()


def parse_overrides(raw: str) -> dict[str, str]:
    """`channel: text` per line."""
    found: dict[str, str] = {}
    for line in raw.splitlines():
        if not line.strip():
            continue
        channel, colon, text = line.partition(":")
        if not colon or not channel.strip() or not text.strip():
            raise UsageError(
                f"I could not read the per-channel text “{line.strip()[:40]}”.",
                "x-main: Flu shots are in!",
            )
        found[channel.strip().lower()] = text.strip()
    return found


def when_of(data: Mapping[str, Any]) -> str:
    date, time = str(data.get("date") or "").strip(), str(data.get("time") or "").strip()
    if not date or not time:
        raise UsageError("Pick both a date and a time for the post.")
    return f"{date} {time}"


def request_from_form(data: Mapping[str, Any], key: str | None) -> ProposeRequest:
    """The form's fields as a proposal; `key` makes a resubmitted form the same proposal."""
    return ProposeRequest(
        channels=split_channels(str(data.get("channels") or "")),
        when=when_of(data),
        text=str(data.get("text") or ""),
        overrides=parse_overrides(str(data.get("overrides") or "")),
        media=tuple(str(data.get("media") or "").split()),
        notes=str(data.get("notes") or "") or None,
        urgent=str(data.get("urgent") or "").lower() == "true",
        idempotency_key=key,
        media_alt=alt_lines(str(data.get("media_alt") or "")),
    )


def typed_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The form's own fields, to put back on it after a refusal."""
    names = ("channels", "date", "time", "text", "overrides", "media", "media_alt", "notes")
    return {name: str(data.get(name) or "") for name in (*names, "urgent")}
