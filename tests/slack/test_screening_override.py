"""Approve on a post that screening blocks: Slack opens the "Approve with override" form; the
reason approves it, is audited and told in the thread."""

from __future__ import annotations

from bot.domain import State
from tests.slack.harness import reason_values


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
