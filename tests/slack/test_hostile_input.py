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


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            "command=%2Fpropose&text=x-main+tomorrow+9am+hi&trigger_id=t1",
            "application/x-www-form-urlencoded",
        ),
        (
            'payload={"type": "block_actions", "trigger_id": "t2", '
            '"actions": [{"action_id": "edit", "value": "1:abc"}]}',
            "application/x-www-form-urlencoded",
        ),
        ("command=%2Fpropose&user_id=U_NURSE&text=x-main+tomorrow+9am+hi", "text/plain"),
    ],
    ids=["a command without a user", "a click without a user", "a command as text/plain"],
)
def test_a_signed_request_from_nobody_or_not_in_slacks_format_proposes_nothing(
    slack, body, content_type
):
    response = slack.send(body, content_type)

    assert response.status_code in (200, 415)
    assert slack.workflow.posts(PostQuery()) == []
    assert slack.api.called("views.open") == []


def test_a_thread_message_event_without_a_user_is_not_recorded(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    thread = slack.workflow.get(post_id).thread
    event = {"type": "message", "channel": thread.channel, "text": "hi", "ts": "1764500999.1"}

    slack.event({**event, "thread_ts": thread.ts})

    assert [e.action for e in slack.workflow.audit_trail(post_id)].count("commented") == 0


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
