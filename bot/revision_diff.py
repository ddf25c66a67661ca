"""What changed between two revisions, in a few lines a reviewer reads instead of the whole post.

Text is compared word by word (difflib): each changed stretch is one line, `"old" → "new"`,
`+ "added"` or `− "removed"`. Time, channels, per-channel texts, media, each media item's
description (alt text) and the link get a line each when they differ. The whole is capped: a
stretch is clipped, only the first few stretches are listed, and a rewrite (most of the words
changed) is a count, not a 10,000-character diff.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from bot.domain import Content
from bot.media import stored_name
from bot.timeparse import describe

MAX_STRETCH = 80  # characters of one changed stretch
MAX_STRETCHES = 6  # changed stretches listed per text
MAX_LINES = 12  # lines in all
REWRITE_BELOW = 0.4  # word similarity under which a text counts as rewritten


def _clip(words: Sequence[str]) -> str:
    text = " ".join(words)
    return text if len(text) <= MAX_STRETCH else text[: MAX_STRETCH - 1].rstrip() + "…"


def text_changes(old: str, new: str, label: str = "Text") -> list[str]:
    """Lines naming the words removed and added between two texts; [] when they are equal."""
    if old == new:
        return []
    before, after = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    removed = added = 0
    stretches: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed += a2 - a1
        added += b2 - b1
        if op == "replace":
            stretches.append(f'"{_clip(before[a1:a2])}" → "{_clip(after[b1:b2])}"')
        elif op == "delete":
            stretches.append(f'− "{_clip(before[a1:a2])}"')
        else:
            stretches.append(f'+ "{_clip(after[b1:b2])}"')
    counts = f"{added} word(s) added, {removed} removed"
    if not stretches:  # only spacing or line breaks differ
        return [f"{label}: spacing changed"]
    if matcher.ratio() < REWRITE_BELOW:
        return [f"{label}: rewritten ({len(old):,} → {len(new):,} characters; {counts})"]
    lines = [f"{label}: {counts}"] + [f"  {s}" for s in stretches[:MAX_STRETCHES]]
    if len(stretches) > MAX_STRETCHES:
        lines.append(f"  … and {len(stretches) - MAX_STRETCHES} more change(s)")
    return lines


def _set_changes(label: str, old: Sequence[str], new: Sequence[str]) -> list[str]:
    plus = [f"+ {x}" for x in new if x not in old]
    minus = [f"− {x}" for x in old if x not in new]
    return [f"{label}: {', '.join(plus + minus)}"] if plus or minus else []


def _override_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    lines: list[str] = []
    for channel in sorted(set(old) | set(new)):
        if channel not in new:
            lines.append(f"Own text for {channel}: removed")
        elif channel not in old:
            lines.append(f"Own text for {channel}: added ({len(new[channel]):,} characters)")
        else:
            lines += text_changes(old[channel], new[channel], f"Own text for {channel}")
    return lines


def _alt_changes(old: Content, new: Content) -> list[str]:
    """A changed description of an item in both revisions, or one added to or dropped from it."""
    was = {m: old.alt_for(i) for i, m in enumerate(old.media)}
    lines: list[str] = []
    for i, item in enumerate(new.media):
        before, after = was.get(item, ""), new.alt_for(i)
        label = f"Alt text of {stored_name(item) or item}"
        if before == after:
            continue
        if not before:
            lines.append(f'{label}: added "{_clip(after.split())}"')
        elif not after:
            lines.append(f"{label}: removed")
        else:
            lines += text_changes(before, after, label)
    return lines


def revision_diff(old: Content, new: Content, zone: ZoneInfo) -> list[str]:
    """What a reviewer needs to know changed, at most MAX_LINES lines of plain text."""
    lines = text_changes(old.text, new.text)
    if old.scheduled_at != new.scheduled_at:
        was, now = describe(old.scheduled_at, zone), describe(new.scheduled_at, zone)
        lines.append(f"Time: {was} → {now}")
    lines += _set_changes("Channels", old.channels, new.channels)
    lines += _override_changes(old.overrides, new.overrides)
    lines += _set_changes("Media", old.media, new.media)
    lines += _alt_changes(old, new)
    if old.link != new.link:
        lines.append(f"Link: {old.link or 'none'} → {new.link or 'none'}")
    if len(lines) > MAX_LINES:
        lines = lines[: MAX_LINES - 1] + [f"… and {len(lines) - MAX_LINES + 1} more line(s)"]
    return lines
