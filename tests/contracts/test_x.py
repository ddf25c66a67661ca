"""X against a stand-in that answers as API v2 documents."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from adapters.publishers.base import CheckFailed, MissingCredential
from adapters.publishers.x import OUTCOMES, XPublisher
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply

TOKEN = "x-user-token-SECRET"
CREATED = Reply(201, {"data": {"id": "1790000000000000001", "text": "Flu shots from Monday"}})
REPLIES = {
    **COMMON_REPLIES,
    "201": CREATED,
    "403": Reply(
        403,
        {
            "title": "Forbidden",
            "status": 403,
            "detail": "You are not allowed to create a Tweet with duplicate content.",
        },
    ),
    "400": Reply(400, {"errors": [{"message": "Your media IDs are invalid."}], "title": "Invalid"}),
    "429": Reply(429, {"title": "Too Many Requests"}, headers={"x-rate-limit-reset": "{reset}"}),
}


@pytest.fixture
def x(standin):
    publisher = XPublisher(channel_at(standin, "x", "x-main", {"access_token": TOKEN}))
    yield publisher
    publisher.close()


def _reply(when: str) -> Reply:
    reply = REPLIES[when]
    if when == "429":
        reset = str(int(time.time()) + 60)
        return Reply(429, reply.json, headers={"x-rate-limit-reset": reset})
    return reply


@pytest.mark.parametrize("row", OUTCOMES, ids=[row.when for row in OUTCOMES])
def test_each_answer_from_x_becomes_the_outcome_in_the_table(standin, x, row):
    standin.script("POST", "/2/tweets", _reply(row.when))

    result = x.publish(job_for("x-main"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert TOKEN not in result.message and "Flu shots" not in result.message


def test_a_post_is_one_bearer_authenticated_json_request_and_gives_its_link(standin, x):
    standin.script("POST", "/2/tweets", CREATED)

    result = x.publish(job_for("x-main", link="https://clinic.example/flu"))

    (request,) = standin.requests
    assert request.header("authorization") == f"Bearer {TOKEN}"
    assert request.json() == {"text": "Flu shots from Monday\n\nhttps://clinic.example/flu"}
    assert result == Published(
        "1790000000000000001", "https://x.com/i/web/status/1790000000000000001"
    )


def test_images_are_uploaded_first_and_attached_by_media_id(standin, x):
    standin.script(
        "GET",
        "/media/flyer.png",
        Reply(200, body=b"\x89PNG fake", headers={"Content-Type": "image/png"}),
    )
    standin.script("POST", "/2/media/upload", Reply(200, {"data": {"id": "710511363345354753"}}))
    standin.script("POST", "/2/tweets", CREATED)

    x.publish(job_for("x-main", media=(f"{standin.base_url}/media/flyer.png",)))

    upload = standin.to("POST", "/2/media/upload")[0]
    assert upload.header("content-type").startswith("multipart/form-data")
    assert b'name="media_category"' in upload.body and b"tweet_image" in upload.body
    assert b"\x89PNG fake" in upload.body
    assert standin.to("POST", "/2/tweets")[0].json()["media"] == {
        "media_ids": ["710511363345354753"]
    }


def test_an_images_alt_text_is_sent_as_its_media_metadata_before_the_post(standin, x):
    standin.script("GET", "/media/flyer.png", Reply(200, body=b"\x89PNG fake"))
    standin.script("POST", "/2/media/upload", Reply(200, {"data": {"id": "7105"}}))
    # docs.x.com/x-api/media/create-media-metadata: 200 with the metadata now associated.
    standin.script(
        "POST",
        "/2/media/metadata",
        Reply(200, {"data": {"id": "7105", "associated_metadata": {"alt_text": {"text": "x"}}}}),
    )
    standin.script("POST", "/2/tweets", CREATED)

    x.publish(
        job_for(
            "x-main",
            media=(f"{standin.base_url}/media/flyer.png",),
            media_alt=("Flyer: flu shots Monday to Friday",),
        )
    )

    (described,) = standin.to("POST", "/2/media/metadata")
    assert described.header("authorization") == f"Bearer {TOKEN}"
    assert described.json() == {
        "id": "7105",
        "metadata": {"alt_text": {"text": "Flyer: flu shots Monday to Friday"}},
    }
    assert [r.path for r in standin.requests if r.method == "POST"] == [
        "/2/media/upload",
        "/2/media/metadata",
        "/2/tweets",
    ]


def test_a_refused_alt_text_posts_nothing(standin, x):
    standin.script("GET", "/media/flyer.png", Reply(200, body=b"png"))
    standin.script("POST", "/2/media/upload", Reply(200, {"data": {"id": "7105"}}))
    standin.script("POST", "/2/media/metadata", Reply(400, {"title": "Invalid Request"}))

    result = x.publish(
        job_for("x-main", media=(f"{standin.base_url}/media/flyer.png",), media_alt=("A flyer",))
    )

    assert result.kind == "permanent"
    assert standin.to("POST", "/2/tweets") == []


def test_an_alt_text_over_1000_characters_is_a_problem_before_review(x):
    content = Content(
        "Flu shots!",
        ("x-main",),
        datetime(2026, 12, 1, tzinfo=UTC),
        media=("https://c.example/a.png",),
        media_alt=("y" * 1_001,),
    )

    assert x.validate("x-main", content) == [
        "x-main: the alt text of media 1 is 1,001 characters, but X takes at most 1,000. "
        "Shorten the description."
    ]


def test_a_failed_image_upload_posts_nothing(standin, x):
    standin.script("GET", "/media/flyer.png", Reply(200, body=b"png"))
    standin.script("POST", "/2/media/upload", Reply(503))

    result = x.publish(job_for("x-main", media=(f"{standin.base_url}/media/flyer.png",)))

    assert result.kind == "transient"
    assert standin.to("POST", "/2/tweets") == []


def test_a_rate_limit_waits_until_x_says_the_window_resets(standin, x):
    standin.script("POST", "/2/tweets", _reply("429"))

    result = x.publish(job_for("x-main"))

    assert 55 <= result.retry_after <= 60


def test_a_duplicate_is_refused_in_x_own_words_not_blamed_on_the_token(standin, x):
    standin.script("POST", "/2/tweets", REPLIES["403"])

    result = x.publish(job_for("x-main"))

    assert "duplicate content" in result.message
    assert "channels check" not in result.message


def test_a_missing_token_fails_naming_the_variable_and_sends_nothing(standin):
    x = XPublisher(channel_at(standin, "x", "x-main"))

    with pytest.raises(MissingCredential, match="CLEARPOST_X_MAIN_ACCESS_TOKEN"):
        x.publish(job_for("x-main"))

    assert standin.requests == []


def test_check_names_the_account_we_post_as(standin, x):
    standin.script(
        "GET",
        "/2/users/me",
        Reply(200, {"data": {"id": "1", "name": "Clinic", "username": "clinic"}}),
    )

    assert x.check() == "@clinic"


def test_check_says_what_to_fix_when_the_token_is_refused(standin, x):
    standin.script("GET", "/2/users/me", Reply(401, {"title": "Unauthorized"}))

    with pytest.raises(CheckFailed, match="CLEARPOST_X_MAIN_ACCESS_TOKEN"):
        x.check()


def _content(text: str, media: tuple[str, ...] = ()) -> Content:
    return Content(text, ("x-main",), datetime(2026, 12, 1, tzinfo=UTC), media=media)


def test_length_counts_links_as_23_and_cjk_as_2(x):
    link = "https://clinic.org/" + "a" * 200

    assert x.validate("x-main", _content("a" * 256 + " " + link)) == []
    assert "281 weighted characters" in x.validate("x-main", _content("a" * 257 + " " + link))[0]
    assert x.validate("x-main", _content("予" * 140)) == []
    assert "282 weighted" in x.validate("x-main", _content("予" * 141))[0]


def test_validation_refuses_more_than_four_images_and_a_video_beside_them(x):
    images = tuple(f"https://cdn.example/{i}.jpg" for i in range(5))

    problems = x.validate("x-main", _content("hi", images[:4] + ("https://cdn.example/v.mp4",)))

    assert any("at most 4" in p for p in problems)
    assert any("one video alone or up to 4 images" in p for p in problems)
