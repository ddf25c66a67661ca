"""YouTube against a stand-in that follows the resumable upload protocol: Google's token
endpoint, the session-opening POST (answering with `Location`), and the PUT of the bytes."""

from __future__ import annotations

import pytest

from adapters.publishers.youtube import OUTCOMES, YouTubePublisher, seconds_to_quota_reset
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import WHEN, channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply, StandIn

VIDEO = b"\x00\x00\x00\x18ftypmp42" * 100
OPEN = "/upload/youtube/v3/videos"
SESSION = "/upload/session/abc"
UPLOADED = Reply(
    200, {"kind": "youtube#video", "id": "vid123", "status": {"uploadStatus": "uploaded"}}
)
QUOTA = Reply(
    403,
    {"error": {"code": 403, "message": "quota", "errors": [{"reason": "quotaExceeded"}]}},
)
REPLIES = {
    **COMMON_REPLIES,
    "200": UPLOADED,
    "400": Reply(
        400,
        {
            "error": {
                "code": 400,
                "message": "The request metadata specifies an invalid video title.",
                "errors": [{"reason": "invalidTitle"}],
            }
        },
    ),
    "quotaExceeded": QUOTA,
    # The channel's own cap on uploads in 24 hours (YouTube: "try again in 24 hours").
    "uploadLimitExceeded": Reply(
        400,
        {
            "error": {
                "code": 400,
                "message": "The user has exceeded the number of videos they may upload.",
                "errors": [
                    {
                        "domain": "youtube.video",
                        "reason": "uploadLimitExceeded",
                        "message": "The user has exceeded the number of videos they may upload.",
                    }
                ],
            }
        },
    ),
}
SECRETS = {"client_id": "cid", "client_secret": "csec", "refresh_token": "rtok"}


def _publisher(server: StandIn, secrets: dict[str, str] | None = None) -> YouTubePublisher:
    server.script("POST", "/token", Reply(200, {"access_token": "ya29", "expires_in": 3599}))
    server.script("GET", "/media/flu.mp4", Reply(200, body=VIDEO))
    server.script(
        "POST", OPEN, Reply(200, headers={"Location": f"{server.base_url}{SESSION}?upload_id=1"})
    )
    config = channel_at(
        server,
        "youtube",
        "youtube-clinic",
        SECRETS if secrets is None else secrets,
        token_url=f"{server.base_url}/token",
        privacy="unlisted",
    )
    return YouTubePublisher(config)


def _job(server: StandIn, **changes: object):  # type: ignore[no-untyped-def]
    media = (f"{server.base_url}/media/flu.mp4",)
    return job_for("youtube-clinic", "Flu shots\nWalk in Monday.", media=media, **changes)


@pytest.mark.parametrize("row", OUTCOMES, ids=lambda row: row.when)
def test_each_answer_in_the_outcome_table_becomes_its_outcome(standin, row):
    publisher = _publisher(standin)
    standin.script("PUT", SESSION, REPLIES[row.when])

    result = publisher.publish(_job(standin))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert "youtube-clinic" in result.message
        assert "ya29" not in result.message and "Flu shots" not in result.message


def test_an_upload_opens_a_session_with_the_metadata_then_puts_the_bytes(standin):
    publisher = _publisher(standin)
    standin.script("PUT", SESSION, UPLOADED)

    result = publisher.publish(_job(standin, link="https://clinic.test/flu"))

    token = standin.to("POST", "/token")[0]
    assert token.form() == {
        "grant_type": "refresh_token",
        "client_id": "cid",
        "client_secret": "csec",
        "refresh_token": "rtok",
    }
    opened = standin.to("POST", OPEN)[0]
    assert opened.query == {"uploadType": ["resumable"], "part": ["snippet,status"]}
    assert opened.header("authorization") == "Bearer ya29"
    assert opened.header("x-upload-content-length") == str(len(VIDEO))
    assert opened.header("x-upload-content-type") == "video/mp4"
    assert opened.json() == {
        "snippet": {
            "title": "Flu shots",
            "description": "Walk in Monday.\n\nhttps://clinic.test/flu",
            "categoryId": "22",
        },
        "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
    }
    put = standin.to("PUT", SESSION)[0]
    assert put.query == {"upload_id": ["1"]}
    assert put.body == VIDEO
    assert result == Published("vid123", "https://www.youtube.com/watch?v=vid123")


def test_a_spent_quota_when_opening_the_session_is_retried_later(standin):
    publisher = _publisher(standin)
    standin.script("POST", OPEN, QUOTA)

    result = publisher.publish(_job(standin))

    assert isinstance(result, Failed) and result.kind == "transient"
    assert standin.to("PUT", SESSION) == []


def test_a_spent_quota_waits_for_its_reset_at_midnight_pacific(standin):
    publisher = _publisher(standin)
    standin.script("POST", OPEN, QUOTA)

    result = publisher.publish(_job(standin))

    assert "midnight Pacific" in result.message
    assert result.retry_after is not None and 60 < result.retry_after <= 25 * 3600 + 60


def test_the_quota_reset_is_the_next_midnight_in_los_angeles():
    eleven_pm_pst = 1_796_022_000.0  # 2026-11-30 07:00 UTC = 23:00 PST on the 29th

    assert seconds_to_quota_reset(eleven_pm_pst) == 3600 + 60


def test_the_channels_upload_limit_waits_a_day_not_the_backoff(standin):
    publisher = _publisher(standin)
    standin.script("POST", OPEN, REPLIES["uploadLimitExceeded"])

    result = publisher.publish(_job(standin))

    assert result.kind == "transient" and result.retry_after == 86400.0
    assert "upload limit" in result.message


def test_a_connection_lost_while_opening_the_session_is_safe_to_retry(standin):
    publisher = _publisher(standin)
    standin.script("POST", OPEN, COMMON_REPLIES["lost"])

    result = publisher.publish(_job(standin))

    assert isinstance(result, Failed) and result.kind == "transient"


def test_a_video_that_cannot_be_fetched_is_a_clear_permanent_failure(standin):
    publisher = _publisher(standin)
    standin.script("GET", "/media/flu.mp4", Reply(404, body="gone"))

    result = publisher.publish(_job(standin))

    assert result == Failed(
        "permanent",
        "The video for `youtube-clinic` could not be fetched (HTTP 404); fix its address, "
        "then Retry.",
    )
    assert standin.to("POST", OPEN) == []


def test_a_revoked_refresh_token_says_to_connect_the_channel_again(standin):
    publisher = _publisher(standin)
    standin.script("POST", "/token", Reply(400, {"error": "invalid_grant"}))

    result = publisher.publish(_job(standin))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "(invalid_grant, HTTP 400)" in result.message
    assert "run `clearpost channels connect youtube-clinic`" in result.message


def test_missing_credentials_name_the_variable_to_set(standin):
    result = _publisher(standin, {}).publish(_job(standin))

    assert isinstance(result, Failed) and "CLEARPOST_YOUTUBE_CLINIC_REFRESH_TOKEN" in result.message


def test_check_names_the_channel(standin):
    standin.script(
        "GET", "/youtube/v3/channels", Reply(200, {"items": [{"snippet": {"title": "Clinic TV"}}]})
    )

    assert _publisher(standin).check() == "the YouTube channel Clinic TV"


def _content(text: str, media: tuple[str, ...] = ("https://c.test/a.mp4",)) -> Content:
    return Content(text=text, channels=("youtube-clinic",), scheduled_at=WHEN, media=media)


def test_validate_requires_a_video(standin):
    problems = _publisher(standin).validate("youtube-clinic", _content("Flu", media=()))

    assert problems == ["youtube-clinic: YouTube needs a video; none is attached."]


def test_validate_limits_the_title_and_refuses_angle_brackets(standin):
    publisher = _publisher(standin)

    long_title = publisher.validate("youtube-clinic", _content("t" * 101))
    brackets = publisher.validate("youtube-clinic", _content("Flu <b>shots</b>"))

    assert long_title == [
        "youtube-clinic: the title (first line) has 101 characters, but YouTube allows 100. "
        "Shorten it or add a `youtube-clinic` override."
    ]
    assert brackets == ["youtube-clinic: YouTube refuses < and > in titles and descriptions."]
