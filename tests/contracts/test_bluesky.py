"""Bluesky against a stand-in PDS that follows the XRPC contract: createSession, createRecord,
uploadBlob, getRecord."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from adapters.publishers.bluesky import (
    OUTCOMES,
    BlueskyPublisher,
    graphemes,
    link_facets,
    record_key,
)
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import WHEN, channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply, StandIn

DID = "did:plc:clinic123"
SESSION = Reply(
    200, {"accessJwt": "jwt-1", "refreshJwt": "r-1", "did": DID, "handle": "clinic.test"}
)
CREATE = "/xrpc/com.atproto.repo.createRecord"
CREATED = Reply(200, {"uri": f"at://{DID}/app.bsky.feed.post/3kabc", "cid": "bafy"})
REPLIES = {
    **COMMON_REPLIES,
    "200": CREATED,
    "400": Reply(400, {"error": "InvalidRequest", "message": "Record/text must not be longer"}),
    "taken": Reply(500, {"error": "InternalServerError", "message": "Internal Server Error"}),
    "429": Reply(429, {"error": "RateLimitExceeded"}, headers={"ratelimit-reset": "9999999999"}),
}


def _publisher(server: StandIn) -> BlueskyPublisher:
    server.script("POST", "/xrpc/com.atproto.server.createSession", SESSION)
    config = channel_at(
        server, "bluesky", "bsky-clinic", {"app_password": "app-pass-1"}, handle="clinic.test"
    )
    return BlueskyPublisher(config)


@pytest.mark.parametrize("row", OUTCOMES, ids=lambda row: row.when)
def test_each_answer_in_the_outcome_table_becomes_its_outcome(standin, row):
    standin.script("POST", CREATE, REPLIES[row.when])
    standin.script(
        "GET",
        "/xrpc/com.atproto.repo.getRecord",
        Reply(200, {"uri": "at://x", "value": {}}) if row.when == "taken" else Reply(400, {}),
    )
    publisher = _publisher(standin)

    result = publisher.publish(job_for("bsky-clinic"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert "bsky-clinic" in result.message
        assert "app-pass-1" not in result.message and "Flu shots" not in result.message


def test_a_post_signs_in_then_writes_the_record_with_its_link_as_a_facet(standin):
    standin.script("POST", CREATE, CREATED)
    publisher = _publisher(standin)

    result = publisher.publish(job_for("bsky-clinic", "Flu shots", link="https://clinic.test/flu"))

    signin, create = standin.requests
    assert signin.json() == {"identifier": "clinic.test", "password": "app-pass-1"}
    assert create.header("authorization") == "Bearer jwt-1"
    body = create.json()
    assert body["repo"] == DID and body["collection"] == "app.bsky.feed.post"
    assert re.fullmatch(r"[2-7a-z]{13}", body["rkey"])
    record = body["record"]
    assert record["text"] == "Flu shots\nhttps://clinic.test/flu"
    assert record["createdAt"] == "2026-11-26T14:00:00Z"
    assert record["facets"][0]["index"] == {"byteStart": 10, "byteEnd": 33}
    assert result == Published(
        f"at://{DID}/app.bsky.feed.post/3kabc",
        f"https://bsky.app/profile/clinic.test/post/{body['rkey']}",
    )


def test_the_session_is_reused_across_posts(standin):
    standin.script("POST", CREATE, CREATED)
    publisher = _publisher(standin)

    publisher.publish(job_for("bsky-clinic"))
    publisher.publish(job_for("bsky-clinic", idempotency_key="another"))

    assert len(standin.to("POST", "/xrpc/com.atproto.server.createSession")) == 1


def test_an_expired_token_signs_in_again_and_posts_once(standin):
    expired = Reply(400, {"error": "ExpiredToken", "message": "Token has expired"})
    standin.script("POST", CREATE, expired, CREATED)
    publisher = _publisher(standin)

    result = publisher.publish(job_for("bsky-clinic"))

    assert isinstance(result, Published)
    assert len(standin.to("POST", "/xrpc/com.atproto.server.createSession")) == 2
    assert len(standin.to("POST", CREATE)) == 2


def test_a_retry_after_a_lost_answer_finds_the_first_post_instead_of_posting_again(standin):
    standin.script("POST", CREATE, COMMON_REPLIES["lost"], REPLIES["taken"])
    standin.script("GET", "/xrpc/com.atproto.repo.getRecord", Reply(200, {"value": {}}))
    publisher = _publisher(standin)
    job = job_for("bsky-clinic")

    first = publisher.publish(job)
    second = publisher.publish(job)

    assert isinstance(first, Failed) and first.kind == "transient"
    assert isinstance(second, Published)
    keys = {r.json()["rkey"] for r in standin.to("POST", CREATE)}
    assert len(keys) == 1
    assert standin.to("GET", "/xrpc/com.atproto.repo.getRecord")[0].query["rkey"] == list(keys)


def test_a_wrong_app_password_says_to_run_channels_check(standin):
    standin.script(
        "POST",
        "/xrpc/com.atproto.server.createSession",
        Reply(
            401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
        ),
    )
    config = channel_at(standin, "bluesky", "bsky-clinic", {"app_password": "x"}, handle="c.test")

    result = BlueskyPublisher(config).publish(job_for("bsky-clinic"))

    assert result == Failed(
        "permanent",
        "Bluesky refused the credentials for `bsky-clinic` (HTTP 401). "
        "Run `clearpost channels check`; to sign in again, "
        "`clearpost channels connect bsky-clinic`.",
    )


def test_a_missing_app_password_names_the_variable_to_set(standin):
    config = channel_at(standin, "bluesky", "bsky-clinic", handle="clinic.test")

    result = BlueskyPublisher(config).publish(job_for("bsky-clinic"))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "CLEARPOST_BSKY_CLINIC_APP_PASSWORD" in result.message
    assert standin.requests == []


def test_an_image_is_fetched_uploaded_as_a_blob_and_embedded(standin):
    blob = {"$type": "blob", "ref": {"$link": "bafkrei"}, "mimeType": "image/png", "size": 4}
    standin.script("GET", "/media/flu.png", Reply(200, body=b"\x89PNG", headers={}))
    standin.script("POST", "/xrpc/com.atproto.repo.uploadBlob", Reply(200, {"blob": blob}))
    standin.script("POST", CREATE, CREATED)
    publisher = _publisher(standin)

    result = publisher.publish(job_for("bsky-clinic", media=(f"{standin.base_url}/media/flu.png",)))

    assert isinstance(result, Published)
    upload = standin.to("POST", "/xrpc/com.atproto.repo.uploadBlob")[0]
    assert upload.body == b"\x89PNG"
    embed = standin.to("POST", CREATE)[0].json()["record"]["embed"]
    assert embed == {"$type": "app.bsky.embed.images", "images": [{"alt": "", "image": blob}]}


def test_each_image_carries_its_alt_text_which_the_lexicon_requires(standin):
    blob = {"$type": "blob", "ref": {"$link": "bafkrei"}, "mimeType": "image/png", "size": 4}
    standin.script("GET", re.compile(r"/media/\w+\.png"), Reply(200, body=b"\x89PNG"))
    standin.script("POST", "/xrpc/com.atproto.repo.uploadBlob", Reply(200, {"blob": blob}))
    standin.script("POST", CREATE, CREATED)
    media = (f"{standin.base_url}/media/flu.png", f"{standin.base_url}/media/hours.png")

    _publisher(standin).publish(
        job_for("bsky-clinic", media=media, media_alt=("A nurse giving a flu shot", ""))
    )

    images = standin.to("POST", CREATE)[0].json()["record"]["embed"]["images"]
    # app.bsky.embed.images#image: required ["image", "alt"]; an undescribed image sends "".
    assert [i["alt"] for i in images] == ["A nurse giving a flu shot", ""]


def test_check_names_the_account_we_post_as(standin):
    publisher = _publisher(standin)

    assert publisher.check() == f"@clinic.test ({DID})"


def test_the_record_key_is_stable_per_delivery_and_differs_between_deliveries():
    first = record_key("clearpost-7-bsky-abc", WHEN)

    assert record_key("clearpost-7-bsky-abc", WHEN) == first
    assert record_key("clearpost-8-bsky-abc", WHEN) != first
    assert record_key("clearpost-7-bsky-abc", WHEN + timedelta(days=1)) > first


def test_length_is_counted_in_graphemes_and_facets_in_utf8_bytes():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"

    assert graphemes(family + "é") == 2
    assert link_facets("café https://a.test/x.")[0]["index"] == {"byteStart": 6, "byteEnd": 22}


def _content(text: str, **changes: object) -> Content:
    fields: dict = {"text": text, "channels": ("bsky-clinic",), "scheduled_at": WHEN}
    fields.update(changes)
    return Content(**fields)


def test_validate_counts_the_appended_link_against_300_graphemes(standin):
    publisher = _publisher(standin)

    fits = publisher.validate("bsky-clinic", _content("a" * 300))
    too_long = publisher.validate("bsky-clinic", _content("a" * 280, link="https://clinic.test/x"))

    assert fits == []
    assert too_long == [
        "bsky-clinic: 302 characters as Bluesky counts them, but Bluesky allows 300. "
        "Shorten it or add a `bsky-clinic` override."
    ]


def test_validate_refuses_video_and_a_fifth_image(standin):
    publisher = _publisher(standin)
    images = tuple(f"https://clinic.test/{n}.jpg" for n in range(5))

    problems = publisher.validate("bsky-clinic", _content("Hi", media=images))
    video = publisher.validate("bsky-clinic", _content("Hi", media=("https://c.test/a.mp4",)))

    assert any("at most 4" in p for p in problems)
    assert video == ["bsky-clinic: media 1 is video; Bluesky takes image here."]
