"""What happens on each fault: forged or stale requests, Slack's retries, double clicks, and a Web
API that rate limits, fails, or cannot post in the approval channel."""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from bot.domain import State
from tests.slack.harness import sign


def test_a_request_with_a_bad_signature_is_refused_and_does_nothing(slack):
    body = urlencode({"command": "/propose", "text": "x tomorrow 9am Hi", "user_id": "U_NURSE"})

    response = slack.send(
        body, "application/x-www-form-urlencoded", signature=sign(body, int(time.time()), "wrong")
    )

    assert response.status_code == 401
    assert slack.workflow.calendar(days=30) == []
    assert [c.method for c in slack.api.calls] == ["auth.test"]  # only bolt's start-up check


def test_a_request_signed_more_than_five_minutes_ago_is_refused(slack):
    body = urlencode({"command": "/propose", "text": "x tomorrow 9am Hi", "user_id": "U_NURSE"})
    stale = int(time.time()) - 6 * 60

    response = slack.send(body, "application/x-www-form-urlencoded", timestamp=stale)

    assert response.status_code == 401
    assert slack.workflow.calendar(days=30) == []


def test_the_events_url_answers_slacks_url_verification(slack):
    body = json.dumps(
        {
            "token": "t",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )

    response = slack.send(body, "application/json")

    assert response.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.text


def test_a_retried_slash_command_makes_one_proposal(slack):
    slack.command("U_NURSE", "x tomorrow 9am Flu shots are in!", trigger_id="trigger.same")

    slack.command(
        "U_NURSE", "x tomorrow 9am Flu shots are in!", trigger_id="trigger.same", retry_num=1
    )

    assert len(slack.workflow.calendar(days=30)) == 1
    assert len(slack.api.succeeded("chat.postMessage")) == 1  # one approval thread
    assert "post #1" in slack.api.replies()[0] and "post #1" in slack.api.replies()[1]


def test_a_double_submitted_modal_makes_one_proposal(slack):
    from tests.slack.harness import proposal_values

    slack.command("U_NURSE", "")
    view = slack.last_view()
    values = proposal_values(["x-main"], "2026-11-30", "08:30", "Holiday hours")

    slack.submit("U_NURSE", view, values, view_id="V_ONE")
    slack.submit("U_NURSE", view, values, view_id="V_ONE")

    assert len(slack.workflow.calendar(days=30)) == 1


def test_a_double_click_on_approve_records_one_approval(tmp_path):
    from tests.slack.harness import SlackWorkspace

    with SlackWorkspace(tmp_path, required_approvals=2) as slack:
        post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

        slack.click("U_OFFICER", "approve", post_id)
        slack.click("U_OFFICER", "approve", post_id)

        post = slack.workflow.get(post_id)
        assert len(post.live_approvals()) == 1 and post.state is State.IN_REVIEW
        assert "already approved by you" in slack.last_reply()
        assert len(slack.api.thread_replies(post.thread.ts)) == 1


def test_a_second_click_after_the_post_was_approved_is_refused_clearly(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    slack.click("U_OFFICER", "approve", post_id)

    slack.click("U_OFFICER2", "approve", post_id)

    assert slack.last_reply() == "Post #1 is approved, so it cannot be approved."
    events = [e.action for e in slack.workflow.audit_trail(post_id)]
    assert events.count("approved") == 1


def test_a_button_from_before_an_edit_cannot_approve_the_new_revision(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    stale_value = f"{post_id}:{slack.workflow.get(post_id).revision.hash}"
    slack.workflow.revise(post_id, slack.workflow.get(post_id).proposer, text="Flu shots, Tuesday")

    slack.click("U_OFFICER", "approve", post_id, value=stale_value)

    assert "was edited since you looked at it" in slack.last_reply()
    assert slack.workflow.get(post_id).state is State.IN_REVIEW


def test_a_retried_thread_reply_is_recorded_once(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    thread = slack.workflow.get(post_id).thread
    event = {
        "type": "message",
        "channel": thread.channel,
        "user": "U_OFFICER",
        "text": "Which clinics?",
        "ts": "1764700000.000100",
        "thread_ts": thread.ts,
    }

    slack.event(event, event_id="Ev_SAME")
    slack.event(event, event_id="Ev_SAME", retry_num=1)

    comments = [e for e in slack.workflow.audit_trail(post_id) if e.action == "commented"]
    assert len(comments) == 1


def test_a_rate_limited_post_is_retried_after_the_wait_slack_asked_for(slack):
    slack.api.rate_limit("chat.postMessage", retry_after=1)

    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    attempts = slack.api.called("chat.postMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert slack.workflow.get(post_id).thread is not None
    assert "Open the approval thread" in slack.last_reply()


def test_a_slack_outage_is_retried(slack):
    slack.api.server_error("chat.postMessage")

    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    assert slack.workflow.get(post_id).thread is not None


@pytest.mark.parametrize(
    ("error", "advice"),
    [
        ("not_in_channel", "Type `/invite @Clearpost` in that channel"),
        ("channel_not_found", "check SLACK_APPROVAL_CHANNEL"),
    ],
)
def test_an_approval_channel_problem_is_explained_and_the_post_is_announced_later(
    slack, error, advice
):
    slack.api.fail("chat.postMessage", error)

    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    reply = slack.last_reply()
    assert f"Saved post #{post_id}" in reply and advice in reply and "Nothing is lost" in reply
    assert slack.workflow.get(post_id).thread is None

    # What the minute timer runs once the first announce has had its time:
    assert slack.workflow.announce_pending("slack", min_age=timedelta(0)) == 1

    assert slack.workflow.get(post_id).thread is not None
    assert slack.api.succeeded("chat.postMessage")[0].params["channel"] == "C_APPROVALS"


def test_an_unexpected_failure_is_told_with_a_reference(slack):
    slack.api.fail("views.open", "expired_trigger_id")

    slack.command("U_NURSE", "")

    assert re.fullmatch(
        r"Something went wrong on our side \(ref [0-9a-f]{6}\)\. Please try again in a minute\.",
        slack.last_reply(),
    )


def test_post_text_never_reaches_the_logs_even_when_things_fail(slack, caplog):
    marker = "Patient Jane Marker-7731 visited"
    slack.api.fail("chat.postMessage", "fatal_error")
    slack.api.fail("chat.update", "fatal_error")
    caplog.set_level(logging.INFO)

    post_id = slack.propose("U_NURSE", f"x tomorrow 9am {marker}")
    slack.workflow.announce_pending("slack", min_age=timedelta(0))
    slack.click("U_OFFICER", "approve", post_id)
    slack.thread_reply("U_OFFICER", post_id, f"About {marker}")

    assert "Slack answered `fatal_error`" in slack.api.replies()[0]
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert logged and not any("Marker-7731" in line for line in logged)
