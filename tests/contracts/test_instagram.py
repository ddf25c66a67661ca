"""Instagram against a stand-in that answers as the Graph content-publishing API documents."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.publishers.instagram import OUTCOMES, InstagramPublisher
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import channel_at, job_for
from tests.contracts.test_facebook import graph_error
from tests.standins.networks import COMMON_REPLIES, Reply

TOKEN = "IGQ-token-SECRET"
MEDIA = "/v23.0/1784/media"
PUBLISH = "/v23.0/1784/media_publish"
IMAGE = "https://cdn.example/flu.jpg"
REPLIES = {
    **COMMON_REPLIES,
    "200": Reply(200, {"id": "17920238422030506"}),
    "code 190": graph_error(400, 190, "Error validating access token"),
    "code 9004": graph_error(400, 9004, "Only photo or video can be accepted as media type."),
    "code 4": graph_error(400, 4, "Application request limit reached"),
    # The publishing quota, as media_publish answers it when 50 posts went out in 24 h.
    "code 9 subcode 2207042": graph_error(
        400,
        9,
        "Application request limit reached",
        error_subcode=2207042,
        is_transient=False,
        error_user_title="Max publishing limit reached",
        error_user_msg="You've reached the maximum number of posts that can be published in 24 "
        "hours. Please try again later.",
    ),
}


@pytest.fixture
def instagram(standin):
    config = channel_at(
        standin,
        "instagram",
        "instagram-clinic",
        {"access_token": TOKEN},
        ig_user_id="1784",
        media_poll_seconds=0,
    )
    publisher = InstagramPublisher(config)
    yield publisher
    publisher.close()


def _container_ready(standin, status: str = "FINISHED") -> None:
    standin.script("POST", MEDIA, Reply(200, {"id": "c-1"}))
    standin.script("GET", "/v23.0/c-1", Reply(200, {"status_code": status, "id": "c-1"}))
    standin.script(
        "GET",
        "/v23.0/17920238422030506",
        Reply(200, {"permalink": "https://www.instagram.com/p/Cx1/"}),
    )


@pytest.mark.parametrize("row", OUTCOMES, ids=[row.when for row in OUTCOMES])
def test_each_answer_to_media_publish_becomes_the_outcome_in_the_table(standin, instagram, row):
    _container_ready(standin)
    standin.script("POST", PUBLISH, REPLIES[row.when])

    result = instagram.publish(job_for("instagram-clinic", media=(IMAGE,)))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert TOKEN not in result.message and "Flu shots" not in result.message


def test_an_image_post_is_a_container_then_a_publish_then_its_permalink(standin, instagram):
    _container_ready(standin)
    standin.script("POST", PUBLISH, REPLIES["200"])

    result = instagram.publish(
        job_for("instagram-clinic", media=(IMAGE,), link="https://c.example")
    )

    create, status, publish, permalink = standin.requests
    assert create.form() == {
        "image_url": IMAGE,
        "caption": "Flu shots from Monday\n\nhttps://c.example",
    }
    assert create.header("authorization") == f"Bearer {TOKEN}"
    assert status.query == {"fields": ["status_code"]}
    assert publish.form() == {"creation_id": "c-1"}
    assert result == Published("17920238422030506", "https://www.instagram.com/p/Cx1/")


def test_an_images_alt_text_is_the_containers_alt_text_and_a_reel_sends_none(standin, instagram):
    _container_ready(standin)
    standin.script("POST", PUBLISH, REPLIES["200"], REPLIES["200"])

    instagram.publish(
        job_for("instagram-clinic", media=(IMAGE,), media_alt=("A nurse giving a flu shot",))
    )
    instagram.publish(
        job_for("instagram-clinic", media=("https://cdn.example/tour.mp4",), media_alt=("A tour",))
    )

    image, reel = (r.form() for r in standin.to("POST", MEDIA))
    assert image["alt_text"] == "A nurse giving a flu shot"
    assert "alt_text" not in reel  # documented for image posts; reels and stories take none


def test_a_video_becomes_a_reel_published_only_after_processing_finishes(standin, instagram):
    standin.script("POST", MEDIA, Reply(200, {"id": "c-1"}))
    standin.script(
        "GET",
        "/v23.0/c-1",
        Reply(200, {"status_code": "IN_PROGRESS"}),
        Reply(200, {"status_code": "FINISHED"}),
    )
    standin.script("POST", PUBLISH, REPLIES["200"])

    instagram.publish(job_for("instagram-clinic", media=("https://cdn.example/tour.mp4",)))

    assert standin.to("POST", MEDIA)[0].form()["media_type"] == "REELS"
    assert len(standin.to("GET", "/v23.0/c-1")) == 2
    assert len(standin.to("POST", PUBLISH)) == 1


def test_a_full_publishing_quota_is_retried_in_an_hour_not_reported_as_refused(standin, instagram):
    _container_ready(standin)
    standin.script("POST", PUBLISH, REPLIES["code 9 subcode 2207042"])

    result = instagram.publish(job_for("instagram-clinic", media=(IMAGE,)))

    assert result == Failed(
        "transient",
        "Instagram's publishing limit for `instagram-clinic` (50 posts in 24 hours) is reached; "
        "trying again in 1 hour.",
        3600.0,
    )


def test_a_reel_still_processing_is_polled_again_on_retry_never_uploaded_twice(standin, instagram):
    standin.script("POST", MEDIA, Reply(200, {"id": "c-1"}), Reply(200, {"id": "c-2"}))
    standin.script("GET", "/v23.0/c-1", Reply(200, {"status_code": "IN_PROGRESS"}))
    standin.script("POST", PUBLISH, REPLIES["200"])
    job = job_for("instagram-clinic", media=("https://cdn.example/tour.mp4",))

    first = instagram.publish(job)
    polls = len(standin.to("GET", "/v23.0/c-1"))
    standin.script("GET", "/v23.0/c-1", Reply(200, {"status_code": "FINISHED"}))
    second = instagram.publish(job)

    assert first.kind == "transient" and "still processing" in first.message
    assert polls == 12  # bounded within one attempt
    assert len(standin.to("POST", MEDIA)) == 1  # the retry polled c-1, it made no c-2
    assert standin.to("POST", PUBLISH)[0].form() == {"creation_id": "c-1"}
    assert isinstance(second, Published)


def test_a_container_is_not_reused_once_its_post_is_published(standin, instagram):
    _container_ready(standin)
    standin.script("POST", PUBLISH, REPLIES["200"])
    job = job_for("instagram-clinic", media=(IMAGE,))

    instagram.publish(job)
    instagram.publish(job)

    assert len(standin.to("POST", MEDIA)) == 2


def test_media_instagram_cannot_process_fails_permanently_and_publishes_nothing(standin, instagram):
    _container_ready(standin, status="ERROR")

    result = instagram.publish(job_for("instagram-clinic", media=(IMAGE,)))

    assert result.kind == "permanent" and "could not process the media" in result.message
    assert standin.to("POST", PUBLISH) == []


def test_a_lost_container_request_is_safe_to_retry_because_nothing_was_published(
    standin, instagram
):
    standin.script("POST", MEDIA, Reply(drop=True))

    result = instagram.publish(job_for("instagram-clinic", media=(IMAGE,)))

    assert result.kind == "transient"


def test_a_post_without_media_is_refused_before_approval(instagram):
    content = Content("Flu shots", ("instagram-clinic",), datetime(2026, 12, 1, tzinfo=UTC))
    png = Content(
        "Flu shots", ("instagram-clinic",), content.scheduled_at, media=("https://c.example/a.png",)
    )
    tags = Content(
        " ".join(f"#t{i}" for i in range(31)),
        ("instagram-clinic",),
        content.scheduled_at,
        media=(IMAGE,),
    )

    assert instagram.validate("instagram-clinic", content) == [
        "instagram-clinic: Instagram needs an image or a video; none is attached."
    ]
    assert "must be a JPEG" in instagram.validate("instagram-clinic", png)[0]
    assert "31 hashtags" in instagram.validate("instagram-clinic", tags)[0]


def test_check_names_the_account(standin, instagram):
    standin.script("GET", "/v23.0/1784", Reply(200, {"id": "1784", "username": "riversideclinic"}))

    assert instagram.check() == "@riversideclinic (1784)"
