"""Files sent with a Teams proposal ("propose … " with an image attached), kept in Clearpost's
media store.

Teams puts a file sent to a bot in the sender's OneDrive and hands the bot a
`file.download.info` attachment whose `downloadUrl` opens with a plain GET (pre-authenticated,
short-lived), which no network can use later. So each one is fetched while the message is
handled, checked (size, type from its bytes) and stored; the post carries `media:` references.
A file that cannot be fetched or used is a sentence for the proposer and nothing is proposed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from adapters.media.intake import Media
from adapters.media.store import MediaRefused
from adapters.teams.files import url_allowed
from bot.commands import ProposeRequest

MAX_FILES = 4  # as many as the Slack modal takes


def store_attachments(
    media: Media, files: list[dict[str, Any]], request: ProposeRequest, *, allow_http: bool
) -> ProposeRequest:
    """The request with each sent file added as its stored reference."""
    if not files:
        return request
    if len(files) > MAX_FILES:
        raise MediaRefused(f"Send at most {MAX_FILES} files with one proposal.")
    media.check_reachable()
    kept = []
    for file in files:
        url = file["downloadUrl"]
        if not url_allowed(url, allow_http=allow_http):
            raise MediaRefused("Teams did not say where to download a file; send it again.")
        kept.append(media.keep(media.download(url, {}, "Teams", file["name"]), file["name"]))
    # The files come first; a typed `--alt` stays with the `--media` it was given after.
    undescribed = ("",) * len(kept) if request.media_alt else ()
    return replace(
        request,
        media=(*kept, *request.media),
        media_alt=(*undescribed, *request.media_alt),
    )
