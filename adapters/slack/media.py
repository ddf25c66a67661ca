"""Files attached in the propose or edit modal, kept in Clearpost's media store.

Slack's file_input hands over file objects whose `url_private_download` only opens with the bot
token (`files:read`), which no network has. So after the ack each file is fetched with the token,
checked (size, type from its bytes) and stored; the post carries `media:` references instead of
Slack links. A file Slack will not hand over, or that is no image or video, is a sentence for the
proposer and nothing is proposed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.media.intake import Media
from adapters.media.store import MediaRefused
from adapters.slack import ids, modals
from adapters.slack.plans import SLACK_FILE_HOSTS
from bot.commands import ProposeRequest

MAX_FILES = 4  # what the modal's file_input allows; a payload claiming more is cut here
FILE_ID = re.compile(r"F[A-Z0-9]{1,20}")


def attached_files(view: dict[str, Any]) -> list[dict[str, Any]]:
    values = view.get("state", {}).get("values", {})
    state = values.get(ids.FIELD_MEDIA_FILES, {}).get(ids.FIELD_MEDIA_FILES) or {}
    return [f for f in (state.get("files") or [])[:MAX_FILES] if isinstance(f, dict)]


def typed_urls(view: dict[str, Any]) -> list[str]:
    values = view.get("state", {}).get("values", {})
    state = values.get(ids.FIELD_MEDIA_URLS, {}).get(ids.FIELD_MEDIA_URLS) or {}
    return str(state.get("value") or "").split()


def store_files(
    media: Media, client: WebClient, request: ProposeRequest, view: dict[str, Any]
) -> ProposeRequest:
    """The request with each attached file replaced by its stored reference."""
    stored = stored_media(media, client, view)
    return request if stored is None else replace(request, media=stored)


def stored_media(media: Media, client: WebClient, view: dict[str, Any]) -> tuple[str, ...] | None:
    """The form's media with attached files stored: their references, then the typed URLs;
    None when no file was attached (the form's media stands as it is)."""
    files = attached_files(view)
    shared = message_file_ids(view)
    if not files and not shared:
        return None
    media.check_reachable()
    files += [_described(client, file_id) for file_id in shared]
    kept = [_keep(media, client, file) for file in files[:MAX_FILES]]
    return (*kept, *typed_urls(view))


def message_files(message: dict[str, Any]) -> list[str]:
    """The ids of the files a message carries (the message shortcut keeps them in the form's
    metadata: a file_input cannot be filled in advance)."""
    found = [f.get("id") for f in message.get("files") or [] if isinstance(f, dict)]
    return [str(i) for i in found if isinstance(i, str) and FILE_ID.fullmatch(i)][:MAX_FILES]


def message_file_ids(view: dict[str, Any]) -> list[str]:
    ids_ = modals.metadata(view).get("files") or []
    return [i for i in ids_ if isinstance(i, str) and FILE_ID.fullmatch(i)][:MAX_FILES]


def _described(client: WebClient, file_id: str) -> dict[str, Any]:
    try:
        return dict(client.files_info(file=file_id).get("file") or {})
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        raise MediaRefused(
            f"Slack would not let me open a file of that message ({error or 'no answer'}), so "
            "nothing was proposed. Attach the file in the form instead."
        ) from None


def _keep(media: Media, client: WebClient, file: dict[str, Any]) -> str:
    name = file.get("name") or file.get("title")
    url = str(file.get("url_private_download") or file.get("url_private") or "")
    if urlsplit(url).hostname not in SLACK_FILE_HOSTS | {urlsplit(client.base_url).hostname}:
        # The token goes only to Slack: a file object pointing elsewhere is not followed.
        raise MediaRefused("An attached file is not stored in Slack; attach the file itself.")
    data = media.download(url, {"Authorization": f"Bearer {client.token}"}, "Slack", name)
    return media.keep(data, name)
