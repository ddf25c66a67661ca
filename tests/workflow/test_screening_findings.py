"""Approval rests on the findings screening kept with the revision, not on the sentences shown;
one approver's override covers the later stages of that revision, and the later signers see
whose override it was and why. On real SQLite and PostgreSQL, with the practice's real detector."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, text

from adapters.screening import ContextScreener, Practice
from adapters.slack import blocks
from adapters.teams import cards
from bot.commands import ProposeRequest
from bot.domain import State
from bot.errors import FindingsBlockApproval, SelfApprovalRefused
from bot.screening import FindingsScreener
from bot.workflow import Workflow
from tests.conftest import ZONE
from tests.fakes import FakeNotifier, FixedClock
from tests.workflow.policy_setup import BOB, DAVE, NURSE_SLACK, staged_policy, staged_workflow

NAMED = "Congrats to our patient Thiago on his new hip!"
REASON = "Signed release in his chart"
DETECTOR = FindingsScreener(ContextScreener(Practice.from_mapping({"name": "Sunrise Health"})))


@pytest.fixture
def workflow(engine: Engine, clock: FixedClock, notifier: FakeNotifier) -> Workflow:
    """Clinical posts need a clinician (Bob, Alice, Frank), then compliance (Carol, Dave)."""
    built = staged_workflow(engine, clock, notifier, staged_policy())
    built.drafting.screener = DETECTOR
    return built


def propose(workflow: Workflow, text: str = NAMED) -> int:
    request = ProposeRequest(("blog",), "tomorrow 9am", text, tags=("clinical",))
    return workflow.propose(request, by=NURSE_SLACK).id


def test_rewording_the_sentences_reviewers_read_does_not_unblock_approval(workflow, engine):
    post_id = propose(workflow)
    reworded = ['Heads-up: "Thiago" might be a name (severity: HIGH).']
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE revision SET problems = :p WHERE post_id = :id"),
            {"p": json.dumps(reworded), "id": post_id},
        )

    with pytest.raises(FindingsBlockApproval, match="a person's name"):
        workflow.approve(post_id, BOB)

    post = workflow.get(post_id)
    assert post.state is State.IN_REVIEW
    assert post.revision.problems == tuple(reworded)


def test_the_sentences_are_made_from_the_findings_kept_with_the_revision(workflow):
    post = workflow.get(propose(workflow))

    [finding] = [f for f in post.revision.findings if f.category == "name"]
    assert (finding.severity, finding.excerpt, finding.place.field) == ("high", "Thiago", "text")
    assert NAMED[finding.finding.start : finding.finding.end] == "Thiago"
    assert finding.sentence() in post.revision.problems


def test_the_second_stage_signs_over_the_first_stages_override_and_sees_its_reason(
    workflow, notifier
):
    post_id = propose(workflow)
    workflow.approve(post_id, BOB, override_reason=REASON)

    waiting = workflow.get(post_id)
    post = workflow.approve(post_id, DAVE)

    assert post.state is State.APPROVED
    told = f"Screening findings (a person's name) overridden by Bob Clinician: {REASON}"
    assert told in notifier.thread_replies(post_id)[-1]
    assert workflow.blocking_findings(waiting) == []
    slack_parent = json.dumps(blocks.parent_blocks(waiting, ZONE), ensure_ascii=False)
    teams_card = json.dumps(cards.post_card(waiting, ZONE), ensure_ascii=False)
    assert told in slack_parent
    assert told in teams_card
    trail = workflow.audit_trail(post_id)
    assert [(e.actor.ref, e.reason) for e in trail if e.action == "screening_overridden"] == [
        ("console:bob", f"{REASON} (findings overridden: name)")
    ]
    assert (
        trail[-1].reason
        == "compliance (stage 2 of 2); over the screening override by Bob Clinician"
    )


def test_an_edit_after_an_override_is_screened_again_and_blocks_until_overridden_again(
    workflow, notifier
):
    post_id = propose(workflow)
    workflow.approve(post_id, BOB, override_reason=REASON)

    workflow.revise(post_id, NURSE_SLACK, text=NAMED + " Welcome back, Thiago!")

    with pytest.raises(FindingsBlockApproval, match="a person's name"):
        workflow.approve(post_id, BOB)
    workflow.approve(post_id, BOB, override_reason="New release signed for the longer text")
    post = workflow.get(post_id)
    assert "New release signed for the longer text" in json.dumps(blocks.parent_blocks(post, ZONE))
    assert REASON not in json.dumps(blocks.parent_blocks(post, ZONE))
    assert workflow.approve(post_id, DAVE).state is State.APPROVED


def test_nobody_overrides_the_findings_on_their_own_post(engine, clock, notifier):
    policy = staged_policy(approvers=("console:officer", "slack:UNURSE"))
    workflow = staged_workflow(engine, clock, notifier, policy)
    workflow.drafting.screener = DETECTOR
    request = ProposeRequest(("facebook-clinic",), "tomorrow 9am", NAMED)
    post_id = workflow.propose(request, by=NURSE_SLACK).id

    with pytest.raises(SelfApprovalRefused):
        workflow.approve(post_id, NURSE_SLACK, override_reason=REASON)

    assert workflow.get(post_id).approvals == []
    assert not [e for e in workflow.audit_trail(post_id) if e.action == "screening_overridden"]


def test_a_consent_after_an_override_does_not_call_the_overridden_findings_blocking(
    workflow, notifier
):
    post_id = propose(workflow, f"{NAMED} Call his wife at 217-555-0188 to say hi.")
    workflow.approve(post_id, BOB, override_reason=REASON)  # over the name and the phone

    workflow.record_consent(post_id, "Thiago Silva", "EHR scan #4411", DAVE)

    told = notifier.thread_replies(post_id)[-1]
    assert "no longer block approval" in told
    assert "Still blocking" not in told
    assert workflow.approve(post_id, DAVE).state is State.APPROVED
