"""Mastodon against a stand-in that answers as the statuses and media APIs document."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.publishers.base import CheckFailed
from adapters.publishers.mastodon import OUTCOMES, MastodonPublisher
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import channel_at, job_for
from tests.standins.multipart import multipart_fields
from tests.standins.networks import COMMON_REPLIES, Reply

TOKEN = "mastodon-token-SECRET"
STATUS = {"id": "109372843234", "url": "https://mastodon.example/@clinic/109372843234"}
REPLIES = {
    **COMMON_REPLIES,
    "200": Reply(200, STATUS),
    "422": Reply(422, {"error": "Validation failed: Text character limit of 500 exceeded"}),
    "429": Reply(
        429,
        {"error": "Too many requests"},
        headers={"X-RateLimit-Reset": "2099-01-01T00:00:00.000Z"},
    ),
}


@pytest.fixture
def mastodon(standin):
    config = channel_at(
        standin, "mastodon", "mastodon-clinic", {"access_token": TOKEN}, media_poll_seconds=0
    )
    publisher = MastodonPublisher(config)
    yield publisher
    publisher.close()


@pytest.mark.parametrize("row", OUTCOMES, ids=[row.when for row in OUTCOMES])
def test_each_answer_from_mastodon_becomes_the_outcome_in_the_table(standin, mastodon, row):
    standin.script("POST", "/api/v1/statuses", REPLIES[row.when])

    result = mastodon.publish(job_for("mastodon-clinic"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert TOKEN not in result.message and "Flu shots" not in result.message


def test_a_status_carries_the_token_and_the_delivery_idempotency_key(standin, mastodon):
    standin.script("POST", "/api/v1/statuses", REPLIES["200"])

    result = mastodon.publish(job_for("mastodon-clinic"))

    (request,) = standin.requests
    assert request.header("authorization") == f"Bearer {TOKEN}"
    assert request.header("idempotency-key") == "clearpost-7-mastodon-clinic-abababab"
    assert request.json() == {"status": "Flu shots from Monday", "visibility": "public"}
    assert result == Published(STATUS["id"], STATUS["url"])


def test_a_resend_after_a_lost_answer_reuses_the_key_so_mastodon_posts_once(standin, mastodon):
    standin.script("POST", "/api/v1/statuses", Reply(drop=True), REPLIES["200"])

    first = mastodon.publish(job_for("mastodon-clinic"))
    second = mastodon.publish(job_for("mastodon-clinic"))

    keys = {r.header("idempotency-key") for r in standin.requests}
    assert (first.kind, isinstance(second, Published), len(keys)) == ("transient", True, 1)


def test_media_processed_later_is_waited_for_then_attached(standin, mastodon):
    standin.script("GET", "/files/clinic.jpg", Reply(200, body=b"jpeg bytes"))
    standin.script("POST", "/api/v2/media", Reply(202, {"id": "22", "url": None}))
    standin.script(
        "GET",
        "/api/v1/media/22",
        Reply(206, {"id": "22", "url": None}),
        Reply(200, {"id": "22", "url": "u"}),
    )
    standin.script("POST", "/api/v1/statuses", REPLIES["200"])

    mastodon.publish(job_for("mastodon-clinic", media=(f"{standin.base_url}/files/clinic.jpg",)))

    assert len(standin.to("GET", "/api/v1/media/22")) == 2
    assert b"jpeg bytes" in standin.to("POST", "/api/v2/media")[0].body
    assert standin.to("POST", "/api/v1/statuses")[0].json()["media_ids"] == ["22"]


def test_each_upload_carries_its_description_as_the_media_api_documents(standin, mastodon):
    standin.script("GET", "/files/a.jpg", Reply(200, body=b"jpeg a"))
    standin.script("GET", "/files/b.jpg", Reply(200, body=b"jpeg b"))
    standin.script("POST", "/api/v2/media", Reply(200, {"id": "31"}), Reply(200, {"id": "32"}))
    standin.script("POST", "/api/v1/statuses", REPLIES["200"])
    media = (f"{standin.base_url}/files/a.jpg", f"{standin.base_url}/files/b.jpg")

    mastodon.publish(
        job_for("mastodon-clinic", media=media, media_alt=("A nurse giving a flu shot", ""))
    )

    first, second = standin.to("POST", "/api/v2/media")
    assert multipart_fields(first) == {"description": "A nurse giving a flu shot"}
    assert multipart_fields(second) == {}  # no description: the field is left out


def test_a_description_over_1500_characters_is_a_problem_before_review(mastodon):
    when = datetime(2026, 12, 1, tzinfo=UTC)
    content = Content(
        "Flu shots!",
        ("mastodon-clinic",),
        when,
        media=("https://c.example/a.jpg",),
        media_alt=("x" * 1_501,),
    )

    problems = mastodon.validate("mastodon-clinic", content)

    assert problems == [
        "mastodon-clinic: the alt text of media 1 is 1,501 characters, but Mastodon takes at "
        "most 1,500. Shorten the description."
    ]


def test_media_that_never_finishes_processing_posts_nothing_and_is_retried_later(standin, mastodon):
    standin.script("GET", "/files/clinic.mp4", Reply(200, body=b"video"))
    standin.script("POST", "/api/v2/media", Reply(202, {"id": "23", "url": None}))
    standin.script("GET", "/api/v1/media/23", Reply(206, {"id": "23", "url": None}))

    result = mastodon.publish(
        job_for("mastodon-clinic", media=(f"{standin.base_url}/files/clinic.mp4",))
    )

    assert result.kind == "transient" and "still processing" in result.message
    assert standin.to("POST", "/api/v1/statuses") == []


def test_a_rate_limit_waits_until_the_reset_time_mastodon_gives(standin, mastodon):
    standin.script("POST", "/api/v1/statuses", REPLIES["429"])

    result = mastodon.publish(job_for("mastodon-clinic"))

    assert result.retry_after == 3600  # far-off resets are capped at an hour


def test_a_refusal_reads_in_mastodons_own_words(standin, mastodon):
    standin.script("POST", "/api/v1/statuses", REPLIES["422"])

    result = mastodon.publish(job_for("mastodon-clinic"))

    assert "Text character limit of 500 exceeded" in result.message


def test_check_names_the_account_and_instance(standin, mastodon):
    standin.script("GET", "/api/v1/accounts/verify_credentials", Reply(200, {"acct": "clinic"}))

    assert mastodon.check() == f"@clinic on {standin.base_url}"


def test_check_says_which_variable_holds_the_refused_token(standin, mastodon):
    standin.script(
        "GET",
        "/api/v1/accounts/verify_credentials",
        Reply(401, {"error": "The access token is invalid"}),
    )

    with pytest.raises(CheckFailed, match="CLEARPOST_MASTODON_CLINIC_ACCESS_TOKEN"):
        mastodon.check()


def test_length_counts_links_as_23_and_remote_mentions_by_local_part(mastodon):
    when = datetime(2026, 12, 1, tzinfo=UTC)
    long_link = "https://clinic.example/" + "a" * 300
    fits = Content("a" * 400 + " @nurse@health.example " + long_link, ("mastodon-clinic",), when)
    over = Content("a" * 501, ("mastodon-clinic",), when)

    assert mastodon.validate("mastodon-clinic", fits) == []
    assert "501 characters" in mastodon.validate("mastodon-clinic", over)[0]
