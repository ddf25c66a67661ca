"""SIGTERM, as a service manager or a container runtime sends it: `clearpost serve` stops within
a few seconds, lets a publisher call in flight finish and records it, and a restart carries on
from the database without publishing anything twice."""

from __future__ import annotations

import time

import pytest

from tests.blackbox.idle import busy, wait_idle
from tests.blackbox.network import STATUSES, Statuses, due_now, mastodon_env, minutes_ahead
from tests.blackbox.serve import eventually
from tests.blackbox.slack_people import NURSE, OFFICER

STOPS_WITHIN = 10.0  # seconds: well inside a service manager's usual 90 s before SIGKILL


def test_sigterm_stops_an_idle_server_cleanly_and_promptly(slack_serve):
    server, slack = slack_serve()
    slack.propose(NURSE, "x-main tomorrow 9am Flu shots are in!")
    slack.wait_parent()

    status = server.terminate(timeout=STOPS_WITHIN)

    assert status == 0
    assert "Traceback" not in server.output()
    assert server.rows("post") == 1


def test_a_restart_keeps_the_thread_and_decisions_made_before_it(slack_serve):
    server, slack = slack_serve()
    slack.propose(NURSE, "x-main tomorrow 9am Flu shots are in!")
    parent = slack.wait_parent()
    server.terminate(timeout=STOPS_WITHIN)

    server.start()
    slack.press(OFFICER, parent, "approve")

    slack.wait_thread(parent, r"Approved by")
    assert server.rows("post") == 1 and server.rows("approval") == 1
    assert len(slack.parents()) == 1


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_sigterm_mid_publish_finishes_the_call_and_a_restart_publishes_the_rest_once(
    slack_serve, network
):
    statuses = Statuses(delay=3.0)  # each status takes the network 3 s
    network.respond("POST", STATUSES, statuses)
    server, slack = slack_serve(**mastodon_env(network))
    later, _ = minutes_ahead(2)
    slack.propose(NURSE, f"mastodon-clinic {due_now()} Flu shots are in!")
    first = slack.wait_parent(1)
    slack.propose(NURSE, f"mastodon-clinic {later} Flu shots, second reminder")
    second = slack.wait_parent(2)
    slack.press(OFFICER, first, "approve")
    slack.press(OFFICER, second, "approve")
    eventually(lambda: network.to("POST", STATUSES), 30, "the first post's call to start")
    assert busy(server) >= 1, "a publisher call in flight is not reported by /healthz"

    started = time.monotonic()
    status = server.terminate(timeout=STOPS_WITHIN)
    stopped_after = time.monotonic() - started
    server.start()
    slack.wait_thread(second, r"Published on mastodon-clinic", timeout=240)
    wait_idle(server)  # nothing due or in flight: a second call has nowhere to come from

    assert status == 0 and stopped_after < STOPS_WITHIN
    assert "Traceback" not in server.output()
    assert len(network.to("POST", STATUSES)) == 2
    assert len(statuses.created) == 2
    assert server.query("SELECT state FROM delivery ORDER BY id") == [
        ("published",),
        ("published",),
    ]
    published_first = [t for t in slack.thread(first) if "Published on" in t]
    assert len(published_first) == 1
