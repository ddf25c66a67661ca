"""The approval stages on the Slack thread parent: who signed each stage and who is next, in
names; an urgent post flagged. Driven by signed requests as Slack sends them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.domain import State
from tests.slack.harness import SlackWorkspace

POLICY: dict[str, Any] = {
    "on_call": [{"group": "on-call"}],
    "people": {
        "bob": {"name": "Bob Clinician", "slack": "U_BOB"},
        "carol": {"name": "Carol Compliance", "slack": "U_CAROL"},
        "erin": {"name": "Erin On-call", "slack": "U_ERIN"},
    },
    "groups": {"clinicians": ["bob"], "compliance": ["carol"], "on-call": ["erin"]},
    "rules": [{"tags": ["clinical"], "stages": [{"group": "clinicians"}, {"group": "compliance"}]}],
}


def parent_texts(slack: SlackWorkspace) -> list[str]:
    """Every version of the thread parent, as the approval channel saw it."""
    sent = slack.api.succeeded("chat.postMessage")[:1] + slack.api.succeeded("chat.update")
    return [str(c.params["blocks"]) for c in sent]


def test_the_thread_parent_shows_each_stage_who_signed_it_and_who_is_next(tmp_path: Path):
    with SlackWorkspace(tmp_path, policy=POLICY) as slack:
        post_id = slack.propose("U_NURSE", "blog tomorrow 9am Flu shots are in! --tag clinical")

        assert (
            "Approval stages:\\n→ 1/2 clinicians (any one): waiting for Bob Clinician\\n"
            "· 2/2 compliance (any one): waiting for Carol Compliance"
        ) in parent_texts(slack)[-1]

        slack.click("U_CAROL", "approve", post_id)
        assert "waiting for clinicians first (stage 1 of 2)" in slack.last_reply()

        slack.click("U_BOB", "approve", post_id)

        assert (
            "✓ 1/2 clinicians (any one): signed by Bob Clinician\\n"
            "→ 2/2 compliance (any one): waiting for Carol Compliance"
        ) in parent_texts(slack)[-1]
        thread = slack.workflow.get(post_id).thread
        assert slack.api.thread_replies(thread.ts)[-1] == (
            "Bob Clinician signed clinicians (stage 1 of 2). "
            "Next: compliance (any one): waiting for Carol Compliance."
        )

        slack.click("U_CAROL", "approve", post_id)

        assert slack.workflow.get(post_id).state is State.APPROVED
        assert "✓ 2/2 compliance (any one): signed by Carol Compliance" in parent_texts(slack)[-1]


def test_a_post_tagged_urgent_is_flagged_and_goes_to_the_on_call_approver(tmp_path: Path):
    with SlackWorkspace(tmp_path, policy=POLICY) as slack:
        post_id = slack.propose("U_NURSE", "blog tomorrow 9am Clinic closed: snow --tag urgent")

        parent = parent_texts(slack)[-1]
        assert ":rotating_light: *Urgent*" in parent
        assert "on-call (any one): waiting for Erin On-call" in parent

        slack.click("U_CAROL", "approve", post_id)
        slack.click("U_ERIN", "approve", post_id)

        assert "Only on-call can decide on post #1." in slack.api.replies()[-1]
        assert slack.workflow.get(post_id).state is State.APPROVED


def test_without_rules_the_parent_reads_as_it_always_did(slack):
    slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    assert "Approval stages" not in parent_texts(slack)[-1]
