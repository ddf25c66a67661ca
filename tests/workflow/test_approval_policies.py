"""Approval policies: stages per tag, channel and campaign; one person across platforms; the
urgent fast-track. On real SQLite and PostgreSQL, on the test's clock."""

from __future__ import annotations

import pytest

from bot.commands import ProposeRequest
from bot.domain import Person, State
from bot.errors import IllegalTransition, NotAllowed, SelfApprovalRefused
from tests.fakes import FakeNotifier
from tests.workflow.policy_setup import (
    ALICE_SLACK,
    ALICE_TEAMS,
    BOB,
    CAROL,
    CAROL_TEAMS,
    DAVE,
    ERIN,
    FRANK_SLACK,
    FRANK_TEAMS,
    NURSE_SLACK,
    NURSE_TEAMS,
    OFFICER,
    POLICY,
    staged_policy,
    staged_workflow,
)


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


@pytest.fixture
def workflow(engine, clock, notifier):  # type: ignore[no-untyped-def]
    return staged_workflow(engine, clock, notifier, staged_policy())


def propose(workflow, by, channels=("blog",), tags=(), campaign=None, urgent=False):  # type: ignore[no-untyped-def]
    request = ProposeRequest(
        channels, "tomorrow 9am", "Flu shots are in", tags=tags, campaign=campaign, urgent=urgent
    )
    return workflow.propose(request, by=by)


# -- stages ------------------------------------------------------------------------------------


def test_a_clinical_post_needs_a_clinician_then_compliance(workflow, notifier):
    post = propose(workflow, NURSE_SLACK, tags=("clinical",))

    with pytest.raises(NotAllowed, match="waiting for clinicians first"):
        workflow.approve(post.id, CAROL)
    workflow.approve(post.id, BOB)

    halfway = workflow.get(post.id)
    assert halfway.state is State.IN_REVIEW
    assert notifier.thread_replies(post.id)[-1] == (
        "Bob Clinician signed clinicians (stage 1 of 2). "
        "Next: compliance (any one): waiting for Carol Compliance or Dave Compliance."
    )
    assert halfway.checklist is not None
    assert halfway.checklist.rows() == [
        "✓ 1/2 clinicians (any one): signed by Bob Clinician",
        "→ 2/2 compliance (any one): waiting for Carol Compliance or Dave Compliance",
    ]

    workflow.approve(post.id, DAVE)

    done = workflow.get(post.id)
    assert done.state is State.APPROVED
    assert done.approved_revision is not None
    assert [e.reason for e in workflow.audit_trail(post.id)][-2:] == [
        "clinicians (stage 1 of 2)",
        "compliance (stage 2 of 2)",
    ]


def test_an_edit_voids_signed_stages_and_review_starts_again_at_the_first(workflow, notifier):
    post = propose(workflow, NURSE_SLACK, tags=("clinical",))
    workflow.approve(post.id, BOB)

    workflow.revise(post.id, NURSE_SLACK, text="Flu shots are in, walk-ins welcome")

    with pytest.raises(NotAllowed, match="waiting for clinicians first"):
        workflow.approve(post.id, CAROL)
    checklist = workflow.get(post.id).checklist
    assert checklist is not None and checklist.current == 0
    assert "signed" not in " ".join(checklist.rows())


def test_a_post_matching_two_rules_needs_the_union_of_their_stages_in_rule_order(workflow):
    post = propose(workflow, NURSE_SLACK, channels=("x-main", "blog"), tags=("clinical",))

    checklist = workflow.get(post.id).checklist

    assert checklist is not None
    assert [line.label for line in checklist.lines] == ["clinicians", "compliance"]


def test_posts_to_x_main_need_compliance_only(workflow):
    post = propose(workflow, NURSE_SLACK, channels=("x-main",))

    with pytest.raises(NotAllowed, match="Only compliance can decide"):
        workflow.approve(post.id, BOB)
    workflow.approve(post.id, CAROL)

    assert workflow.get(post.id).state is State.APPROVED


def test_an_any_stage_takes_one_member_and_an_all_stage_takes_every_member(workflow, notifier):
    anyone = propose(workflow, NURSE_SLACK, channels=("x-main",))
    everyone = propose(workflow, NURSE_SLACK, campaign="annual-report")

    workflow.approve(anyone.id, DAVE)
    workflow.approve(everyone.id, DAVE)

    assert workflow.get(anyone.id).state is State.APPROVED
    waiting = workflow.get(everyone.id)
    assert waiting.state is State.IN_REVIEW
    assert waiting.checklist is not None
    assert waiting.checklist.rows() == [
        "→ 1/1 board (all): waiting for Carol Compliance; signed by Dave Compliance"
    ]
    with pytest.raises(IllegalTransition, match="already approved by you"):
        workflow.approve(everyone.id, DAVE)

    workflow.approve(everyone.id, CAROL)

    assert workflow.get(everyone.id).state is State.APPROVED


def test_one_person_signs_one_stage_unless_the_practice_allows_more(engine, clock, notifier):
    both = {"groups": {**POLICY["groups"], "clinicians": ["carol"]}}  # carol is in both
    strict = staged_workflow(engine, clock, notifier, staged_policy(both))
    lenient = staged_workflow(
        engine, clock, notifier, staged_policy({**both, "repeat_signers": True})
    )
    first = propose(strict, NURSE_SLACK, tags=("clinical",))
    second = propose(lenient, NURSE_SLACK, tags=("clinical",))

    strict.approve(first.id, CAROL)
    lenient.approve(second.id, CAROL)

    with pytest.raises(IllegalTransition, match="already signed by you at stage 1 of 2"):
        strict.approve(first.id, CAROL)
    lenient.approve(second.id, CAROL)
    assert lenient.get(second.id).state is State.APPROVED
    strict.approve(first.id, DAVE)
    assert strict.get(first.id).state is State.APPROVED


# -- one person, one identity -----------------------------------------------------------------


def test_proposed_in_slack_the_same_person_cannot_approve_it_from_teams(workflow):
    post = propose(workflow, ALICE_SLACK, tags=("clinical",))

    with pytest.raises(SelfApprovalRefused, match="another approver has to decide"):
        workflow.approve(post.id, ALICE_TEAMS)
    with pytest.raises(SelfApprovalRefused):
        workflow.reject(post.id, ALICE_TEAMS, "no")
    assert workflow.get(post.id).state is State.IN_REVIEW


def test_accounts_linked_only_by_their_profile_email_are_one_person(workflow):
    by_frank = propose(workflow, FRANK_SLACK, tags=("clinical",))
    by_nurse = propose(workflow, NURSE_SLACK, tags=("clinical",))

    with pytest.raises(SelfApprovalRefused):
        workflow.approve(by_frank.id, FRANK_TEAMS)
    workflow.approve(by_nurse.id, FRANK_TEAMS)  # a clinician in Teams through the same e-mail

    with pytest.raises(IllegalTransition, match="already signed by you at stage 1"):
        workflow.approve(by_nurse.id, FRANK_SLACK)  # and not a second signature from Slack
    with pytest.raises(SelfApprovalRefused):
        workflow.approve(propose(workflow, NURSE_TEAMS, channels=("x-main",)).id, NURSE_SLACK)


def test_an_approver_named_by_one_platform_is_an_approver_on_the_other(engine, clock, notifier):
    olga = {"people": {"olga": {"name": "Olga", "slack": "UOLGA", "teams": "aad-olga"}}}
    flat = staged_workflow(
        engine,
        clock,
        notifier,
        staged_policy({**olga, "rules": [], "groups": {}, "on_call": []}, ("slack:UOLGA",)),
    )
    post = propose(flat, NURSE_SLACK, channels=("blog",))
    olga_in_teams = Person("teams", "aad-olga", "Olga O.")

    assert flat.is_approver(olga_in_teams)
    flat.approve(post.id, olga_in_teams)

    assert flat.get(post.id).state is State.APPROVED


def test_a_compliance_officer_signs_from_teams_with_the_account_linked_to_her(workflow):
    post = propose(workflow, NURSE_SLACK, channels=("x-main",))

    workflow.approve(post.id, CAROL_TEAMS)

    assert workflow.get(post.id).state is State.APPROVED
    with pytest.raises(IllegalTransition):
        workflow.approve(post.id, CAROL)


# -- urgent --------------------------------------------------------------------------------------


def test_an_urgent_post_goes_to_on_call_is_flagged_and_still_needs_an_approval(workflow, notifier):
    post = propose(workflow, NURSE_SLACK, tags=("clinical", "closure"))

    stored = workflow.get(post.id)
    assert workflow.is_urgent(stored)
    assert stored.checklist is not None and stored.checklist.urgent
    assert stored.checklist.rows() == ["→ 1/1 on-call (any one): waiting for Erin On-call"]
    assert stored.state is State.IN_REVIEW
    with pytest.raises(NotAllowed, match="Only on-call can decide"):
        workflow.approve(post.id, BOB)

    workflow.approve(post.id, ERIN)

    assert workflow.get(post.id).state is State.APPROVED
    assert notifier.thread_replies(post.id)[-1].startswith("Approved by Erin On-call.")


def test_the_urgent_checkbox_also_takes_the_on_call_path(workflow):
    post = propose(workflow, NURSE_SLACK, channels=("x-main",), urgent=True)

    with pytest.raises(NotAllowed, match="Only on-call"):
        workflow.approve(post.id, CAROL)
    workflow.approve(post.id, ERIN)

    assert workflow.get(post.id).state is State.APPROVED


# -- unchanged without rules --------------------------------------------------------------------


def test_a_post_no_rule_matches_keeps_the_flat_approvers_and_their_messages(
    engine, clock, notifier
):
    policy = staged_policy(approvers=("console:officer", "console:officer2"))
    policy.required_approvals = 2
    workflow = staged_workflow(engine, clock, notifier, policy)
    post = propose(workflow, NURSE_SLACK, channels=("blog",))

    with pytest.raises(NotAllowed, match="Only compliance approvers can decide"):
        workflow.approve(post.id, CAROL)
    workflow.approve(post.id, OFFICER)

    assert notifier.thread_replies(post.id)[-1] == "Olga Officer approved (1 of 2 approvals)."
    assert workflow.audit_trail(post.id)[-1].reason is None
    assert workflow.get(post.id).state is State.IN_REVIEW
