"""The internal Teams channel against a stand-in webhook that answers as a Workflows webhook
trigger does (202, or 200 from a flow's Response action; 413 for a message over ~28 KB)."""

from __future__ import annotations

import pytest

from adapters.publishers.base import ChannelConfig, secret_variable
from adapters.publishers.teams_channel import (
    OUTCOMES,
    TeamsChannelPublisher,
    message_bytes,
    webhook_message,
)
from bot.domain import Content
from bot.errors import ClearpostError
from bot.ports import Failed, Published
from tests.contracts.conftest import WHEN, job_for
from tests.standins.networks import COMMON_REPLIES, Reply, StandIn

HOOK = "/workflows/abc/triggers/manual/paths/invoke"
REPLIES = {
    **COMMON_REPLIES,
    "202": Reply(202),
    "200": Reply(200),
    "400": Reply(400, {"error": {"code": "InvalidRequestContent", "message": "Bad card"}}),
    "413": Reply(413, {"error": {"code": "RequestEntityTooLarge", "message": "Too large"}}),
    "connector URL": Reply(200, body="1"),  # never reached: refused before sending
}
CONNECTOR = "https://clinic.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456"


def _publisher(
    server: StandIn, with_url: bool = True, url: str | None = None
) -> TeamsChannelPublisher:
    url = url or f"{server.base_url}{HOOK}?sig=s3cr3t"
    environ = {secret_variable("staff-teams", "webhook_url"): url}
    config = ChannelConfig(
        "staff-teams", "teams", {"timeout_seconds": 0.5}, environ if with_url else {}
    )
    return TeamsChannelPublisher(config)


@pytest.mark.parametrize("row", OUTCOMES, ids=lambda row: row.when)
def test_each_answer_in_the_outcome_table_becomes_its_outcome(standin, row):
    standin.script("POST", HOOK, REPLIES[row.when])
    url = CONNECTOR if row.when == "connector URL" else None

    result = _publisher(standin, url=url).publish(job_for("staff-teams"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert "staff-teams" in result.message
        assert "s3cr3t" not in result.message and "Flu shots" not in result.message


def test_the_post_is_an_adaptive_card_in_a_message_envelope(standin):
    standin.script("POST", HOOK, REPLIES["202"])
    media = ("https://clinic.test/flu.jpg",)

    result = _publisher(standin).publish(
        job_for("staff-teams", link="https://clinic.test/flu", media=media)
    )

    request = standin.to("POST", HOOK)[0]
    assert request.query == {"sig": ["s3cr3t"]}
    assert request.header("content-type") == "application/json"
    attachment = request.json()["attachments"][0]
    assert request.json()["type"] == "message"
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["body"][0] == {"type": "TextBlock", "text": "Flu shots from Monday", "wrap": True}
    assert card["body"][1]["url"] == "https://clinic.test/flu.jpg"
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "Open", "url": "https://clinic.test/flu"}
    ]
    assert result == Published("teams:clearpost-7-staff-teams-abababab", None)


def test_an_images_alt_text_is_the_cards_image_alt_text(standin):
    standin.script("POST", HOOK, REPLIES["202"])
    media = ("https://clinic.test/flu.jpg", "https://clinic.test/hours.png")

    _publisher(standin).publish(
        job_for("staff-teams", media=media, media_alt=("A nurse giving a flu shot", ""))
    )

    images = standin.to("POST", HOOK)[0].json()["attachments"][0]["content"]["body"][1:]
    # Adaptive Cards `Image.altText`: "Alternate text describing the image."
    assert images == [
        {
            "type": "Image",
            "url": media[0],
            "size": "Stretch",
            "altText": "A nurse giving a flu shot",
        },
        {"type": "Image", "url": media[1], "size": "Stretch"},
    ]


def test_a_retired_connector_url_is_refused_before_sending_and_says_what_to_make(standin):
    publisher = _publisher(standin, url=CONNECTOR)

    result = publisher.publish(job_for("staff-teams"))

    assert result.kind == "permanent"
    assert "connector webhooks were retired" in result.message
    assert "Post to a channel when a webhook request is received" in result.message
    assert "CLEARPOST_STAFF_TEAMS_WEBHOOK_URL" in result.message
    with pytest.raises(ClearpostError, match="Workflows"):
        publisher.check()


def test_a_message_too_large_for_teams_says_so(standin):
    standin.script("POST", HOOK, REPLIES["413"])

    result = _publisher(standin).publish(job_for("staff-teams"))

    assert result.kind == "permanent" and "about 28 KB" in result.message


def test_a_missing_webhook_url_names_the_variable_to_set(standin):
    result = _publisher(standin, with_url=False).publish(job_for("staff-teams"))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "CLEARPOST_STAFF_TEAMS_WEBHOOK_URL" in result.message


def test_check_does_not_post_to_the_channel(standin):
    described = _publisher(standin).check()

    assert "127.0.0.1" in described and "s3cr3t" not in described
    assert standin.requests == []


def test_validate_counts_the_bytes_of_the_whole_card_against_the_message_size_limit(standin):
    text = "é" * 13900  # 27,800 bytes of text: under the limit alone
    images = tuple(f"https://clinic.test/flu-{n}.jpg" for n in range(5))
    content = Content(
        text=text,
        channels=("staff-teams",),
        scheduled_at=WHEN,
        media=images,
        link="https://clinic.test/flu",
    )
    size = message_bytes(webhook_message(text, content.link, images))

    problems = _publisher(standin).validate("staff-teams", content)

    assert size > 28000
    assert problems == [
        f"staff-teams: {size} bytes (the whole card) as Teams counts them, but Teams allows "
        "28000. Shorten it or add a `staff-teams` override."
    ]


def test_the_size_validate_measures_is_the_size_sent(standin):
    standin.script("POST", HOOK, REPLIES["202"])
    job = job_for("staff-teams", text="é" * 50, link="https://clinic.test/flu")

    _publisher(standin).publish(job)

    assert len(standin.requests[0].body) == message_bytes(webhook_message(job.text, job.link, ()))
