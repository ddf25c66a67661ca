"""The whole post in a modal, a page at a time: where "Show full post" leads when the thread's
message had to clip something.

A modal holds 100 blocks and a section 3,000 characters, and nobody documents a modal's total,
so each page keeps to a message's budget: a 60,000-character post with its own text on 14
channels is about a hundred pages, each opened or replaced (views.update) by the page buttons.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from adapters.slack import budget, ids
from bot.consent_findings import shown_findings
from bot.domain import Post

Block = dict[str, Any]
SECTIONS_PER_PAGE = 3  # 3 x 2,900 units: under a message's budget, so under any modal's


def parts(post: Post) -> list[tuple[str, str]]:
    """(heading, text) for everything a reviewer reads, in the order the thread shows it."""
    content = post.content
    found = [("Text", content.text)]
    found += [(f"Own text for {channel}", text) for channel, text in content.overrides.items()]
    if content.media:
        items = [
            f'{m} (alt text: "{content.alt_for(i)}")' if content.alt_for(i) else m
            for i, m in enumerate(content.media)
        ]
        found.append(("Media", "\n".join(items)))
    if content.link:
        found.append(("Link", content.link))
    if content.notes:
        found.append(("Notes to the reviewer", content.notes))
    if post.revision.problems:
        found.append(("Found before review", "\n".join(shown_findings(post))))
    return found


def sections(post: Post) -> list[str]:
    """The post as section texts of at most SECTION_LIMIT units, each part starting anew.
    Kept for the last few revisions shown: paging through one post splits it once."""
    key = (post.id, post.revision.hash)
    with _LOCK:
        found = _SPLIT.get(key)
    if found is None:
        found = _sections(post)
        with _LOCK:
            _SPLIT[key] = found
            while len(_SPLIT) > 8:
                _SPLIT.pop(next(iter(_SPLIT)))
    return found


_SPLIT: dict[tuple[int, str], list[str]] = {}
_LOCK = threading.Lock()


def _sections(post: Post) -> list[str]:
    out: list[str] = []
    for heading, text in parts(post):
        pieces = budget.split(text, budget.SECTION_LIMIT - 80)
        for i, piece in enumerate(pieces):
            more = f" ({i + 1} of {len(pieces)})" if len(pieces) > 1 else ""
            out.append(f"{heading}{more}:\n{piece}")
    return out


def page_count(post: Post) -> int:
    return max(1, -(-len(sections(post)) // SECTIONS_PER_PAGE))


def page_value(post: Post, page: int) -> str:
    return f"{post.id}:{post.revision.hash}:{page}"


def parse_page_value(value: str) -> tuple[int, int]:
    number, _, rest = value.partition(":")
    page = rest.rpartition(":")[2]
    return int(number), int(page) if page.isdigit() else 0


def _plain(text: str) -> Block:
    return {"type": "section", "text": {"type": "plain_text", "text": text, "emoji": False}}


def _button(text: str, action_id: str, value: str) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }


def full_post_view(post: Post, page: int = 0) -> Block:
    """One page of the whole post; the post's text is shown as written (plain_text)."""
    every = sections(post)
    pages = page_count(post)
    page = min(max(page, 0), pages - 1)
    shown = every[page * SECTIONS_PER_PAGE : (page + 1) * SECTIONS_PER_PAGE]
    where = f"Revision {post.revision.number} · page {page + 1} of {pages}"
    blocks: list[Block] = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": where}]},
        *[_plain(text) for text in shown],
    ]
    buttons = []
    if page > 0:
        buttons.append(
            _button("‹ Previous", ids.ACTION_FULL_POST_PREVIOUS, page_value(post, page - 1))
        )
    if page < pages - 1:
        buttons.append(_button("Next ›", ids.ACTION_FULL_POST_NEXT, page_value(post, page + 1)))
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return {
        "type": "modal",
        "callback_id": ids.VIEW_FULL_POST,
        "title": {"type": "plain_text", "text": f"Post #{post.id}"[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "private_metadata": json.dumps({"post_id": post.id}),
        "blocks": blocks,
    }
