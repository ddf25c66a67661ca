"""What the core says back to the person who acted, the same on every front end.

Front ends add only their own markup (a link to the thread, a card), never their own wording.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from bot import timeparse
from bot.domain import Post


def proposed(post: Post, zone: ZoneInfo, doing: str = "Proposed", why: str | None = None) -> str:
    """The proposer's confirmation; `why` says why the approval thread could not be opened."""
    when = timeparse.describe(post.scheduled_at, zone)
    if post.thread is None:
        text = (
            f"Saved post #{post.id} for {when}, but its approval thread could not be opened in "
            f"the compliance channel yet: {why or 'the chat platform did not answer'}. Nothing "
            "is lost: Clearpost keeps trying and opens it as soon as it can."
        )
    else:
        text = f"{doing} post #{post.id} for {when}; it is waiting for approval."
    if post.revision.problems:
        text += "\nReviewers will see: " + " ".join(post.revision.problems)
    return text


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' Did you mean `x`?' for the closest choice, or nothing."""
    guess = difflib.get_close_matches(word, list(choices), n=1)
    return f" Did you mean `{guess[0]}`?" if guess else ""


def unknown_command(word: str, choices: Iterable[str], help_word: str = "help") -> str:
    hint = did_you_mean(word, choices)
    return f"I don't know `{word}`.{hint} Type `{help_word}` for what I can do."
