"""Slack talking to `clearpost serve`: signed commands and button presses over HTTP, the Web API
at a stand-in, an approved post published by the scheduler inside serve."""

from __future__ import annotations

import time

import pytest

from tests.blackbox.idle import stored_moment, wait_idle
from tests.blackbox.network import STATUSES, Statuses, mastodon_env, minutes_ahead
from tests.blackbox.slack_people import NURSE, OFFICER, sign

MARKER = "Zebra-Quokka flu clinic"  # post text that must never reach serve's logs


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_post_proposed_and_approved_in_slack_is_published_at_its_time_and_linked(
    slack_serve, network
):
    statuses = Statuses()
    network.respond("POST", STATUSES, statuses)
    server, slack = slack_serve(**mastodon_env(network))
    when, moment = minutes_ahead(1)

    proposed = slack.propose(NURSE, f"mastodon-clinic {when} {MARKER} opens Monday")
    parent = slack.wait_parent()
    slack.wait_reply(r"post #1 ")
    approved = slack.press(OFFICER, parent, "approve")
    slack.wait_thread(parent, r"Approved by")
    link = slack.wait_thread(parent, r"Published on mastodon-clinic", timeout=200)

    assert proposed.status_code == 200 and approved.status_code == 200
    assert "https://social.example/@clinic/110000" in link
    sent = network.to("POST", STATUSES)
    assert len(sent) == 1 and len(statuses.created) == 1
    assert MARKER in sent[0].json()["status"]
    assert sent[0].header("Authorization") == "Bearer mastodon-blackbox-token"
    # Not before its time, on serve's own clock: when the delivery was claimed, and its due time.
    [(claimed, due)] = server.query(
        "SELECT e.at, d.due_at FROM audit_event e JOIN delivery d ON d.post_id = e.post_id"
        " WHERE e.action = 'publishing'"
    )
    assert stored_moment(claimed) >= stored_moment(due) >= moment
    assert MARKER not in server.output()


def test_a_signed_one_line_proposal_opens_one_thread_and_tells_the_proposer(slack_serve):
    server, slack = slack_serve()

    response = slack.propose(NURSE, "x-main,facebook-clinic tomorrow 9am Flu shots are in!")

    assert response.status_code == 200
    parent = slack.wait_parent()
    assert "post #1" in slack.wait_reply(r"post #1 ")
    assert parent.params["channel"] == "C_APPROVALS"
    assert server.rows("post") == 1


def test_a_proposal_with_an_unknown_channel_is_explained_and_saves_nothing(slack_serve):
    server, slack = slack_serve()

    slack.propose(NURSE, "myspace tomorrow 9am Flu shots are in!")

    assert "myspace" in slack.wait_reply(r"myspace")
    assert server.rows("post") == 0
    assert slack.parents() == []


def test_slack_retrying_a_command_does_not_create_a_second_post(slack_serve):
    server, slack = slack_serve()
    body = slack.command_body(NURSE, "x-main tomorrow 9am Flu shots are in!", "trigger.same")

    first = slack.send(body)
    slack.wait_parent()
    retries = [slack.send(body, retry_num=n) for n in (1, 2)]
    wait_idle(server)  # a wrongly accepted retry would have reached the database and Slack

    assert first.status_code == 200
    assert all(r.status_code < 500 for r in retries)
    assert server.rows("post") == 1
    assert len(slack.parents()) == 1


def test_a_double_click_on_approve_records_one_approval(slack_serve):
    server, slack = slack_serve()
    slack.propose(NURSE, "x-main tomorrow 9am Flu shots are in!")
    parent = slack.wait_parent()

    clicks = [slack.press(OFFICER, parent, "approve") for _ in range(2)]
    slack.wait_thread(parent, r"Approved by")
    wait_idle(server)

    assert all(c.status_code == 200 for c in clicks)
    assert server.rows("approval") == 1
    assert len([t for t in slack.thread(parent) if "Approved by" in t]) == 1


def test_someone_who_is_not_an_approver_is_told_so_and_nothing_is_approved(slack_serve):
    server, slack = slack_serve()
    slack.propose(NURSE, "x-main tomorrow 9am Flu shots are in!")
    parent = slack.wait_parent()

    slack.press("U_STRANGER", parent, "approve")

    slack.wait_reply(r"(?i)approver")
    assert server.rows("approval") == 0


@pytest.mark.parametrize(
    "how",
    ["wrong secret", "no signature", "stale timestamp", "future timestamp", "body changed"],
)
def test_a_request_without_a_valid_signature_is_refused_and_saves_nothing(slack_serve, how):
    server, slack = slack_serve()
    body = slack.command_body(NURSE, "x-main tomorrow 9am Flu shots are in!")
    now = int(time.time())

    if how == "wrong secret":
        response = slack.send(body, signature=sign(body.encode(), str(now), "not-the-secret"))
    elif how == "no signature":
        response = slack.send(body, signature="")
    elif how == "stale timestamp":
        old = str(now - 6 * 60)
        response = slack.send(body, timestamp=old, signature=sign(body.encode(), old))
    elif how == "future timestamp":
        ahead = str(now + 6 * 60)
        response = slack.send(body, timestamp=ahead, signature=sign(body.encode(), ahead))
    else:
        response = slack.send(body + "&x=1", signature=sign(body.encode(), str(now)))
    wait_idle(server)

    assert response.status_code == 401
    assert server.rows("post") == 0
    assert slack.api.replies() == []
