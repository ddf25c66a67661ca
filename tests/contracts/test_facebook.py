"""Facebook Page against a stand-in that answers as the Graph API documents."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adapters.publishers.base import MissingChannelSetting
from adapters.publishers.facebook import OUTCOMES, FacebookPublisher
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply

TOKEN = "EAAB-page-token-SECRET"
FEED = "/v23.0/1042/feed"
PHOTOS = "/v23.0/1042/photos"


def graph_error(status: int, code: int, message: str = "An error", **extra: object) -> Reply:
    error = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "A1",
        **extra,
    }
    return Reply(status, {"error": error})


REPLIES = {
    **COMMON_REPLIES,
    "200": Reply(200, {"id": "1042_555"}),
    "code 190": graph_error(400, 190, "Error validating access token: Session has expired"),
    "code 200": graph_error(403, 200, "Permissions error"),
    "code 100": graph_error(400, 100, "Invalid parameter", error_user_msg="The link is not valid."),
    "code 4": graph_error(400, 4, "Application request limit reached"),
    "code 32": graph_error(400, 32, "Page request limit reached"),
    "code 2": graph_error(500, 2, "An unexpected error has occurred. Please retry your request."),
}


@pytest.fixture
def facebook(standin):
    config = channel_at(
        standin, "facebook", "facebook-clinic", {"page_access_token": TOKEN}, page_id="1042"
    )
    publisher = FacebookPublisher(config)
    yield publisher
    publisher.close()


@pytest.mark.parametrize("row", OUTCOMES, ids=[row.when for row in OUTCOMES])
def test_each_answer_from_graph_becomes_the_outcome_in_the_table(standin, facebook, row):
    standin.script("POST", FEED, REPLIES[row.when])

    result = facebook.publish(job_for("facebook-clinic"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert TOKEN not in result.message and "Flu shots" not in result.message


def test_a_text_post_goes_to_the_page_feed_with_the_link_and_a_bearer_token(standin, facebook):
    standin.script("POST", FEED, REPLIES["200"])

    result = facebook.publish(job_for("facebook-clinic", link="https://clinic.example/flu"))

    (request,) = standin.requests
    assert request.header("authorization") == f"Bearer {TOKEN}"
    assert request.form() == {
        "message": "Flu shots from Monday",
        "link": "https://clinic.example/flu",
    }
    assert TOKEN not in str(request.query)
    assert result == Published("1042_555", "https://www.facebook.com/1042_555")


def test_one_image_is_one_photos_request_that_makes_the_post(standin, facebook):
    standin.script("POST", PHOTOS, Reply(200, {"id": "777", "post_id": "1042_556"}))

    result = facebook.publish(job_for("facebook-clinic", media=("https://cdn.example/flu.jpg",)))

    assert standin.requests[0].form() == {
        "url": "https://cdn.example/flu.jpg",
        "caption": "Flu shots from Monday",
    }
    assert result.external_id == "1042_556"


def test_several_images_are_uploaded_unpublished_then_attached_to_one_feed_post(standin, facebook):
    standin.script("POST", PHOTOS, Reply(200, {"id": "801"}), Reply(200, {"id": "802"}))
    standin.script("POST", FEED, REPLIES["200"])

    facebook.publish(
        job_for("facebook-clinic", media=("https://c.example/a.jpg", "https://c.example/b.png"))
    )

    photos = standin.to("POST", PHOTOS)
    assert [p.form()["published"] for p in photos] == ["false", "false"]
    feed = standin.to("POST", FEED)[0].form()
    assert json.loads(feed["attached_media[0]"]) == {"media_fbid": "801"}
    assert json.loads(feed["attached_media[1]"]) == {"media_fbid": "802"}


def test_each_photo_carries_its_alt_text_as_alt_text_custom(standin, facebook):
    standin.script(
        "POST",
        PHOTOS,
        Reply(200, {"id": "777", "post_id": "1042_556"}),
        Reply(200, {"id": "801"}),
        Reply(200, {"id": "802"}),
    )
    standin.script("POST", FEED, REPLIES["200"])
    two = ("https://c.example/a.jpg", "https://c.example/b.png")

    facebook.publish(job_for("facebook-clinic", media=two[:1], media_alt=("A nurse",)))
    facebook.publish(job_for("facebook-clinic", media=two, media_alt=("", "Opening hours")))

    single, first, second = (p.form() for p in standin.to("POST", PHOTOS))
    assert single["alt_text_custom"] == "A nurse"
    assert "alt_text_custom" not in first  # no description: the parameter is left out
    assert second == {"url": two[1], "published": "false", "alt_text_custom": "Opening hours"}


def test_throttling_waits_as_long_as_the_business_usage_header_says(standin, facebook):
    usage = json.dumps({"1042": [{"type": "pages", "estimated_time_to_regain_access": 7}]})
    standin.script(
        "POST",
        FEED,
        Reply(400, REPLIES["code 4"].json, headers={"X-Business-Use-Case-Usage": usage}),
    )

    result = facebook.publish(job_for("facebook-clinic"))

    assert (result.kind, result.retry_after) == ("transient", 420)


def test_an_expired_token_sent_as_400_is_still_blamed_on_the_token(standin, facebook):
    standin.script("POST", FEED, REPLIES["code 190"])

    result = facebook.publish(job_for("facebook-clinic"))

    assert "Run `clearpost channels check`" in result.message


def test_a_refusal_reads_in_facebooks_words_for_users(standin, facebook):
    standin.script("POST", FEED, REPLIES["code 100"])

    result = facebook.publish(job_for("facebook-clinic"))

    assert "The link is not valid." in result.message


def test_a_channel_without_page_id_says_where_to_set_it(standin):
    config = channel_at(standin, "facebook", "facebook-clinic", {"page_access_token": TOKEN})

    with pytest.raises(MissingChannelSetting, match=r"\[channels.facebook-clinic\] page_id"):
        FacebookPublisher(config).publish(job_for("facebook-clinic"))


def test_check_names_the_page(standin, facebook):
    standin.script("GET", "/v23.0/1042", Reply(200, {"id": "1042", "name": "Riverside Clinic"}))

    assert facebook.check() == "Page Riverside Clinic (1042)"
    assert standin.requests[0].query == {"fields": ["id,name"]}


def _content(text: str, *media: str) -> Content:
    return Content(text, ("facebook-clinic",), datetime(2026, 12, 1, tzinfo=UTC), media=media)


def test_validation_refuses_an_empty_text_post(facebook):
    assert facebook.validate("facebook-clinic", _content(" ")) == [
        "facebook-clinic: the text is empty."
    ]


def test_validation_takes_one_mp4_or_mov_video_alone(facebook):
    assert facebook.validate("facebook-clinic", _content("hi", "https://c.example/v.mp4")) == []
    mixed = facebook.validate(
        "facebook-clinic", _content("hi", "https://c.example/v.mp4", "https://c.example/a.jpg")
    )
    webm = facebook.validate("facebook-clinic", _content("hi", "https://c.example/v.webm"))

    assert mixed == ["facebook-clinic: a Facebook video post carries the video alone; split it."]
    assert webm == ["facebook-clinic: media 1 must be an MP4 or MOV video for Facebook."]


VIDEOS = "/v23.0/1042/videos"


@pytest.mark.parametrize("row", OUTCOMES, ids=[row.when for row in OUTCOMES])
def test_each_answer_to_a_page_video_becomes_the_outcome_in_the_table(standin, facebook, row):
    standin.script("HEAD", "/media/tour.mp4", Reply(200, headers={"Content-Length": "0"}))
    standin.script("POST", VIDEOS, REPLIES[row.when])

    result = facebook.publish(
        job_for("facebook-clinic", media=(f"{standin.base_url}/media/tour.mp4",))
    )

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert TOKEN not in result.message and "Flu shots" not in result.message


def test_a_video_goes_to_the_page_videos_edge_by_url_with_the_text_as_description(
    standin, facebook
):
    url = f"{standin.base_url}/media/tour.mp4"
    standin.script("HEAD", "/media/tour.mp4", Reply(200))
    standin.script("POST", VIDEOS, Reply(200, {"id": "987654321"}))

    result = facebook.publish(job_for("facebook-clinic", media=(url,), link="https://c.example/"))

    request = standin.to("POST", VIDEOS)[0]
    assert request.header("authorization") == f"Bearer {TOKEN}"
    assert request.form() == {
        "file_url": url,
        "description": "Flu shots from Monday\n\nhttps://c.example/",
    }
    assert standin.to("POST", FEED) == [] and standin.to("POST", PHOTOS) == []
    assert result == Published("987654321", "https://www.facebook.com/1042/videos/987654321")


def test_a_video_over_two_gigabytes_is_refused_before_graph_is_asked(standin, facebook):
    big = str(3 * 2**30)
    standin.respond(
        "HEAD", "/media/tour.mp4", lambda _: Reply(200, headers={"Content-Length": big})
    )

    result = facebook.publish(
        job_for("facebook-clinic", media=(f"{standin.base_url}/media/tour.mp4",))
    )

    assert result.kind == "permanent" and "up to 2 GB" in result.message
    assert standin.to("POST", VIDEOS) == []
