"""The internal Slack channel against a stand-in Web API (chat.postMessage, chat.getPermalink,
auth.test), driven through the real slack_sdk WebClient."""

from __future__ import annotations

import httpx
import pytest

from adapters.publishers.base import ChannelConfig, secret_variable
from adapters.publishers.slack_channel import OUTCOMES, SlackChannelPublisher
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import WHEN, channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply, StandIn

POSTED = Reply(200, {"ok": True, "channel": "C0STAFF", "ts": "1764165600.000100"})
PERMALINK = Reply(200, {"ok": True, "permalink": "https://clinic.slack.com/archives/C0STAFF/p1"})
REPLIES = {
    **COMMON_REPLIES,
    "200": POSTED,
    "invalid_auth": Reply(200, {"ok": False, "error": "invalid_auth"}),
    "channel_not_found": Reply(200, {"ok": False, "error": "channel_not_found"}),
    "429": Reply(429, {"ok": False, "error": "ratelimited"}, headers={"Retry-After": "3"}),
    "timeout": Reply(200, {"ok": True}, delay=2.5),
}


def _publisher(server: StandIn, secrets: dict[str, str] | None = None) -> SlackChannelPublisher:
    config = channel_at(
        server,
        "slack",
        "staff-news",
        {"bot_token": "xoxb-secret"} if secrets is None else secrets,
        base_url=f"{server.base_url}/api/",
        channel="C0STAFF",
        timeout_seconds=1,
    )
    return SlackChannelPublisher(config)


@pytest.mark.parametrize("row", OUTCOMES, ids=lambda row: row.when)
def test_each_answer_in_the_outcome_table_becomes_its_outcome(standin, row):
    standin.script("POST", "/api/chat.postMessage", REPLIES[row.when])
    standin.script("POST", "/api/chat.getPermalink", PERMALINK)

    result = _publisher(standin).publish(job_for("staff-news"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert "staff-news" in result.message
        assert "xoxb-secret" not in result.message and "Flu shots" not in result.message
    assert len(standin.to("POST", "/api/chat.postMessage")) == 1  # never resent


def test_a_message_is_posted_as_the_bot_and_answered_with_its_permalink(standin):
    standin.script("POST", "/api/chat.postMessage", POSTED)
    standin.script("POST", "/api/chat.getPermalink", PERMALINK)

    result = _publisher(standin).publish(job_for("staff-news", link="https://clinic.test/flu"))

    post = standin.to("POST", "/api/chat.postMessage")[0]
    assert post.header("authorization") == "Bearer xoxb-secret"
    body = post.json()
    assert body["channel"] == "C0STAFF"
    assert body["text"] == "Flu shots from Monday\nhttps://clinic.test/flu"
    assert result == Published(
        "C0STAFF:1764165600.000100", "https://clinic.slack.com/archives/C0STAFF/p1"
    )


def test_a_refusal_names_slacks_error_code(standin):
    standin.script("POST", "/api/chat.postMessage", REPLIES["channel_not_found"])

    result = _publisher(standin).publish(job_for("staff-news"))

    assert result == Failed(
        "permanent", "Slack refused the post for `staff-news`: channel_not_found."
    )


def test_a_rate_limit_waits_as_long_as_slack_asks(standin):
    standin.script("POST", "/api/chat.postMessage", REPLIES["429"])

    result = _publisher(standin).publish(job_for("staff-news"))

    assert isinstance(result, Failed) and result.retry_after == 3.0


def test_a_missing_permalink_still_counts_as_published(standin):
    standin.script("POST", "/api/chat.postMessage", POSTED)
    standin.script("POST", "/api/chat.getPermalink", Reply(200, {"ok": False, "error": "x"}))

    result = _publisher(standin).publish(job_for("staff-news"))

    assert result == Published("C0STAFF:1764165600.000100", None)


def test_the_apps_own_bot_token_is_used_when_the_channel_has_none(standin):
    standin.script("POST", "/api/chat.postMessage", POSTED)
    standin.script("POST", "/api/chat.getPermalink", PERMALINK)
    config = ChannelConfig(
        "staff-news",
        "slack",
        {"base_url": f"{standin.base_url}/api/", "channel": "C0STAFF"},
        {"SLACK_BOT_TOKEN": "xoxb-app"},
    )

    SlackChannelPublisher(config).publish(job_for("staff-news"))

    assert standin.requests[0].header("authorization") == "Bearer xoxb-app"


def test_no_token_at_all_names_the_variable_to_set(standin):
    result = _publisher(standin, {}).publish(job_for("staff-news"))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert secret_variable("staff-news", "bot_token") in result.message
    assert standin.requests == []


def test_check_names_the_bot_and_workspace(standin):
    standin.script(
        "POST", "/api/auth.test", Reply(200, {"ok": True, "user": "clearpost", "team": "Clinic"})
    )

    assert _publisher(standin).check() == "@clearpost in Clinic"


def test_validate_refuses_an_empty_message(standin):
    content = Content(text="  ", channels=("staff-news",), scheduled_at=WHEN)

    assert _publisher(standin).validate("staff-news", content) == ["staff-news: the text is empty."]


def test_with_a_transport_the_message_goes_only_through_it(standin):
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True, "channel": "C0STAFF", "ts": "1.2"})

    config = channel_at(
        standin,
        "slack",
        "staff-news",
        {"bot_token": "xoxb-secret"},
        base_url=f"{standin.base_url}/api/",
        channel="C0STAFF",
    )
    publisher = SlackChannelPublisher(config, transport=httpx.MockTransport(record))

    result = publisher.publish(job_for("staff-news"))

    assert standin.requests == []
    assert seen[0].url.path == "/api/chat.postMessage"
    assert seen[0].headers["authorization"] == "Bearer xoxb-secret"
    assert result == Published("C0STAFF:1.2", None)
