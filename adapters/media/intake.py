"""A file attached in chat -> a `media:` reference in the post: fetched with the bot's own
credentials (bounded in size and time), checked, stored. Any failure is a MediaRefused sentence
for the proposer, raised before anything is proposed."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from adapters.media.links import MediaLinks
from adapters.media.names import display_name
from adapters.media.store import MediaRefused, MediaStore, size_text
from bot.media import reference

log = logging.getLogger(__name__)

NO_PUBLIC_ADDRESS = (
    "Attached files reach the networks through a link to Clearpost, and this Clearpost has no "
    "public address yet (CLEARPOST_PUBLIC_BASE_URL). Ask your administrator to set it, or give "
    "the image's web address instead; nothing was proposed."
)


@dataclass
class Media:
    store: MediaStore
    links: MediaLinks
    fetch_seconds: float = 30.0

    def check_reachable(self) -> None:
        if self.links.base_url is None:
            raise MediaRefused(NO_PUBLIC_ADDRESS)

    def keep(self, data: bytes, name: object) -> str:
        """Stores the bytes; the reference the post carries."""
        self.check_reachable()
        return reference(self.store.put(data), display_name(name))

    def download(self, url: str, headers: Mapping[str, str], platform: str, name: object) -> bytes:
        """The file's bytes, never more than the store takes, within fetch_seconds."""
        shown = display_name(name) or "the attached file"
        limit = self.store.max_bytes
        chunks: list[bytes] = []
        size = 0
        try:
            with httpx.stream(
                "GET", url, headers=dict(headers), timeout=self.fetch_seconds, follow_redirects=True
            ) as response:
                if response.status_code != 200:
                    log.warning("%s: media download answered %s", platform, response.status_code)
                    raise MediaRefused(
                        f"{platform} did not hand over “{shown}” (HTTP {response.status_code}), "
                        "so nothing was proposed. Attach it again, or check that Clearpost may "
                        "read files there."
                    )
                for chunk in response.iter_bytes(2**16):
                    size += len(chunk)
                    if size > limit:
                        raise MediaRefused(
                            f"“{shown}” is larger than {size_text(limit)}, the most "
                            "Clearpost keeps; nothing was proposed. Attach a smaller file."
                        )
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            log.warning("%s: media download failed (%s)", platform, type(exc).__name__)
            raise MediaRefused(
                f"{platform} did not hand over “{shown}” in time, so nothing was proposed. "
                "Try again in a minute."
            ) from None
        return b"".join(chunks)
