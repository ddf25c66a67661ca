"""Approve on a post that screening blocks: Slack opens the "Approve with override" form; the
reason approves it, is audited and told in the thread. In a two-stage policy the second signer
approves over the first one's override, and reads who overrode and why."""

from __future__ import annotations

from pathlib import Path

from bot.domain import State
from tests.slack.harness import SlackWorkspace, reason_values
from tests.slack.test_approval_stages import POLICY


def test_approve_on_a_blocked_post_opens_the_override_form_and_its_reason_approves(slack):
    post_id = slack.propose(
        "U_NURSE", "x tomorrow 9am Congrats to our patient Thiago on his new hip!"
    )
    thread = slack.workflow.get(post_id).thread

    slack.click("U_OFFICER", "approve", post_id)

    view = slack.last_view()
    assert view["title"]["text"] == "Approve with override"
    assert slack.workflow.get(post_id).state is State.IN_REVIEW

    slack.submit("U_OFFICER", view, reason_values("Signed release in his chart"))

    assert slack.workflow.get(post_id).state is State.APPROVED
    replies = slack.api.thread_replies(thread.ts)
    assert any(
        "overrode the screening findings (a person's name): Signed release" in r for r in replies
    )
    trail = slack.workflow.audit_trail(post_id)
    assert [e.reason for e in trail if e.action == "screening_overridden"] == [
        "Signed release in his chart (findings overridden: name)"
    ]


def test_approve_on_a_post_without_findings_approves_at_once(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    slack.click("U_OFFICER", "approve", post_id)

    assert slack.workflow.get(post_id).state is State.APPROVED


def test_the_second_stage_approves_over_the_first_stages_override_and_reads_who_and_why(
    tmp_path: Path,
):
    with SlackWorkspace(tmp_path, policy=POLICY) as slack:
        post_id = slack.propose(
            "U_NURSE",
            "blog tomorrow 9am Congrats to our patient Thiago on his new hip! --tag clinical",
        )
        slack.click("U_BOB", "approve", post_id)
        slack.submit("U_BOB", slack.last_view(), reason_values("Signed release in his chart"))
        views_before = len(slack.api.succeeded("views.open"))

        slack.click("U_CAROL", "approve", post_id)

        assert slack.workflow.get(post_id).state is State.APPROVED
        assert len(slack.api.succeeded("views.open")) == views_before  # no override form
        bob = slack.workflow.get(post_id).approvals[0].by.display  # as Slack named him
        told = (
            f"Screening findings (a person's name) overridden by {bob}: Signed release in his chart"
        )
        parents = [str(c.params["blocks"]) for c in slack.api.succeeded("chat.update")]
        assert told in parents[-1]
        thread = slack.workflow.get(post_id).thread
        assert told in slack.api.thread_replies(thread.ts)[-1]
