"""The configured channels and the simplest rules of their networks (length, required media).

Publishers (adapters/publishers) know each network exactly; this table is the core's fallback so a
proposal is checked even where no publisher is configured, e.g. in the console.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain import Content

# Characters as each network counts them for a plain text post; None means no practical limit.
TEXT_LIMITS: Mapping[str, int | None] = {
    "x": 280,
    "mastodon": 500,
    "bluesky": 300,
    "threads": 500,
    "facebook": 63206,
    "instagram": 2200,
    "linkedin": 3000,
    "youtube": 5000,
    "tumblr": None,
    "reddit": 40000,
    "plurk": 360,
    "wordpress": None,
    "slack": 40000,
    "teams": 28000,
    "webhook": None,
}

NEEDS_MEDIA: Mapping[str, str] = {
    "instagram": "an image or a video",
    "youtube": "a video",
}

NETWORK_NAMES: Mapping[str, str] = {
    "x": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
    "tumblr": "Tumblr",
    "reddit": "Reddit",
    "plurk": "Plurk",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "wordpress": "the blog",
    "slack": "Slack",
    "teams": "Teams",
    "webhook": "the webhook",
}


@dataclass(frozen=True)
class ChannelTable:
    """Channel name -> network, as configured."""

    networks: Mapping[str, str]

    def names(self) -> list[str]:
        return sorted(self.networks)

    def network_of(self, channel: str) -> str:
        return self.networks[channel]

    def problems(self, channel: str, content: Content) -> list[str]:
        network = self.networks[channel]
        shown = NETWORK_NAMES.get(network, network)
        text = content.text_for(channel)
        found: list[str] = []
        limit = TEXT_LIMITS.get(network)
        if limit is not None and len(text) > limit:
            found.append(
                f"{channel}: {len(text)} characters, but {shown} allows {limit}. "
                f"Shorten it or add a `{channel}` override."
            )
        if network in NEEDS_MEDIA and not content.media:
            found.append(f"{channel}: {shown} needs {NEEDS_MEDIA[network]}; none is attached.")
        if not text.strip():
            found.append(f"{channel}: the text is empty.")
        return found
