"""The media store and its links, built from the settings for the composition root."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine

from adapters.media.intake import Media
from adapters.media.links import LINK_KEY, MediaLinks
from adapters.media.publishing import MediaLinkingPublisher
from adapters.media.s3_store import S3MediaStore
from adapters.media.store import FolderMediaStore, MediaStore
from adapters.settings import Settings
from adapters.teams.export import shared_link_key
from bot.ports import Clock, Publisher
from storage.kv import SqlKeyValueStore

__all__ = ["Media", "build_media", "with_media_links"]


def build_media(settings: Settings, engine: Engine, clock: Clock) -> Media:
    config = settings.media
    store = build_store(settings)
    kv = SqlKeyValueStore(engine, clock)
    links = MediaLinks(
        lambda: shared_link_key(kv, LINK_KEY),
        settings.public_base_url,
        clock.now,
        config.link_minutes * 60,
    )
    return Media(store, links, config.fetch_seconds)


def build_store(settings: Settings) -> MediaStore:
    """The folder, or the S3 bucket when `[media] s3_bucket` is set (checked now: a missing
    bucket or refused keys stop start-up with a sentence, not the first post)."""
    config = settings.media
    max_bytes = int(config.max_mb * 2**20)
    if not config.uses_s3:
        return FolderMediaStore(config.folder, max_bytes)
    store = S3MediaStore(config, max_bytes)
    store.check()
    return store


def with_media_links(publishers: Mapping[str, Publisher], media: Media) -> dict[str, Publisher]:
    return {
        name: MediaLinkingPublisher(p, media.links, media.store) for name, p in publishers.items()
    }
