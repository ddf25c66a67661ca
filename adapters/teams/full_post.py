"""The "Show the full post" dialog: everything a clipped approval card leaves out, in parts that
each fit a Teams message, with Previous / Next part buttons (each a task/submit)."""

from __future__ import annotations

from typing import Any

from adapters.teams import cards
from adapters.teams.budget import pages
from bot.domain import Post

# The most characters in one part: an emoji is 4 bytes of UTF-16 and JSON escapes `"` and `\`
# as two characters, so 5,000 characters stay within the budget with the card around them.
PART_CHARS = 5_000


def full_text(post: Post) -> str:
    """The post as it will be published on each channel, and what the reviewer reads."""
    content = post.content
    sections = [f"Text:\n{content.text}"]
    sections += [f"{channel}:\n{text}" for channel, text in content.overrides.items()]
    sections += [
        f'Media: {media} (alt text: "{content.alt_for(i)}")'
        if content.alt_for(i)
        else f"Media: {media}"
        for i, media in enumerate(content.media)
    ]
    if content.link:
        sections.append(f"Link: {content.link}")
    if content.notes:
        sections.append(f"Notes to the reviewer:\n{content.notes}")
    return "\n\n".join(sections)


def part_number(raw: Any) -> int:
    text = str(raw)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 1


def full_post_card(post: Post, part: int) -> cards.Card:
    """Part `part` (from 1) of the whole post; a part past the end shows the last one."""
    parts = pages(full_text(post), PART_CHARS)
    part = min(max(part, 1), len(parts))
    body = [
        cards.text_block(
            f"Post #{post.id}, revision {post.revision.number} · part {part} of {len(parts)}",
            weight="Bolder",
        ),
        cards.plain_block(parts[part - 1]),
    ]
    actions = []
    if part > 1:
        actions.append(_turn("Previous part", post.id, part - 1))
    if part < len(parts):
        actions.append(_turn("Next part", post.id, part + 1))
    return cards.card(body, actions, version="1.5")


def _turn(title: str, post_id: int, part: int) -> dict[str, Any]:
    data = {"clearpost": cards.SHOW_POST, "post_id": post_id, "part": part}
    return {"type": "Action.Submit", "title": title, "data": data}
