"""Only approvers decide, nobody decides their own post, only the proposer edits."""

from __future__ import annotations

from pathlib import Path

from bot.domain import State
from tests.slack.harness import SlackWorkspace


def test_someone_who_is_not_an_approver_is_told_why_and_nothing_changes(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    slack.click("U_STRANGER", "approve", post_id)

    assert "Only compliance approvers can decide on post #1" in slack.last_reply()
    assert slack.api.called("response_url")[-1].params["response_type"] == "ephemeral"
    assert slack.workflow.get(post_id).state is State.IN_REVIEW
    assert slack.api.thread_replies(slack.workflow.get(post_id).thread.ts) == []


def test_an_approver_cannot_approve_their_own_post(slack):
    post_id = slack.propose("U_OFFICER", "x tomorrow 9am Flu shots are in!")

    slack.click("U_OFFICER", "approve", post_id)

    assert slack.last_reply() == ("You proposed post #1, so another approver has to decide it.")
    assert slack.workflow.get(post_id).state is State.IN_REVIEW


def test_the_reason_modal_of_someone_who_may_not_decide_turns_into_the_refusal(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    slack.click("U_STRANGER", "request_changes", post_id)
    slack.click("U_NURSE", "reject", post_id)

    # Opened first (the trigger lasts 3 s), then replaced by the sentence: no form to fill in.
    replaced = [str(c.params["view"]["blocks"]) for c in slack.api.called("views.update")]
    assert "Only compliance approvers" in replaced[-2]
    assert "another approver has to decide it" in replaced[-1]
    assert slack.workflow.get(post_id).state is State.IN_REVIEW


def test_only_the_proposer_can_edit(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    slack.click("U_OFFICER", "edit", post_id)

    assert slack.api.called("views.open") == []
    assert slack.last_reply() == "Only nora, who proposed post #1, can edit it."


def test_members_of_the_approver_user_group_may_decide(tmp_path: Path):
    with SlackWorkspace(tmp_path, slack_approver_group="compliance") as slack:
        slack.api.usergroups["compliance"] = ["U_GROUPIE"]
        post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

        slack.click("U_STRANGER", "approve", post_id)
        slack.click("U_GROUPIE", "approve", post_id)

        assert slack.workflow.get(post_id).state is State.APPROVED
        assert [e.actor.ref for e in slack.workflow.audit_trail(post_id)][-1] == "slack:U_GROUPIE"
        # Membership is read once and kept for a while, not on every click.
        assert len(slack.api.called("usergroups.users.list")) == 1
