"""The internal Teams channel against a stand-in webhook that answers as Workflows (202) or as
the legacy Incoming Webhook connector (200 "1", or 200 with an error sentence)."""

from __future__ import annotations

import pytest

from adapters.publishers.base import ChannelConfig, secret_variable
from adapters.publishers.teams_channel import OUTCOMES, TeamsChannelPublisher
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import WHEN, job_for
from tests.standins.networks import COMMON_REPLIES, Reply, StandIn

HOOK = "/workflows/abc/triggers/manual/paths/invoke"
REPLIES = {
    **COMMON_REPLIES,
    "202": Reply(202),
    "200": Reply(200, body="1"),
    "200-error": Reply(
        200,
        body="Webhook message delivery failed with error: Microsoft Teams endpoint returned "
        "HTTP error 413",
    ),
    "400": Reply(400, {"error": {"code": "InvalidRequestContent", "message": "Bad card"}}),
}


def _publisher(server: StandIn, with_url: bool = True) -> TeamsChannelPublisher:
    environ = {secret_variable("staff-teams", "webhook_url"): f"{server.base_url}{HOOK}?sig=s3cr3t"}
    config = ChannelConfig(
        "staff-teams", "teams", {"timeout_seconds": 0.5}, environ if with_url else {}
    )
    return TeamsChannelPublisher(config)


@pytest.mark.parametrize("row", OUTCOMES, ids=lambda row: row.when)
def test_each_answer_in_the_outcome_table_becomes_its_outcome(standin, row):
    standin.script("POST", HOOK, REPLIES[row.when])

    result = _publisher(standin).publish(job_for("staff-teams"))

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


def test_a_connector_error_inside_a_200_is_a_failure_not_a_post(standin):
    standin.script("POST", HOOK, REPLIES["200-error"])

    result = _publisher(standin).publish(job_for("staff-teams"))

    assert isinstance(result, Failed)
    assert result.message.startswith("Teams refused the post for `staff-teams`: Webhook message")


def test_throttling_reported_inside_a_200_is_retried_later(standin):
    said = "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0"
    standin.script("POST", HOOK, Reply(200, body=f"Webhook message delivery failed: {said}"))

    result = _publisher(standin).publish(job_for("staff-teams"))

    assert isinstance(result, Failed) and result.kind == "transient"


def test_a_missing_webhook_url_names_the_variable_to_set(standin):
    result = _publisher(standin, with_url=False).publish(job_for("staff-teams"))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "CLEARPOST_STAFF_TEAMS_WEBHOOK_URL" in result.message


def test_check_does_not_post_to_the_channel(standin):
    described = _publisher(standin).check()

    assert "127.0.0.1" in described and "s3cr3t" not in described
    assert standin.requests == []


def test_validate_counts_bytes_against_the_message_size_limit(standin):
    content = Content(text="é" * 14001, channels=("staff-teams",), scheduled_at=WHEN)

    problems = _publisher(standin).validate("staff-teams", content)

    assert problems == [
        "staff-teams: 28002 bytes as Teams counts them, but Teams allows 28000. "
        "Shorten it or add a `staff-teams` override."
    ]
