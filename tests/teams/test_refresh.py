"""Universal Actions refresh on the approval card: everyone sees the post and its state, each
approver's Teams client asks for its own view (`adaptiveCard/action`, verb `refresh`) and gets
the live buttons; the proposer and others get the state."""

from __future__ import annotations

from bot.domain import State
from tests.teams.harness import CHANNEL, NURSE, OFFICER, STRANGER

DECISIONS = ["Approve", "Request changes", "Reject"]


def shared_card(connector) -> dict:  # type: ignore[no-untyped-def, type-arg]
    posted = connector.sent(lambda c: c.conversation == CHANNEL and c.method == "POST")
    return posted[-1].card


def view(answer) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert answer.status_code == 200
    body = answer.json()
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    return body["value"]


def buttons(card: dict) -> list[str]:  # type: ignore[type-arg]
    return [a["title"] for a in card.get("actions", [])]


def propose(teams, acts) -> int:  # type: ignore[no-untyped-def]
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(NURSE, "propose x-main tomorrow 9am Flu shots are in"))
    return teams.core.workflow.get(1).id


def test_the_shared_card_lists_the_approvers_seen_for_automatic_refresh(teams, connector, acts):
    teams.post(acts.message(OFFICER, "help"))  # the officer's Teams id is now known

    propose(teams, acts)

    card = shared_card(connector)
    assert card["version"] == "1.5"
    assert card["refresh"] == {
        "action": {
            "type": "Action.Execute",
            "title": "Refresh",
            "verb": "refresh",
            "data": {"post_id": 1},
        },
        "userIds": [OFFICER["id"]],
    }
    assert buttons(card) == []
    assert "Waiting for a compliance approver" in str(card["body"])


def test_with_no_approver_seen_yet_every_reader_refreshes(teams, connector, acts):
    propose(teams, acts)

    assert "userIds" not in shared_card(connector)["refresh"]


def test_an_approver_refreshing_gets_the_live_buttons(teams, connector, acts):
    post_id = propose(teams, acts)

    card = view(teams.post(acts.refresh(OFFICER, post_id)))

    assert buttons(card) == DECISIONS
    post = teams.core.workflow.get(post_id)
    assert card["actions"][0]["data"] == {"post_id": 1, "revision_hash": post.revision.hash}
    assert card["refresh"]["userIds"] == [OFFICER["id"]]  # remembered from this invoke


def test_the_proposer_sees_withdraw_and_others_see_the_state_without_buttons(
    teams, connector, acts
):
    post_id = propose(teams, acts)

    mine = view(teams.post(acts.refresh(NURSE, post_id)))
    theirs = view(teams.post(acts.refresh(STRANGER, post_id)))

    assert buttons(mine) == ["Withdraw"] and buttons(theirs) == []
    assert "You proposed post #1; a compliance approver decides it." in str(mine["body"])
    assert "only approvers can decide" in str(theirs["body"])
    assert "In review" in str(theirs["body"])


def test_after_approval_a_refresh_shows_who_decided_and_only_stop(teams, connector, acts):
    post_id = propose(teams, acts)
    post = teams.core.workflow.get(post_id)
    teams.post(acts.card_action(OFFICER, "approve", post_id, post.revision.hash))
    teams.settle()

    card = view(teams.post(acts.refresh(OFFICER, post_id)))
    updated = connector.sent(lambda c: c.method == "PUT")[-1].card

    assert buttons(card) == ["Stop this post"]  # until a channel goes out
    assert "Approved by Olga Officer" in str(card["body"])
    assert teams.core.workflow.get(1).state is State.APPROVED
    assert "actions" not in updated  # the shared card: each reader's buttons come by refresh


def test_a_refresh_records_no_decision(teams, connector, acts):
    post_id = propose(teams, acts)

    teams.post(acts.refresh(OFFICER, post_id))

    assert [e.action for e in teams.core.workflow.audit_trail(post_id)] == ["proposed"]
