"""How much Clearpost puts in one Teams message, and how long content is clipped to fit.

Teams refuses a bot message over its size limit with 413 `MessageSizeTooBig`. Microsoft's bot
formatting page (read 2026-11-29) gives about 100 KB, counted on the message encoded as UTF-16,
and advises staying within 80 KB; older pages said 28 KB and 40 KB. We budget the smallest
published figure, measured the way the current page counts (the serialized activity as UTF-16,
card and envelope included), so a post at its largest still arrives.

Long content is clipped with "… N more characters" (never silently); the cards that clip offer a
way to read the whole (the approval card's "Show the full post" dialog, paged; `calendar export`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

MESSAGE_BUDGET = 28_000  # bytes of UTF-16, the whole serialized activity
ENVELOPE = 2_000  # from, recipient, conversation, serviceUrl, ids: what the connector adds
CARD_TYPE = "application/vnd.microsoft.card.adaptive"


def utf16_size(document: Any) -> int:
    """The size Teams counts: the JSON as sent, encoded as UTF-16."""
    return len(json.dumps(document, ensure_ascii=False).encode("utf-16-le"))


def card_message_size(card: dict[str, Any]) -> int:
    """A message carrying this card, with room for the envelope the connector adds."""
    message = {"type": "message", "attachments": [{"contentType": CARD_TYPE, "content": card}]}
    return utf16_size(message) + ENVELOPE


def fits(card: dict[str, Any]) -> bool:
    return card_message_size(card) <= MESSAGE_BUDGET


def clip(text: str, limit: int | None) -> str:
    """`text`, or its first `limit` characters and how many more there are."""
    if limit is None or len(text) <= limit:
        return text
    return f"{text[:limit].rstrip()}… {len(text) - limit:,} more characters"


def fit(build: Callable[[int | None], dict[str, Any]]) -> dict[str, Any]:
    """The card `build` makes with the longest clip limit that keeps it within the budget
    (`None`: nothing clipped). `build(0)` is the smallest card; it is returned even if over."""
    whole = build(None)
    if fits(whole):
        return whole
    low, high = 0, MESSAGE_BUDGET  # no piece shown can be longer than the budget itself
    while low < high:  # the largest limit that fits: bounded by log2(budget) builds
        middle = (low + high + 1) // 2
        if fits(build(middle)):
            low = middle
        else:
            high = middle - 1
    return build(low)


def pages(text: str, size: int) -> list[str]:
    """`text` in consecutive parts of at most `size` characters (one empty part if empty)."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
