"""One person in Slack and Teams, linked by nothing but the e-mail each platform's profile gives:
Slack's users.info and the Teams connector's member record, both at their stand-ins. One
`clearpost serve` app with both front ends, driven as each platform sends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.teams.app import TEAMS_KEY
from bot.domain import State
from tests.slack.harness import SlackWorkspace
from tests.standins.bot_connector import BotConnectorStandIn
from tests.support.teams_activities import NURSE, OFFICER, Activities


def profile(user_id: str, name: str, email: str) -> dict[str, object]:
    """A users.info `user` object when the app has users:read.email."""
    return {"id": user_id, "name": name.lower(), "profile": {"real_name": name, "email": email}}


class BothPlatforms:
    def __init__(self, slack: SlackWorkspace, connector: BotConnectorStandIn) -> None:
        self.slack = slack
        self.connector = connector
        self.acts = Activities(connector.url)

    def teams_approve(self, who: dict[str, str], post_id: int) -> str:
        """An Approve pressed on the post's card in Teams; returns what the card answered."""
        post = self.slack.workflow.get(post_id)
        activity = self.acts.card_action(who, "approve", post_id, post.revision.hash)
        answer = self.slack.http.post("/api/messages", json=activity)
        self.slack.served.run(self.slack.served.app[TEAMS_KEY].settle())
        assert answer.status_code == 200
        return str(answer.json())


@pytest.fixture
def both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[BothPlatforms]:
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    with BotConnectorStandIn() as connector:
        # The approvers are named by their Slack accounts only.
        with SlackWorkspace(tmp_path, approvers=["slack:U_OFFICER"]) as slack:
            slack.api.people.update(
                {
                    "U_NURSE": profile("U_NURSE", "Nora", "nora@clinic.example"),
                    "U_OFFICER": profile("U_OFFICER", "Olga", "Olga@Clinic.example"),
                }
            )
            connector.members += [
                {**NURSE, "email": "NORA@clinic.example", "userPrincipalName": "nora@x"},
                {**OFFICER, "userPrincipalName": "olga@clinic.example"},
            ]
            yield BothPlatforms(slack, connector)


def test_proposed_in_slack_the_same_person_cannot_approve_it_in_teams(both):
    post_id = both.slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    answer = both.teams_approve(NURSE, post_id)

    assert "You proposed post #1, so another approver has to decide it." in answer
    assert both.slack.workflow.get(post_id).state is State.IN_REVIEW
    assert both.connector.member_reads == [NURSE["id"]]  # read once, with the 29: id
    assert [c.params["user"] for c in both.slack.api.called("users.info")] == ["U_NURSE"]


def test_an_approver_named_by_a_slack_account_approves_in_teams(both):
    post_id = both.slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    both.teams_approve(OFFICER, post_id)

    post = both.slack.workflow.get(post_id)
    assert post.state is State.APPROVED
    assert post.live_approvals()[0].by.ref == f"teams:{OFFICER['aadObjectId']}"


def test_a_teams_proposer_is_still_recognised_in_slack_after_a_restart(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    approvers = ["slack:U_OFFICER", "slack:U_NURSE"]
    nora = profile("U_NURSE", "Nora", "nora@clinic.example")
    with BotConnectorStandIn() as connector:
        connector.members.append({**NURSE, "email": "nora@clinic.example"})
        with SlackWorkspace(tmp_path, approvers=approvers) as slack:
            slack.api.people["U_NURSE"] = nora
            teams = BothPlatforms(slack, connector)
            proposal = teams.acts.message(NURSE, "propose x-main tomorrow 9am Flu shots are in!")
            assert slack.http.post("/api/messages", json=proposal).status_code == 202
            slack.served.run(slack.served.app[TEAMS_KEY].settle())
        connector.members.clear()  # after the restart Teams is not asked again

        with SlackWorkspace(tmp_path, approvers=approvers) as slack:
            slack.api.people["U_NURSE"] = nora
            slack.click("U_NURSE", "approve", 1)

            assert (
                slack.last_reply() == "You proposed post #1, so another approver has to decide it."
            )
            assert slack.workflow.get(1).state is State.IN_REVIEW
