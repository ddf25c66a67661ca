"""Clearpost's media store and the signed links `clearpost serve` answers for it."""

from __future__ import annotations

import logging
import time

import httpx
import pytest

from adapters.bootstrap import build_core
from adapters.media.publishing import MediaLinkingPublisher
from adapters.media.store import FolderMediaStore, MediaRefused
from adapters.settings import Settings
from bot.media import reference
from bot.ports import Failed
from tests.conftest import NOW
from tests.contracts.conftest import job_for
from tests.fakes import FakePublisher, FixedClock
from tests.support.served import ServedCore

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"x" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"y" * 100


def test_one_file_is_stored_once_under_its_content_and_its_real_type(tmp_path):
    store = FolderMediaStore(tmp_path, max_bytes=10_000)

    first, again, png = store.put(JPEG), store.put(JPEG), store.put(PNG)

    assert first == again and first.endswith(".jpg") and png.endswith(".png")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first, png])
    assert store.get(first) == JPEG


def test_what_is_not_an_image_or_video_or_too_large_is_refused_with_a_sentence(tmp_path):
    store = FolderMediaStore(tmp_path, max_bytes=1000)

    with pytest.raises(MediaRefused, match="not an image or a video"):
        store.put(b"MZ\x90\x00 an executable named flu.jpg")
    with pytest.raises(MediaRefused, match="up to 1000 B|up to 1 KB"):
        store.put(JPEG + b"x" * 1000)
    assert list(tmp_path.iterdir()) == []


def test_only_keys_the_store_made_are_ever_read(tmp_path):
    (tmp_path / "secret.txt").write_text("no")
    store = FolderMediaStore(tmp_path / "media", max_bytes=1000)

    assert store.get("../secret.txt") is None
    assert store.get("a" * 64 + ".jpg/../../secret.txt") is None


@pytest.fixture
def served(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'clearpost.db'}",
        public_base_url="https://clearpost.example",
        media={"folder": str(tmp_path / "media"), "link_minutes": 10},
    )
    clock = FixedClock(NOW)
    core = build_core(settings, clock=clock)
    with ServedCore(core) as server:
        yield core, clock, server


def _local(server: ServedCore, link: str) -> str:
    return link.replace("https://clearpost.example", server.url)


def test_a_signed_link_serves_the_file_until_it_expires_on_the_clock(served):
    core, clock, server = served
    key = core.media.store.put(JPEG)
    link = core.media.links.link(key)

    fresh = httpx.get(_local(server, link))
    clock.advance(minutes=10, seconds=1)
    late = httpx.get(_local(server, link))

    assert fresh.status_code == 200 and fresh.content == JPEG
    assert fresh.headers["content-type"] == "image/jpeg"
    assert late.status_code == 403 and late.text == "This media link is not valid or has expired."


def test_a_tampered_or_guessed_link_is_one_plain_403(served):
    core, _, server = served
    key = core.media.store.put(JPEG)
    link = _local(server, core.media.links.link(key))
    other = core.media.store.put(PNG)
    missing = "0" * 64 + ".jpg"

    answers = [
        httpx.get(link[:-1] + ("0" if link[-1] != "0" else "1")),  # signature changed
        httpx.get(link.replace(key, other)),  # another file, same signature
        httpx.get(link.replace("exp=", "exp=9")),  # a later expiry
        httpx.get(_local(server, core.media.links.link(missing))),  # signed, but not stored
        httpx.get(f"{server.url}/media/{key}"),  # no signature at all
    ]

    assert [a.status_code for a in answers] == [403] * 5
    assert len({a.text for a in answers}) == 1


def test_the_access_log_shows_a_media_path_without_its_signature(served, caplog):
    core, _, server = served
    link = _local(server, core.media.links.link(core.media.store.put(JPEG)))
    signature = link.rsplit("sig=", 1)[1]

    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        assert httpx.get(link).status_code == 200
        deadline = time.monotonic() + 5  # aiohttp logs the line after answering
        while "/media/" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)

    assert "/media/" in caplog.text and signature not in caplog.text


def test_a_stored_file_gone_from_the_store_fails_the_delivery_with_a_sentence(served):
    core, _, _ = served
    key = core.media.store.put(JPEG)
    (core.media.store.folder / key).unlink()
    publisher = MediaLinkingPublisher(FakePublisher(), core.media.links, core.media.store)

    result = publisher.publish(job_for("x-main", media=(reference(key, "flu.jpg"),)))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "no longer in Clearpost's media store" in result.message
