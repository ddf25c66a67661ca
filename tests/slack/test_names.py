"""People appear by the name Slack shows them with (the profile's display name), not by their
user id or handle, in the thread and in the audit trail; names are looked up once and kept, at
most so many at a time."""

from __future__ import annotations

from slack_sdk import WebClient

from adapters.slack.people import SlackNames
from tests.standins.slack_api import SlackApiStandIn

TOKEN = "xoxb-test-token"


def profile(user_id: str, display: str, real: str = "") -> dict:
    return {
        "id": user_id,
        "name": user_id.lower(),
        "profile": {"display_name": display, "real_name": real},
    }


def test_the_audit_trail_and_the_thread_name_people_as_slack_shows_them(slack):
    slack.api.people["U_NURSE"] = profile("U_NURSE", "Nora Jensen, RN 🩺")
    slack.api.people["U_OFFICER"] = profile("U_OFFICER", "", real="Olga Petrova")
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    slack.click("U_OFFICER", "approve", post_id)

    names = [
        e.actor.name for e in slack.workflow.audit_trail(post_id) if e.actor.platform == "slack"
    ]
    assert names == ["Nora Jensen, RN 🩺", "Olga Petrova"]
    post = slack.workflow.get(post_id)
    assert "Olga Petrova" in slack.api.thread_replies(post.thread.ts)[-1]
    assert "Nora Jensen, RN 🩺" in slack.api.succeeded("chat.update")[-1].params["text"]


def test_a_name_is_asked_of_slack_once_however_often_the_person_acts(slack):
    slack.api.people["U_NURSE"] = profile("U_NURSE", "Nora Jensen")

    slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    slack.propose("U_NURSE", "x tomorrow 10am Walk-ins welcome")

    asked = [c for c in slack.api.called("users.info") if c.params.get("user") == "U_NURSE"]
    assert len(asked) == 1


def test_without_a_profile_the_handle_from_the_payload_is_kept(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    assert slack.workflow.audit_trail(post_id)[0].actor.name == "nora"


def test_the_names_kept_are_bounded_and_the_oldest_is_asked_again():
    with SlackApiStandIn(TOKEN) as api:
        for user in ("U1", "U2", "U3"):
            api.people[user] = profile(user, f"Person {user}")
        names = SlackNames(WebClient(token=TOKEN, base_url=api.api_url), max_entries=2)

        found = [names.name(u) for u in ("U1", "U2", "U3", "U3", "U1")]

        assert found == ["Person U1", "Person U2", "Person U3", "Person U3", "Person U1"]
        assert [c.params["user"] for c in api.called("users.info")] == ["U1", "U2", "U3", "U1"]
        assert len(names._known) == 2
