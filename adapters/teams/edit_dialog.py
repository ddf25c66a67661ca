"""The Teams edit dialog, within the message budget, and what its submission changes.

Nothing a person wrote is lost on the way through the dialog:
- a field too long for the dialog (the per-channel texts first, then the text) is not put in an
  input at all: it is shown as a sentence and kept exactly as it is;
- if even that does not fit, the dialog is refused with a sentence, and nothing changes;
- a field sent back as the dialog showed it is left alone (None to the core), so a client that
  normalizes what it sends back never rewrites a text nobody touched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from adapters.teams import cards
from adapters.teams.budget import fits
from bot.domain import Post
from bot.errors import ClearpostError

# What is given up, in this order, when the dialog would be too large.
KEEPABLE = ("overrides", "text")
COMPARED = ("channels", "text", "overrides", "media", "media_alt", "notes")


class TooLongToEditHere(ClearpostError):
    """The post is too long for any Teams edit dialog."""

    def __init__(self, post: Post) -> None:
        super().__init__(
            f"Post #{post.id} is too long to edit in a Teams dialog ({_length(post):,} "
            "characters), so nothing was changed. Read it with Show the full post; to change "
            "it, withdraw it and propose a shorter one."
        )


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _length(post: Post) -> int:
    content = post.content
    return len(content.text) + sum(len(t) for t in content.overrides.values())


def _kept_sentence(field: str, value: str) -> str:
    what = "The per-channel texts" if field == "overrides" else "The text"
    return (
        f"{what} ({len(value):,} characters) cannot be edited in a Teams dialog; they are kept "
        "exactly as they are. Show the full post on the approval card reads them."
    )


def edit_card(
    channel_names: Sequence[str],
    post: Post,
    zone: ZoneInfo,
    *,
    token: str,
    typed: Mapping[str, str] | None = None,
    error: str | None = None,
) -> cards.Card:
    """The edit dialog for `post`, with what was `typed` put back after a refusal; raises
    TooLongToEditHere if no dialog fits."""
    shown = cards.form_values(post, zone)
    marks = {name: fingerprint(shown[name]) for name in COMPARED}

    def form(values: Mapping[str, str], kept: Mapping[str, str]) -> cards.Card:
        return cards.form_card(
            channel_names,
            {k: v for k, v in values.items() if k not in kept},
            token=token,
            verb=cards.EDIT_FORM,
            post_id=post.id,
            error=error,
            kept=kept,
            submit={"shown": marks, "kept": sorted(kept)},
        )

    # What is kept out is decided on the post as it is, never on what came back typed (a kept
    # field comes back empty: it had no input).
    for giving_up in range(len(KEEPABLE) + 1):
        kept = {f: _kept_sentence(f, shown[f]) for f in KEEPABLE[:giving_up] if shown[f]}
        if fits(form(shown, kept)):
            return form({**shown, **(typed or {})}, kept)
    raise TooLongToEditHere(post)


def changed_fields(data: Mapping[str, Any]) -> dict[str, str | None]:
    """Each compared field as submitted, or None where it is kept or came back as shown."""
    marks = data.get("shown") if isinstance(data.get("shown"), dict) else {}
    kept = data.get("kept") if isinstance(data.get("kept"), list) else []
    found: dict[str, str | None] = {}
    for name in COMPARED:
        value = str(data.get(name) or "")
        unchanged = name in kept or marks.get(name) == fingerprint(value)
        found[name] = None if unchanged else value
    return found
