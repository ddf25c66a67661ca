"""X video: chunked upload (initialize / append / finalize), STATUS polling, then the post, against
a stand-in that answers as docs.x.com's chunked-upload quickstart shows."""

from __future__ import annotations

import re
import struct
from datetime import UTC, datetime

import pytest

from adapters.publishers.x import SEGMENT_BYTES, VIDEO_OUTCOMES, VIDEO_POLLS, XPublisher
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import channel_at, job_for
from tests.standins.networks import Reply, StandIn

TOKEN = "x-user-token-SECRET"
MEDIA_ID = "1880028106020515840"
INIT = "/2/media/upload/initialize"
APPEND = f"/2/media/upload/{MEDIA_ID}/append"
FINALIZE = f"/2/media/upload/{MEDIA_ID}/finalize"
STATUS = "/2/media/upload"
CREATED = Reply(201, {"data": {"id": "1790000000000000009", "text": "Flu shots"}})


def mp4(seconds: float, padding: int = 0) -> bytes:
    """The smallest MP4 whose header states its length: ftyp, moov/mvhd, then mdat bytes."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    mvhd = (
        b"\0\0\0\0"
        + struct.pack(">IIII", 0, 0, 1000, int(seconds * 1000))
        + struct.pack(">IH", 0x10000, 0x100)
        + b"\0" * 70
        + struct.pack(">I", 2)
    )
    return (
        box(b"ftyp", b"isom\0\0\0\0isom")
        + box(b"moov", box(b"mvhd", mvhd))
        + box(b"mdat", b"\0" * padding)
    )


def processing(state: str, **extra: object) -> Reply:
    info = {"state": state, "check_after_secs": 1, **extra}
    return Reply(200, {"data": {"id": MEDIA_ID, "processing_info": info}})


@pytest.fixture
def x(standin):
    config = channel_at(standin, "x", "x-main", {"access_token": TOKEN}, media_poll_seconds=0)
    publisher = XPublisher(config)
    yield publisher
    publisher.close()


def _script_upload(server: StandIn, video: bytes, *status: Reply) -> str:
    server.script("GET", "/media/clinic-tour.mp4", Reply(200, body=video))
    server.script("POST", INIT, Reply(200, {"data": {"id": MEDIA_ID, "media_key": "13_1"}}))
    server.script("POST", APPEND, Reply(204))
    server.script("POST", FINALIZE, processing("pending"))
    server.script("GET", STATUS, *(status or (processing("succeeded"),)))
    server.script("POST", "/2/tweets", CREATED)
    return f"{server.base_url}/media/clinic-tour.mp4"


ROW_SCRIPTS = {
    "succeeded": dict(status=(processing("in_progress"), processing("succeeded"))),
    "failed": dict(status=(processing("failed", error={"message": "Unsupported video format"}),)),
    "in_progress": dict(status=(processing("in_progress"),)),
    "init 400": dict(init=Reply(400, {"detail": "media_type is not supported"})),
    "append 5xx": dict(append=Reply(503, {"title": "Service Unavailable"})),
    "too long": dict(video=mp4(21 * 60)),
}


@pytest.mark.parametrize("row", VIDEO_OUTCOMES, ids=[row.when for row in VIDEO_OUTCOMES])
def test_each_end_of_a_video_upload_becomes_the_outcome_in_the_table(standin, x, row):
    script = ROW_SCRIPTS[row.when]
    url = _script_upload(standin, script.get("video", mp4(12.5)), *script.get("status", ()))
    if "init" in script:
        standin.script("POST", INIT, script["init"])
    if "append" in script:
        standin.script("POST", APPEND, script["append"])

    result = x.publish(job_for("x-main", media=(url,)))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    posted = standin.to("POST", "/2/tweets")
    assert len(posted) == (1 if kind == "published" else 0)
    if isinstance(result, Failed):
        assert TOKEN not in result.message and "Flu shots" not in result.message


def test_a_video_is_sent_in_numbered_segments_and_attached_once_processed(standin, x):
    video = mp4(30, padding=2 * SEGMENT_BYTES + 1000)
    url = _script_upload(standin, video, processing("in_progress"), processing("succeeded"))

    result = x.publish(job_for("x-main", media=(url,)))

    init = standin.to("POST", INIT)[0]
    assert init.header("authorization") == f"Bearer {TOKEN}"
    assert init.json() == {
        "media_type": "video/mp4",
        "total_bytes": len(video),
        "media_category": "tweet_video",
    }
    appends = standin.to("POST", APPEND)
    indexes = [re.search(rb'name="segment_index"\r\n\r\n(\d+)', a.body).group(1) for a in appends]
    assert indexes == [b"0", b"1", b"2"]
    assert all(len(a.body) <= SEGMENT_BYTES + 1024 for a in appends)
    assert len(standin.to("POST", FINALIZE)) == 1
    polls = standin.to("GET", STATUS)
    assert [p.query for p in polls] == [{"command": ["STATUS"], "media_id": [MEDIA_ID]}] * 2
    assert standin.to("POST", "/2/tweets")[0].json()["media"] == {"media_ids": [MEDIA_ID]}
    assert isinstance(result, Published)


def test_polling_stops_after_a_bounded_number_of_checks(standin, x):
    url = _script_upload(standin, mp4(5), processing("in_progress"))

    result = x.publish(job_for("x-main", media=(url,)))

    assert len(standin.to("GET", STATUS)) == VIDEO_POLLS
    assert result == Failed("transient", "X is still processing media 1; trying again.")


def test_a_video_outside_x_durations_is_refused_before_anything_reaches_x(standin, x):
    url = _script_upload(standin, mp4(0.2))

    result = x.publish(job_for("x-main", media=(url,)))

    assert result.kind == "permanent"
    assert "0.2 s" in result.message and "trim it" in result.message
    assert [r.path for r in standin.requests] == ["/media/clinic-tour.mp4"]


def test_a_video_larger_than_the_channel_takes_is_refused_without_uploading(standin):
    config = channel_at(standin, "x", "x-main", {"access_token": TOKEN}, max_video_mb=1)
    x = XPublisher(config)
    url = _script_upload(standin, mp4(10, padding=2 * 2**20))

    result = x.publish(job_for("x-main", media=(url,)))
    x.close()

    assert result.kind == "permanent" and "larger than 1 MB" in result.message
    assert standin.to("POST", INIT) == []


def test_premium_accounts_may_be_given_a_longer_limit(standin):
    config = channel_at(
        standin,
        "x",
        "x-main",
        {"access_token": TOKEN},
        media_poll_seconds=0,
        max_video_seconds=7500,
    )
    x = XPublisher(config)
    url = _script_upload(standin, mp4(60 * 60))

    result = x.publish(job_for("x-main", media=(url,)))
    x.close()

    assert isinstance(result, Published)


def _content(*media: str) -> Content:
    return Content("Tour", ("x-main",), datetime(2026, 12, 1, tzinfo=UTC), media=media)


def test_validation_accepts_one_video_alone(x):
    assert x.validate("x-main", _content("https://cdn.example/tour.mp4")) == []
    assert x.validate("x-main", _content("https://cdn.example/tour.MOV")) == []


def test_validation_refuses_a_video_beside_other_media_and_videos_x_cannot_take(x):
    mixed = x.validate("x-main", _content("https://c.example/a.mp4", "https://c.example/b.jpg"))
    webm = x.validate("x-main", _content("https://c.example/tour.webm"))

    assert any("one video alone or up to 4 images" in p for p in mixed)
    assert webm == ["x-main: media 1 must be an MP4 or MOV video for X."]


GIF = b"GIF89a" + b"\0" * 64


def test_an_animated_gif_goes_through_the_chunked_upload_as_tweet_gif(standin, x):
    standin.script("GET", "/media/flu.gif", Reply(200, body=GIF))
    standin.script("POST", INIT, Reply(200, {"data": {"id": MEDIA_ID, "media_key": "16_1"}}))
    standin.script("POST", APPEND, Reply(204))
    standin.script("POST", FINALIZE, processing("pending"))
    standin.script("GET", STATUS, processing("succeeded"))
    standin.script("POST", "/2/tweets", CREATED)

    result = x.publish(job_for("x-main", media=(f"{standin.base_url}/media/flu.gif",)))

    assert isinstance(result, Published)
    assert standin.to("POST", INIT)[0].json() == {
        "media_type": "image/gif",
        "total_bytes": len(GIF),
        "media_category": "tweet_gif",
    }
    assert len(standin.to("POST", APPEND)) == 1
    assert standin.to("POST", "/2/media/upload") == []  # never the one-step image upload
    assert standin.to("POST", "/2/tweets")[0].json()["media"] == {"media_ids": [MEDIA_ID]}


def test_a_gif_over_fifteen_megabytes_is_refused_before_any_upload(standin, x):
    standin.script("GET", "/media/big.gif", Reply(200, body=b"GIF89a" + b"\0" * (15 * 2**20)))

    result = x.publish(job_for("x-main", media=(f"{standin.base_url}/media/big.gif",)))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "15 MB" in result.message
    assert standin.to("POST", INIT) == []


def test_a_gif_goes_alone(x):
    content = Content(
        "Flu shots",
        ("x-main",),
        datetime(2026, 12, 1, tzinfo=UTC),
        media=("https://c.example/a.gif", "https://c.example/b.jpg"),
    )

    assert x.validate("x-main", content) == [
        "x-main: X takes an animated GIF alone, without other media; split it."
    ]
