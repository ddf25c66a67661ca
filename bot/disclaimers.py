"""Disclaimers a practice requires per channel or per tag (`[screening.disclaimers]`): a post
that should carry one and does not gets a finding whose fix is the sentence to append.

Keys are a channel's name ("facebook-main") or a tag with its hash ("#wellness"); each channel's
own text is checked, since that is what the channel publishes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.domain import Content
from bot.screening import Finding, Place, PostFinding


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def missing_disclaimers(
    content: Content, tags: Sequence[str], required: Mapping[str, str]
) -> list[PostFinding]:
    """A high finding for each required disclaimer a channel's text lacks, at the text's end."""
    out: list[PostFinding] = []
    tag_keys = {f"#{t.lstrip('#').lower()}" for t in tags}
    for key, disclaimer in required.items():
        applies_to_all = key.lower() in tag_keys
        for channel in content.channels:
            if not applies_to_all and key != channel:
                continue
            text = content.text_for(channel)
            if _normal(disclaimer) in _normal(text):
                continue
            place = Place("override", channel) if channel in content.overrides else Place()
            start = max(0, len(text) - 40)
            why = "the tag" if applies_to_all else "the channel"
            finding = Finding(
                start,
                len(text),
                "disclaimer",
                "high",
                f"{why} {key} requires it",
                f'append "{disclaimer}"',
            )
            out.append(PostFinding(finding, place, text[start:]))
    return list(dict.fromkeys(out))
