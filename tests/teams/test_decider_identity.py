"""Decisions only from Teams itself (`channelId` msteams) and a signed-in account (aadObjectId),
and always for the revision the card showed: Web Chat and Direct Line clients choose `from.id`
themselves, and a click without a revision hash would decide whatever is current by then."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import State
from tests.teams.harness import OFFICER
from tests.teams.test_http_flow import propose


def without_aad(who: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in who.items() if k != "aadObjectId"}


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda a: a.update(channelId="webchat"), "Decisions are taken only in Microsoft Teams"),
        (lambda a: a.update(channelId="directline"), "Decisions are taken only in Microsoft Teams"),
        (lambda a: a.update({"from": without_aad(OFFICER)}), "signed in with a work account"),
        (
            lambda a: a["value"]["action"]["data"].pop("revision_hash"),
            "does not say which revision it shows",
        ),
        (
            lambda a: a["value"]["action"]["data"].update(revision_hash=""),
            "does not say which revision it shows",
        ),
    ],
)
def test_a_decision_from_elsewhere_or_without_its_revision_decides_nothing(
    teams, connector, acts, change: Any, said: str
):
    post = propose(teams, acts)
    activity = acts.card_action(OFFICER, "approve", post.id, post.revision.hash)
    change(activity)

    answer = teams.post(activity)

    assert answer.status_code == 200
    assert said in str(answer.json()["value"])
    assert teams.core.workflow.get(post.id).state is State.IN_REVIEW


def test_the_same_decision_from_teams_with_its_revision_is_taken(teams, connector, acts):
    post = propose(teams, acts)

    teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))

    approved = teams.core.workflow.get(post.id)
    assert approved.state is State.APPROVED
    assert approved.approvals[0].by.user_id == OFFICER["aadObjectId"]
