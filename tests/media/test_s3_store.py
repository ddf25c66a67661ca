"""The media store in an S3-compatible bucket: minio's client against a stand-in that checks each
request's Signature V4, so a wrong secret is refused as S3 refuses it."""

from __future__ import annotations

import re

import httpx
import pytest
from pydantic import SecretStr

from adapters.bootstrap import build_core
from adapters.media.publishing import MediaLinkingPublisher
from adapters.media.s3_store import S3MediaStore
from adapters.media.settings import MediaSettings
from adapters.media.store import MediaRefused
from adapters.settings import Settings
from bot.domain import State
from bot.media import reference
from bot.ports import Failed
from tests.conftest import NOW
from tests.contracts.conftest import job_for
from tests.fakes import FakePublisher, FixedClock
from tests.slack import test_media_files
from tests.slack.harness import SlackWorkspace
from tests.slack.test_media_files import JPEG, MEDIA, channels, dispatch, propose_with_file
from tests.standins.s3 import ACCESS_KEY, SECRET_KEY, S3StandIn
from tests.support.served import ServedCore

instagram = test_media_files.instagram  # the Instagram stand-in fixture, shared
BUCKET = "clearpost-media"
PNG = b"\x89PNG\r\n\x1a\n" + b"y" * 100


@pytest.fixture
def keys(monkeypatch):
    monkeypatch.setenv("CLEARPOST_MEDIA_S3_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("CLEARPOST_MEDIA_S3_SECRET_KEY", SECRET_KEY)


@pytest.fixture
def s3(keys):
    with S3StandIn(BUCKET) as server:
        yield server


def media_config(s3: S3StandIn, **kw) -> dict:
    return {"s3_endpoint": s3.base_url, "s3_bucket": BUCKET, "s3_prefix": "clinic/", **kw}


def store_at(s3: S3StandIn, **kw) -> S3MediaStore:
    return S3MediaStore(MediaSettings(**media_config(s3, **kw)), max_bytes=10_000)


def test_a_file_is_stored_in_the_bucket_under_its_key_and_read_back(s3):
    store = store_at(s3)

    key = store.put(JPEG[:5000])

    assert re.fullmatch(r"[0-9a-f]{64}\.jpg", key)
    assert s3.objects == {(BUCKET, f"clinic/{key}"): JPEG[:5000]}
    assert store.get(key) == JPEG[:5000] and store.has(key)
    assert store.get("0" * 64 + ".jpg") is None and not store.has("0" * 64 + ".jpg")


def test_one_file_attached_twice_is_uploaded_once(s3):
    store = store_at(s3)

    first, again, png = store.put(JPEG[:500]), store.put(JPEG[:500]), store.put(PNG)

    assert first == again and png.endswith(".png")
    assert len([r for r in s3.requests if r.method == "PUT"]) == 2
    assert sorted(s3.objects) == sorted([(BUCKET, f"clinic/{first}"), (BUCKET, f"clinic/{png}")])


def test_what_is_not_an_image_is_refused_before_anything_is_sent(s3):
    with pytest.raises(MediaRefused, match="not an image or a video"):
        store_at(s3).put(b"MZ\x90\x00 an executable named flu.jpg")
    assert [r for r in s3.requests if r.method == "PUT"] == []


def test_a_wrong_secret_stops_start_up_with_a_sentence(s3, tmp_path, monkeypatch):
    monkeypatch.setenv("CLEARPOST_MEDIA_S3_SECRET_KEY", "not-the-secret")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'c.db'}", media=media_config(s3))

    with pytest.raises(MediaRefused) as refused:
        build_core(settings, clock=FixedClock(NOW))

    message = str(refused.value)
    assert "refused Clearpost's keys" in message and "SignatureDoesNotMatch" in message
    assert "CLEARPOST_MEDIA_S3_SECRET_KEY" in message and "not-the-secret" not in message


def test_a_missing_bucket_stops_start_up_with_a_sentence(s3, tmp_path):
    config = media_config(s3, s3_bucket="clearpost-typo")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'c.db'}", media=config)

    with pytest.raises(MediaRefused, match="no bucket “clearpost-typo” at http://127.0.0.1"):
        build_core(settings, clock=FixedClock(NOW))


def test_the_keys_come_from_the_environment_and_are_never_shown(keys):
    config = MediaSettings(s3_bucket=BUCKET)

    assert config.s3_secret_key == SecretStr(SECRET_KEY)
    assert SECRET_KEY not in repr(config) and SECRET_KEY not in str(config)


@pytest.mark.parametrize("endpoint", ["http://s3.example.com", "s3.example.com", "https://h/b"])
def test_an_endpoint_that_is_plain_http_or_not_a_bare_url_is_refused(endpoint):
    with pytest.raises(ValueError, match="https|not a URL|has a path"):
        MediaSettings(s3_endpoint=endpoint, s3_bucket=BUCKET)


def test_a_stored_file_gone_from_the_bucket_fails_the_delivery_with_a_sentence(s3, tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'c.db'}",
        public_base_url="https://clearpost.example",
        media=media_config(s3),
    )
    core = build_core(settings, clock=FixedClock(NOW))
    key = core.media.store.put(JPEG)
    s3.objects.clear()  # removed from the bucket (a lifecycle rule, another replica's cleanup)
    publisher = MediaLinkingPublisher(FakePublisher(), core.media.links, core.media.store)

    result = publisher.publish(job_for("x-main", media=(reference(key, "flu.jpg"),)))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "no longer in Clearpost's media store" in result.message


def test_an_image_attached_in_slack_reaches_instagram_through_the_bucket(tmp_path, s3, instagram):
    media = {**media_config(s3), "max_mb": 1}
    with SlackWorkspace(
        tmp_path, channels=channels(instagram), media=media, public_base_url="http://pending"
    ) as slack:
        slack.core.media.links.base_url = slack.served.url
        reply = propose_with_file(slack, "flu-clinic.jpg", JPEG)
        post_id = int(re.search(r"post #(\d+)", reply).group(1))
        key = slack.workflow.get(post_id).content.media[0].removeprefix("media:").split("#")[0]
        assert s3.objects == {(BUCKET, f"clinic/{key}"): JPEG}

        slack.click("U_OFFICER", "approve", post_id)
        slack.clock.advance(hours=21, minutes=1)
        dispatch(slack)

        assert instagram.fetched == [(200, JPEG)]
        assert "/media/" in instagram.to("POST", MEDIA)[0].form()["image_url"]
        assert slack.workflow.get(post_id).state is State.PUBLISHED


def test_config_check_knows_the_bucket_keys_and_hides_them(keys, monkeypatch, tmp_path):
    from adapters.config_report import config_report

    monkeypatch.setenv("CLEARPOST_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("CLEARPOST_MEDIA", '{"s3_bucket": "clearpost-media"}')

    valid, text = config_report()

    assert valid and "s3_bucket='clearpost-media'" in text
    assert SECRET_KEY not in text and ACCESS_KEY not in text
    assert "CLEARPOST_MEDIA_S3_SECRET_KEY is not a Clearpost setting" not in text


def test_a_bucket_that_fails_makes_a_link_a_503_not_a_500(s3, tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'clearpost.db'}",
        public_base_url="https://clearpost.example",
        media=media_config(s3),
    )
    core = build_core(settings, clock=FixedClock(NOW))
    key = core.media.store.put(JPEG[:5000])
    link = core.media.links.link(key)
    s3.buckets.discard(BUCKET)  # the bucket answers NoSuchBucket from now on

    with ServedCore(core) as server:
        answer = httpx.get(link.replace("https://clearpost.example", server.url), timeout=30)

    assert answer.status_code == 503
    assert answer.text == "The media store did not answer. Try again in a minute."
