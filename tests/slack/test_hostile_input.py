"""What a broken or hostile request to /slack/events gets: refused, never a 500, nothing saved."""

from __future__ import annotations

import pytest

from bot.ports import PostQuery


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfe not utf-8 command=/propose", "application/x-www-form-urlencoded"),
        (b"{not json", "application/json"),
        (b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
    ],
)
def test_an_unsigned_or_undecodable_request_is_refused(slack, body, content_type):
    response = slack.http.post(
        "/slack/events",
        content=body,
        headers={"Content-Type": content_type, "X-Slack-Request-Timestamp": "1"},
    )

    assert response.status_code == 401
    assert slack.workflow.posts(PostQuery()) == []


@pytest.mark.parametrize(
    "body",
    [
        "payload=%7Bbroken",
        'payload={"type": "block_actions", "user": {"id": "U_NURSE"}, "actions": []}',
        'payload={"type": "block_actions", "user": {"id": "U_NURSE"}, '
        '"actions": [{"action_id": "approve", "value": "not-a-number"}]}',
    ],
)
def test_a_signed_but_malformed_interaction_does_not_crash_the_app(slack, body):
    response = slack.send(body, "application/x-www-form-urlencoded")

    assert response.status_code < 500
    assert slack.workflow.posts(PostQuery()) == []


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (DEEP, "application/json"),
        ("payload=" + DEEP, "application/x-www-form-urlencoded"),
        ("[1, 2, 3]", "application/json"),
        ('"event_callback"', "application/json"),
        ("payload=null", "application/x-www-form-urlencoded"),
        ("payload=%5B1%5D", "application/x-www-form-urlencoded"),
    ],
    ids=["deep JSON", "deep payload", "a list", "a string", "a null payload", "a list payload"],
)
def test_a_signed_body_that_is_not_a_slack_payload_is_a_400(slack, body, content_type):
    response = slack.send(body, content_type)

    assert response.status_code == 400
    assert response.text == "The request body could not be parsed."
