"""Media kept in Clearpost's own store, as a post's content refers to it.

A file attached in chat is fetched with the bot's credentials and stored by content (its sha256
and the type its bytes show); the post then carries `media:<key>#<name>`, where the name is the
file's name as the person gave it, cleaned for display. The key is all a publisher needs (it gets a
short-lived link to it); the name is screened like the text, since a photo called after a patient
says as much as the caption.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PREFIX = "media:"
KEY = re.compile(r"[0-9a-f]{64}\.(?:jpg|png|gif|webp|mp4|mov)")


def reference(key: str, name: str) -> str:
    return f"{PREFIX}{key}#{name}" if name else f"{PREFIX}{key}"


def stored_key(media: str) -> str | None:
    """The store's key when `media` refers to the store, else None (a plain URL)."""
    if not media.startswith(PREFIX):
        return None
    key = media[len(PREFIX) :].partition("#")[0]
    return key if KEY.fullmatch(key) else None


def stored_name(media: str) -> str | None:
    """The attached file's name as the post keeps it, when `media` refers to the store."""
    if stored_key(media) is None:
        return None
    return media.partition("#")[2] or None


def shown(media: str) -> str:
    """How people read one media item: an attached file by its name, a URL as written."""
    if stored_key(media) is None:
        return media
    return f"{stored_name(media) or 'a file'} (attached, kept by Clearpost)"


def alt_lines(value: str) -> tuple[str, ...]:
    """A form's descriptions field, one description a line in the order of the media; an empty
    line is an item without one."""
    return tuple(value.replace("\r\n", "\n").rstrip().split("\n")) if value.strip() else ()


def alt_field(media_alt: Sequence[str]) -> str:
    """The descriptions as a form's field shows them: one a line, trailing blank lines off."""
    return "\n".join(media_alt).rstrip()


def shown_described(media: str, alt: str) -> str:
    """One media item as a reviewer reads it, with its description (alt text) when it has one."""
    return f'{shown(media)}, alt text: "{alt}"' if alt else shown(media)
