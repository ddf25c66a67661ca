"""Tumblr against a stand-in that follows the NPF create-post contract and checks OAuth 1.0a."""

from __future__ import annotations

import pytest

from adapters.publishers.tumblr import OUTCOMES, TumblrPublisher, seconds_to_next_utc_day
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import WHEN, channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply, StandIn
from tests.standins.oauth1 import oauth_params, signed_correctly

POSTS = "/v2/blog/clinic.tumblr.com/posts"
CREATED = Reply(
    201,
    {
        "meta": {"status": 201, "msg": "Created"},
        "response": {"id": "7654321", "state": "published"},
    },
)
REPLIES = {
    **COMMON_REPLIES,
    "201": CREATED,
    "400": Reply(
        400,
        {
            "meta": {"status": 400, "msg": "Bad Request"},
            "errors": [{"title": "Bad Request", "code": 8001, "detail": "Posting failed."}],
        },
    ),
}
# The daily posting limit, as Tumblr answers it: a 403 whose error code says what it is.
DAILY_LIMIT = Reply(
    403,
    {
        "meta": {"status": 403, "msg": "Forbidden"},
        "response": [],
        "errors": [
            {
                "title": "Forbidden",
                "code": 8023,
                "detail": "You have reached your daily posting limit. Try again tomorrow.",
            }
        ],
    },
)
REPLIES["403 code 8023"] = DAILY_LIMIT
SECRETS = {
    "consumer_key": "ck",
    "consumer_secret": "cs",
    "oauth_token": "tok",
    "oauth_token_secret": "ts",
}


def _publisher(server: StandIn, secrets: dict[str, str] | None = None) -> TumblrPublisher:
    config = channel_at(
        server,
        "tumblr",
        "tumblr-clinic",
        SECRETS if secrets is None else secrets,
        blog="clinic.tumblr.com",
    )
    return TumblrPublisher(config)


@pytest.mark.parametrize("row", OUTCOMES, ids=lambda row: row.when)
def test_each_answer_in_the_outcome_table_becomes_its_outcome(standin, row):
    standin.script("POST", POSTS, REPLIES[row.when])

    result = _publisher(standin).publish(job_for("tumblr-clinic"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert "tumblr-clinic" in result.message
        assert "tok" not in result.message and "Flu shots" not in result.message


def test_a_post_is_npf_blocks_signed_with_oauth1(standin):
    standin.script("POST", POSTS, CREATED)
    job = job_for(
        "tumblr-clinic",
        link="https://clinic.test/flu",
        media=("https://clinic.test/a.jpg", "https://clinic.test/b.mp4"),
    )

    result = _publisher(standin).publish(job)

    request = standin.requests[0]
    assert oauth_params(request)["oauth_consumer_key"] == "ck"
    assert oauth_params(request)["oauth_token"] == "tok"
    assert signed_correctly(request, standin.base_url, "cs", "ts")
    assert not signed_correctly(request, standin.base_url, "cs", "wrong")
    assert request.json() == {
        "content": [
            {"type": "text", "text": "Flu shots from Monday"},
            {"type": "image", "media": [{"url": "https://clinic.test/a.jpg"}]},
            {"type": "video", "url": "https://clinic.test/b.mp4"},
            {"type": "link", "url": "https://clinic.test/flu"},
        ],
        "state": "published",
    }
    assert result == Published("7654321", "https://www.tumblr.com/clinic/7654321")


def test_an_image_block_carries_its_alt_text_and_a_long_one_is_a_problem(standin):
    standin.script("POST", POSTS, CREATED)
    media = ("https://clinic.test/a.jpg", "https://clinic.test/b.jpg")
    publisher = _publisher(standin)

    publisher.publish(job_for("tumblr-clinic", media=media, media_alt=("A nurse", "")))
    content = Content("Hi", ("tumblr-clinic",), WHEN, media=media[:1], media_alt=("z" * 4097,))

    blocks = standin.requests[0].json()["content"]
    assert blocks[1:] == [
        {"type": "image", "media": [{"url": media[0]}], "alt_text": "A nurse"},
        {"type": "image", "media": [{"url": media[1]}]},
    ]
    assert publisher.validate("tumblr-clinic", content) == [
        "tumblr-clinic: the alt text of media 1 is 4,097 characters, but Tumblr takes at most "
        "4,096. Shorten the description."
    ]


def test_a_refusal_reads_as_tumblrs_own_detail(standin):
    standin.script("POST", POSTS, REPLIES["400"])

    result = _publisher(standin).publish(job_for("tumblr-clinic"))

    assert result == Failed(
        "permanent", "Tumblr refused the post for `tumblr-clinic` (HTTP 400): Posting failed."
    )


def test_missing_keys_name_the_variable_to_set(standin):
    result = _publisher(standin, {}).publish(job_for("tumblr-clinic"))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "CLEARPOST_TUMBLR_CLINIC_CONSUMER_KEY" in result.message
    assert standin.requests == []


def test_check_names_the_user_and_blog(standin):
    standin.script("GET", "/v2/user/info", Reply(200, {"response": {"user": {"name": "clinic"}}}))

    described = _publisher(standin).check()

    assert described == "clinic, posting to clinic.tumblr.com"
    assert signed_correctly(standin.requests[0], standin.base_url, "cs", "ts")


def test_validate_refuses_media_that_is_not_an_image_or_video(standin):
    content = Content(
        text="Hi", channels=("tumblr-clinic",), scheduled_at=WHEN, media=("https://c.test/x.pdf",)
    )

    problems = _publisher(standin).validate("tumblr-clinic", content)

    assert problems == [
        "tumblr-clinic: media 1 is an unknown file type; Tumblr takes image or video here."
    ]


def test_the_daily_posting_limit_waits_for_the_next_day_and_does_not_blame_the_keys(standin):
    standin.script("POST", POSTS, DAILY_LIMIT)

    result = _publisher(standin).publish(job_for("tumblr-clinic"))

    assert result.kind == "transient"
    assert "daily posting limit" in result.message and "keys" not in result.message
    assert result.retry_after is not None and 60 < result.retry_after <= 86400 + 60


def test_a_plain_403_is_still_the_keys(standin):
    standin.script("POST", POSTS, COMMON_REPLIES["403"])

    result = _publisher(standin).publish(job_for("tumblr-clinic"))

    assert result.kind == "permanent" and "refused the credentials" in result.message


def test_the_wait_for_the_daily_limit_ends_just_after_utc_midnight():
    eleven_pm = 1_795_906_800.0  # 2026-11-28 23:00 UTC

    assert seconds_to_next_utc_day(eleven_pm) == 3600 + 60


def test_a_paragraph_longer_than_a_text_block_is_refused_before_approval(standin):
    long = Content(text="x" * 4097, channels=("tumblr-clinic",), scheduled_at=WHEN, media=())
    two = Content(
        text="a" * 4096 + "\n\n" + "b" * 3000, channels=("tumblr-clinic",), scheduled_at=WHEN
    )

    publisher = _publisher(standin)

    assert publisher.validate("tumblr-clinic", long) == [
        "tumblr-clinic: paragraph 1 is 4097 characters, but a Tumblr text block holds 4096. "
        "Split it with a blank line or shorten it."
    ]
    assert publisher.validate("tumblr-clinic", two) == []


def test_each_paragraph_is_its_own_text_block(standin):
    standin.script("POST", POSTS, CREATED)

    _publisher(standin).publish(job_for("tumblr-clinic", text="Flu shots\n\nWalk-ins welcome"))

    assert standin.requests[0].json()["content"] == [
        {"type": "text", "text": "Flu shots"},
        {"type": "text", "text": "Walk-ins welcome"},
    ]
