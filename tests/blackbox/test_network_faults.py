"""A social network misbehaving while `clearpost serve` publishes: rate limited once, or down
for good. The approval thread hears each retry and the final outcome in plain sentences, and
nothing is ever published twice (Mastodon's Idempotency-Key stays the same on every attempt).

These wait for the dispatcher's real backoff, shortened with CLEARPOST_RETRY_FIRST_SECONDS=2
(2 s, then doubling, five attempts), so they are `slow`: well under a minute each."""

from __future__ import annotations

import re

import pytest

from tests.blackbox.network import STATUSES, Statuses, due_now, mastodon_env
from tests.blackbox.serve import eventually
from tests.blackbox.slack_people import NURSE, OFFICER
from tests.standins.networks import Reply


def approve_a_post_due_now(slack_serve, network, statuses):
    network.respond("POST", STATUSES, statuses)
    server, slack = slack_serve(**mastodon_env(network), CLEARPOST_RETRY_FIRST_SECONDS="2")
    slack.propose(NURSE, f"mastodon-clinic {due_now()} Flu shots are in! Walk-ins welcome.")
    parent = slack.wait_parent()
    slack.press(OFFICER, parent, "approve")
    return server, slack, parent


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_rate_limited_post_is_retried_and_published_once(slack_serve, network):
    limited = Reply(429, {"error": "Too many requests"}, headers={"X-RateLimit-Reset": "1"})
    statuses = Statuses(limited)

    server, slack, parent = approve_a_post_due_now(slack_serve, network, statuses)
    retry = slack.wait_thread(parent, r"Not published on mastodon-clinic yet", timeout=30)
    link = slack.wait_thread(parent, r"Published on mastodon-clinic", timeout=150)

    assert "Trying again at" in retry
    assert "https://social.example/@clinic/" in link
    attempts = network.to("POST", STATUSES)
    assert len(attempts) == 2
    assert len({a.header("Idempotency-Key") for a in attempts}) == 1
    assert len(statuses.created) == 1
    assert server.query("SELECT state, attempts FROM delivery") == [("published", 2)]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_network_down_for_good_is_retried_then_reported_in_a_plain_sentence(slack_serve, network):
    down = Reply(503, {"error": "Service Unavailable"})
    statuses = Statuses(*[down] * 20)

    server, slack, parent = approve_a_post_due_now(slack_serve, network, statuses)
    first = slack.wait_thread(parent, r"Not published on mastodon-clinic yet", timeout=30)
    failure = slack.wait_thread(parent, r"Could not publish on mastodon-clinic", timeout=180)

    assert "unavailable" in first.lower() and "Trying again at" in first
    assert "gave up after 5 attempts" in failure
    assert "Retry" in failure and "Traceback" not in failure
    retries = [t for t in slack.thread(parent) if "Not published on mastodon-clinic yet" in t]
    assert len(retries) == 4
    attempts = network.to("POST", STATUSES)
    assert len(attempts) == 5
    assert len({a.header("Idempotency-Key") for a in attempts}) == 1
    assert statuses.created == {}
    assert server.query("SELECT state FROM delivery") == [("failed",)]
    # Other DMs reach the proposer first (the proposal, the approval): wait for this one.
    told = eventually(
        lambda: [
            t
            for t in slack.api.direct_messages(NURSE)
            if re.search(r"Could not publish on mastodon-clinic", t)
        ],
        20,
        "the failure's DM to the proposer",
    )
    assert "Traceback" not in told[0]
