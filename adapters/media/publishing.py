"""Publishers see stored media as links they (and the networks) can reach.

A post carries `media:<key>#<name>`; each publisher is handed, instead, a short-lived signed link
to /media/<key> on `public_base_url`, made when it publishes (so a retry a day later gets a fresh
one). Validation reads the unsigned address, so each network's own rules (Instagram: JPEG only,
kinds by extension) apply to stored files as to any URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from adapters.media.intake import NO_PUBLIC_ADDRESS
from adapters.media.links import MediaLinks
from adapters.media.store import MediaStore
from bot.domain import Content
from bot.media import stored_key
from bot.ports import Failed, Publisher, PublishJob, PublishResult


class MediaLinkingPublisher:
    def __init__(self, inner: Publisher, links: MediaLinks, store: MediaStore) -> None:
        self.inner = inner
        self.links = links
        self.store = store
        self.network: str = inner.network
        self.idempotent: bool = bool(getattr(inner, "idempotent", False))

    def _resolved(
        self, media: tuple[str, ...], make: Callable[[str], str | None]
    ) -> tuple[str, ...]:
        out = []
        for item in media:
            key = stored_key(item)
            out.append(item if key is None else (make(key) or item))
        return tuple(out)

    def validate(self, channel: str, content: Content) -> list[str]:
        shown = replace(content, media=self._resolved(content.media, self.links.address))
        found = list(self.inner.validate(channel, shown))
        if self.links.base_url is None and any(stored_key(m) for m in content.media):
            found.append(f"{channel}: {NO_PUBLIC_ADDRESS}")
        return found

    def publish(self, job: PublishJob) -> PublishResult:
        for number, item in enumerate(job.media, start=1):
            key = stored_key(item)
            if key is not None and not self.store.has(key):  # a network would fetch a 403
                return Failed(
                    "permanent",
                    f"Media {number} is no longer in Clearpost's media store (is the `[media]` "
                    "folder or bucket shared by every replica?); attach the file again with Edit.",
                )
        return self.inner.publish(replace(job, media=self._resolved(job.media, self.links.link)))

    def __getattr__(self, name: str) -> Any:  # check(), close(), config … as the inner has them
        return getattr(self.inner, name)
