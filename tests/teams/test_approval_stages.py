"""The approval stages on the Teams card: who signed each stage and who is next, in names.
Teams-format activities to the real /api/messages; cards read back from the connector stand-in."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import State
from tests.teams.harness import CHANNEL, GROUP_OFFICER, NURSE, OFFICER, served_teams

POLICY: dict[str, Any] = {
    "people": {
        "gus": {"name": "Gus Clinician", "teams": GROUP_OFFICER["aadObjectId"]},
        "olga": {"name": "Olga Compliance", "teams": OFFICER["aadObjectId"]},
    },
    "groups": {"clinicians": ["gus"], "compliance": ["olga"]},
    "rules": [{"tags": ["clinical"], "stages": [{"group": "clinicians"}, {"group": "compliance"}]}],
}


@pytest.fixture
def staged_teams(tmp_path, monkeypatch, teams_clock, connector):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    with served_teams(tmp_path, clock=teams_clock, policy=POLICY) as served:
        yield served


def channel_cards(connector) -> list[str]:  # type: ignore[no-untyped-def]
    """The approval card as posted in the channel, then each update of it."""
    return [
        c.card_text
        for c in connector.sent(lambda c: c.conversation == CHANNEL or c.method == "PUT")
        if c.card is not None
    ]


def test_the_card_shows_each_stage_who_signed_it_and_who_is_next(staged_teams, connector, acts):
    teams = staged_teams
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(NURSE, "propose blog tomorrow 9am Flu shots are in! --tag clinical"))
    post = teams.core.workflow.get(1)

    first = channel_cards(connector)[-1]
    assert "Approval stages" in first
    assert "→ 1/2 clinicians (any one): waiting for Gus Clinician" in first
    assert "· 2/2 compliance (any one): waiting for Olga Compliance" in first

    refused = teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    assert "waiting for clinicians first" in str(refused.json())

    teams.post(acts.card_action(GROUP_OFFICER, "approve", post.id, post.revision.hash))
    teams.settle()

    updated = channel_cards(connector)[-1]
    assert "✓ 1/2 clinicians (any one): signed by Gus Clinician" in updated
    assert "→ 2/2 compliance (any one): waiting for Olga Compliance" in updated
    assert teams.core.workflow.get(post.id).state is State.IN_REVIEW

    teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    teams.settle()

    assert "✓ 2/2 compliance (any one): signed by Olga Compliance" in channel_cards(connector)[-1]
    assert teams.core.workflow.get(post.id).state is State.APPROVED


def test_the_second_stage_approves_over_the_first_stages_override_and_the_card_says_whose(
    staged_teams, connector, acts
):
    teams = staged_teams
    teams.post(acts.installed_in_channel())
    line = "propose blog tomorrow 9am Congrats to our patient Thiago on his new hip! --tag clinical"
    teams.post(acts.message(NURSE, line))
    post = teams.core.workflow.get(1)
    reason = "Signed release in his chart"
    teams.post(
        acts.card_action(GROUP_OFFICER, "approve", post.id, post.revision.hash, reason=reason)
    )
    teams.settle()

    waiting = channel_cards(connector)[-1]
    signed = teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    teams.settle()

    assert signed.status_code == 200
    assert teams.core.workflow.get(post.id).state is State.APPROVED
    gus = teams.core.workflow.get(post.id).approvals[0].by.display  # as Teams named him
    assert f"Screening findings (a person's name) overridden by {gus}: {reason}" in waiting
