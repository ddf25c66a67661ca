"""Disclaimers a practice requires per channel or per tag (`[screening.disclaimers]`): a post
that should carry one and does not gets a finding whose fix is the sentence to append.

Keys are a channel's name ("facebook-main") or a tag with its hash ("#wellness"); each channel's
own text is checked, since that is what the channel publishes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.domain import Content


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def missing_disclaimers(
    content: Content, tags: Sequence[str], required: Mapping[str, str]
) -> list[str]:
    """The reviewer's sentence for each required disclaimer a channel's text lacks."""
    out: list[str] = []
    tag_keys = {f"#{t.lstrip('#').lower()}" for t in tags}
    for key, disclaimer in required.items():
        applies_to_all = key.lower() in tag_keys
        for channel in content.channels:
            if not applies_to_all and key != channel:
                continue
            text = content.text_for(channel)
            if _normal(disclaimer) in _normal(text):
                continue
            where = "" if channel not in content.overrides else f" (in {channel}'s own text)"
            tail = text[-40:].replace("\n", " ")
            why = "the tag" if applies_to_all else "the channel"
            out.append(
                f'Compliance (high): "{tail}"{where} looks like a post without its required '
                f"disclaimer: {why} {key} requires it. "
                f'Suggested fix: append "{disclaimer}".'
            )
    return list(dict.fromkeys(out))
