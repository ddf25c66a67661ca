"""How much text a Slack message may carry, and clipping that says what it left out.

Slack documents 3,000 characters per section and a message truncated past 40,000, but refuses a
message whose blocks hold more than about 11-13k characters of text in all (`msg_blocks_too_long`,
measured in slackapi/bolt-js#2509 and #2867, not documented). Each part of a message gets a
share of `MESSAGE_BUDGET`, and what does not fit is clipped with "… N more characters" and
offered whole elsewhere (the "Show full post" modal, `/calendar export`).

Lengths are counted in UTF-16 code units: it is never less than the number of code points, so a
text within budget by this count is within it however Slack counts "characters".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

SECTION_LIMIT = 2_900  # Slack refuses section text over 3,000
INPUT_LIMIT = 3_000  # plain_text_input holds at most 3,000
MESSAGE_BUDGET = 9_000  # block text of one message, under the lowest refusal measured (11,341)

# A cut never lands inside these: it would split an emoji sequence or an accent from its letter.
_JOINERS = {"\u200d", "\ufe0f", "\ufe0e"}


def units(text: str) -> int:
    """Length in UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def cut_point(text: str, limit: int) -> int:
    """The largest index i with units(text[:i]) <= limit, moved back off a joiner or an
    accent so a ZWJ sequence or a combining mark is not split."""
    used, i = 0, 0
    for i, ch in enumerate(text):  # noqa: B007 - i is read after the loop
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            break
    else:
        return len(text)
    while i > 0 and (text[i] in _JOINERS or text[i - 1] == "\u200d" or _combining(text[i])):
        i -= 1
    return i


def _combining(ch: str) -> bool:
    return "\u0300" <= ch <= "\u036f" or "\U0001f3fb" <= ch <= "\U0001f3ff"


def clip(text: str, limit: int = SECTION_LIMIT) -> str:
    """The text, or its start and "… N more characters" so that the whole is under `limit`."""
    if units(text) <= limit:
        return text
    keep = cut_point(text, max(0, limit - 30))
    return f"{text[:keep]}… {len(text) - keep:,} more characters"


def split(text: str, limit: int = INPUT_LIMIT) -> list[str]:
    """The text in consecutive pieces of at most `limit` units; "".join() gives it back."""
    pieces = []
    start = 0
    while start < len(text):
        # cut_point on a window of `limit` code points is enough: each is at least one unit.
        window = text[start : start + limit + 1]
        at = cut_point(window, limit) or 1
        pieces.append(window[:at])
        start += at
    return pieces or [""]


def pack(lines: Iterable[str], limit: int = SECTION_LIMIT) -> Iterator[str]:
    """Lines joined with newlines into pieces of at most `limit` units; a longer line is clipped."""
    current = ""
    for line in lines:
        line = clip(line, limit)
        if current and units(current) + units(line) + 1 > limit:
            yield current
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        yield current


def within(lines: Iterable[str], budget: int) -> tuple[list[str], int]:
    """As many lines as fit in `budget` units, and how many were left out."""
    kept: list[str] = []
    used, left = 0, 0
    for line in lines:
        if left or used + units(line) + 1 > budget:
            left += 1
            continue
        kept.append(line)
        used += units(line) + 1
    return kept, left
