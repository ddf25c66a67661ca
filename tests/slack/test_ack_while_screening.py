"""A Slack acknowledgement never waits on screening: with the screener held, `/propose` and a
propose-modal submission are answered 200 within Slack's 3 seconds, and the proposal is not
lost: once screening is released the thread opens with its findings and the proposer is told.
Requests are signed and sent over HTTP to the served app, as Slack sends them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from adapters.slack import ids
from tests.slack.harness import APPROVALS, SECRET, SlackWorkspace, proposal_values
from tests.support import slack_requests as slack_http
from tests.support.held_screener import HeldScreener

SLACK_ACK_SECONDS = 3.0  # Slack's limit for acknowledging a command or a view submission
NAMED = "Congrats to our patient Thiago on his new hip!"


@pytest.fixture
def held() -> HeldScreener:
    return HeldScreener()


@pytest.fixture
def slack(tmp_path: Path, held: HeldScreener) -> Iterator[SlackWorkspace]:
    try:
        with SlackWorkspace(tmp_path, screener=held) as workspace:
            yield workspace
    finally:
        held.release()  # never leave a worker waiting, whatever failed


def send_unwaited(slack: SlackWorkspace, body: str) -> tuple[httpx.Response, float]:
    """POST a signed request and time Slack's wait for the answer; nothing waits for the work
    the request started."""
    headers = slack_http.signed_headers(body, slack_http.FORM, SECRET)
    started = time.monotonic()
    response = slack.http.post("/slack/events", content=body, headers=headers)
    return response, time.monotonic() - started


def thread_parents(slack: SlackWorkspace) -> list[str]:
    return [
        str(c.params["blocks"])
        for c in slack.api.called("chat.postMessage")
        if c.params.get("channel") == APPROVALS and "thread_ts" not in c.params
    ]


def test_a_propose_command_is_acknowledged_while_screening_is_held(slack, held):
    body = slack_http.slash_command(
        "U_NURSE",
        "nora",
        f"x-main tomorrow 9am {NAMED}",
        response_url=slack.api.response_url("cmd1"),
        trigger_id="trigger.1",
    )

    answer, waited = send_unwaited(slack, body)
    held_meanwhile = held.started.wait(10) and held.finished == 0
    opened_meanwhile = thread_parents(slack)
    held.release()

    assert answer.status_code == 200
    assert waited < SLACK_ACK_SECONDS, f"Slack waited {waited:.2f}s for the ack"
    assert held_meanwhile, "screening never started, or was not held"
    assert opened_meanwhile == []
    assert slack.runtime.wait_idle(timeout=20)
    [parent] = thread_parents(slack)
    assert "Possible PHI (high)" in parent and "looks like a person" in parent
    assert "Proposed post #1" in slack.last_reply()


def test_a_propose_modal_submission_is_acknowledged_while_screening_is_held(slack, held):
    slack.command("U_NURSE", "")  # opens the modal (no screening yet)
    view = slack.last_view()
    values = proposal_values(["x-main"], "2026-11-30", "08:30", NAMED)
    body = slack_http.interaction(
        slack_http.view_submission(
            slack_http.slack_user("U_NURSE", "nora"),
            view,
            values,
            view_id="V_PROPOSE",
            trigger_id="trigger.2",
        )
    )

    answer, waited = send_unwaited(slack, body)
    held_meanwhile = held.started.wait(10) and held.finished == 0
    opened_meanwhile = thread_parents(slack)
    held.release()

    assert answer.status_code == 200 and answer.text == ""  # the modal closes at once
    assert waited < SLACK_ACK_SECONDS, f"Slack waited {waited:.2f}s for the ack"
    assert held_meanwhile, "screening never started, or was not held"
    assert opened_meanwhile == []
    assert slack.runtime.wait_idle(timeout=20)
    [parent] = thread_parents(slack)
    assert "Possible PHI (high)" in parent and ids.ACTION_APPROVE in parent
    assert "Proposed post #1" in slack.last_reply()
