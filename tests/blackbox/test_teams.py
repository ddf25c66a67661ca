"""Teams talking to `clearpost serve`: activities POSTed to /api/messages (unauthenticated mode),
cards and replies recorded by the Bot Framework connector stand-in, an approved post delivered
to a signed webhook by the scheduler inside serve."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from tests.blackbox.idle import wait_idle
from tests.blackbox.network import due_now
from tests.blackbox.serve import eventually
from tests.blackbox.teams_people import NURSE, OFFICER, TeamsPeople, teams_env
from tests.standins.networks import Recorded, Reply

HOOK_SECRET = "hook-blackbox-secret"


@pytest.fixture
def teams(serve, connector, request):
    env = {**teams_env(), **getattr(request, "param", {})}
    server = serve(env)
    people = TeamsPeople(server.url, connector)
    installed = people.send(people.installed_in_channel())
    assert installed.status_code in (200, 202)
    yield server, people
    people.close()


def test_a_one_line_proposal_in_teams_posts_an_approval_card_and_tells_the_proposer(teams):
    server, people = teams

    response = people.send(people.message(NURSE, "propose x-main tomorrow 9am Flu shots are in!"))

    assert response.status_code == 202
    card = people.wait_card()
    assert "Flu shots are in!" in card.card_text
    assert "post #1" in people.wait_said_to(NURSE, "post #1")
    assert server.rows("post") == 1


def test_an_approver_approves_from_the_card_and_the_card_says_so(teams):
    server, people = teams
    people.send(people.message(NURSE, "propose x-main tomorrow 9am Flu shots are in!"))
    card = people.wait_card()

    response = people.press(OFFICER, card, "approve")

    assert response.status_code == 200
    assert "approved" in json.dumps(response.json()).lower()
    assert server.rows("approval") == 1
    people.wait_said_to(NURSE, "Approved by")


def test_a_redelivered_message_activity_creates_one_post(teams):
    server, people = teams
    activity = people.message(NURSE, "propose x-main tomorrow 9am Flu shots are in!")

    answers = [people.send(activity) for _ in range(3)]
    people.wait_card()
    wait_idle(server)  # a wrongly accepted redelivery would have reached the database

    assert all(a.status_code == 202 for a in answers)
    assert server.rows("post") == 1
    assert len(people.cards_in_channel()) == 1


def test_a_double_click_on_approve_records_one_approval(teams):
    server, people = teams
    people.send(people.message(NURSE, "propose x-main tomorrow 9am Flu shots are in!"))
    button = people.sees(OFFICER, people.wait_card(), "approve")
    assert button is not None

    clicks = [people.execute(OFFICER, button) for _ in range(2)]
    # The thread hears of it after the invoke is answered: wait for that, then for quiet.
    eventually(
        lambda: any(t.startswith("Approved by") for t in people.thread_texts()),
        30,
        "the approval in the card's thread",
    )
    wait_idle(server)

    assert all(c.status_code == 200 for c in clicks)
    assert server.rows("approval") == 1
    approvals = [t for t in people.thread_texts() if t.startswith("Approved by")]
    assert len(approvals) == 1


def test_only_approvers_see_the_buttons_and_a_forged_approve_is_refused(teams):
    server, people = teams
    people.send(people.message(NURSE, "propose x-main tomorrow 9am Flu shots are in!"))
    card = people.wait_card()
    button = people.sees(OFFICER, card, "approve")
    assert button is not None

    seen_by_proposer = people.sees(NURSE, card, "approve")
    forged = people.execute(NURSE, button)

    assert seen_by_proposer is None
    assert forged.status_code == 200
    assert "approver" in json.dumps(forged.json())
    assert server.rows("approval") == 0


def _verified(request: Recorded) -> Reply:
    """The webhook receiver: checks Clearpost's HMAC signature before accepting."""
    stamp = request.header("X-Clearpost-Timestamp") or ""
    expected = hmac.new(HOOK_SECRET.encode(), stamp.encode() + b"." + request.body, hashlib.sha256)
    given = request.header("X-Clearpost-Signature") or ""
    if not hmac.compare_digest(given, "sha256=" + expected.hexdigest()):
        return Reply(401, {"error": "bad signature"})
    return Reply(200, {"id": "hook-1", "url": "https://intranet.example/news/1"})


def test_a_post_approved_in_teams_is_delivered_once_to_a_signed_webhook(serve, connector, network):
    network.respond("POST", "/hook", _verified)
    channel = {"network": "webhook", "url": f"{network.base_url}/hook", "timeout_seconds": 5}
    env = {
        **teams_env(),
        "CLEARPOST_CHANNELS": json.dumps({"hook": channel}),
        "CLEARPOST_HOOK_SIGNING_SECRET": HOOK_SECRET,
    }
    server = serve(env)
    people = TeamsPeople(server.url, connector)
    people.send(people.installed_in_channel())
    people.send(people.message(NURSE, f"propose hook {due_now()} Staff meeting moved to 3pm"))
    card = people.wait_card()

    people.press(OFFICER, card, "approve")

    eventually(lambda: network.to("POST", "/hook"), 30, "the webhook delivery")
    people.wait_said_to(NURSE, "Approved by")
    eventually(
        lambda: any("https://intranet.example/news/1" in t for t in people.thread_texts()),
        30,
        "the published link in the card's thread",
    )
    wait_idle(server)
    sent = network.to("POST", "/hook")
    assert len(sent) == 1
    assert sent[0].json()["text"] == "Staff meeting moved to 3pm"
    assert server.query("SELECT state FROM delivery") == [("published",)]
    people.close()
