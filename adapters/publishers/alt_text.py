"""Media descriptions (alt text) as each network takes them: where the limit is documented, a
description over it is a problem found before anyone approves, in a sentence that names the
network's figure and where it is written, rather than a refusal at publishing time."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.publishers.base import ChannelConfig, media_kind


def alt_text_problems(config: ChannelConfig, media_alt: Sequence[str], limit: int) -> list[str]:
    """One sentence per media description longer than `limit` characters."""
    return [
        f"{config.name}: the alt text of media {number} is {len(alt):,} characters, but "
        f"{config.label} takes at most {limit:,}. Shorten the description."
        for number, alt in enumerate(media_alt, start=1)
        if len(alt) > limit
    ]


def video_alt_problems(
    config: ChannelConfig, media: Sequence[str], media_alt: Sequence[str]
) -> list[str]:
    """A description given to a video on a network that documents alt text for images only:
    the reviewer should know it will not be published there."""
    return [
        f"{config.name}: {config.label} takes alt text for images only; the description of "
        f"media {number} (a video) is not published there."
        for number, (url, alt) in enumerate(zip(media, media_alt, strict=False), start=1)
        if alt and media_kind(url) == "video"
    ]
