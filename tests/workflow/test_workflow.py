"""The proposal-to-approval workflow as a specification, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.audit import verify
from bot.commands import ProposeRequest
from bot.domain import DeliveryState, Person, State
from bot.errors import (
    IllegalTransition,
    NotAllowed,
    PostNotFound,
    RevisionChanged,
    SelfApprovalRefused,
    TimeNotUnderstood,
    UnknownChannel,
    UsageError,
)
from bot.workflow import Workflow
from tests.conftest import make_workflow
from tests.fakes import FakeNotifier


def draft(
    text: str = "Flu shots are in! Walk-ins welcome Mon-Fri.",
    channels: tuple[str, ...] = ("x-main", "facebook-clinic"),
    when: str = "tomorrow 9am",
    **kw: object,
) -> ProposeRequest:
    return ProposeRequest(channels=channels, when=when, text=text, **kw)  # type: ignore[arg-type]


# -- proposing ---------------------------------------------------------------------------------


def test_a_proposal_starts_in_review_with_one_delivery_per_channel(workflow, nurse, notifier):
    post = workflow.propose(draft(), by=nurse)

    stored = workflow.get(post.id)
    assert stored.state is State.IN_REVIEW
    assert set(stored.deliveries) == {"x-main", "facebook-clinic"}
    assert {d.state for d in stored.deliveries.values()} == {DeliveryState.WAITING}
    assert stored.revision.number == 1
    assert stored.proposer == nurse


def test_a_proposal_opens_an_approval_thread(workflow, nurse, notifier):
    post = workflow.propose(draft(), by=nurse)

    assert notifier.announced == [post.id]
    assert workflow.get(post.id).thread is not None


def test_the_publish_time_is_the_practice_wall_clock_stored_in_utc(workflow, nurse):
    post = workflow.propose(draft(when="2026-12-01 09:00"), by=nurse)

    # 09:00 in New York in December is 14:00 UTC (EST, UTC-5).
    assert workflow.get(post.id).scheduled_at == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


def test_a_summer_time_is_converted_with_daylight_saving(workflow, nurse):
    post = workflow.propose(draft(when="2027-07-01 09:00"), by=nurse)

    assert workflow.get(post.id).scheduled_at == datetime(2027, 7, 1, 13, 0, tzinfo=UTC)


def test_channel_names_may_be_given_by_network(workflow, nurse):
    post = workflow.propose(draft(channels=("x", "facebook")), by=nurse)

    assert post.channels == ("x-main", "facebook-clinic")


def test_an_unknown_channel_is_refused_and_nothing_is_saved(workflow, nurse):
    with pytest.raises(UnknownChannel, match="Configured channels: blog"):
        workflow.propose(draft(channels=("x-main", "tiktok")), by=nurse)

    assert workflow.my_posts(nurse) == []


def test_a_time_in_the_past_is_refused_saying_what_was_understood(workflow, nurse):
    with pytest.raises(TimeNotUnderstood, match="in the past"):
        workflow.propose(draft(when="2026-11-20 09:00"), by=nurse)


def test_a_time_in_the_spring_forward_gap_is_refused(workflow, nurse):
    with pytest.raises(TimeNotUnderstood, match="does not exist"):
        workflow.propose(draft(when="2027-03-14 02:30"), by=nurse)


def test_a_time_in_the_autumn_overlap_is_refused(workflow, nurse):
    with pytest.raises(TimeNotUnderstood, match="happens twice"):
        workflow.propose(draft(when="2027-11-07 01:30"), by=nurse)


def test_empty_text_is_refused(workflow, nurse):
    with pytest.raises(UsageError, match="no text"):
        workflow.propose(draft(text="   "), by=nurse)


def test_a_network_limit_is_a_problem_shown_to_the_reviewer_not_a_refusal(workflow, nurse):
    post = workflow.propose(draft(text="x" * 300, channels=("x-main", "blog")), by=nurse)

    assert any("280" in p for p in workflow.get(post.id).revision.problems)


def test_possible_phi_is_flagged_for_the_reviewer(workflow, nurse):
    post = workflow.propose(
        draft(text="Happy birthday to patient Mrs. Smith, MRN 12345!"), by=nurse
    )

    problems = " ".join(workflow.get(post.id).revision.problems)
    assert "medical record number" in problems
    assert "named patient" in problems


def test_a_retried_proposal_with_the_same_key_makes_no_second_post(workflow, nurse, notifier):
    first = workflow.propose(draft(idempotency_key="slack:trigger-1"), by=nurse)
    second = workflow.propose(draft(idempotency_key="slack:trigger-1"), by=nurse)

    assert second.id == first.id
    assert len(workflow.my_posts(nurse)) == 1
    assert notifier.announced == [first.id]


def test_a_proposal_survives_the_chat_platform_being_down_and_is_announced_later(
    workflow, nurse, notifier, clock
):
    notifier.down = True
    post = workflow.propose(draft(), by=nurse)
    assert workflow.get(post.id).thread is None

    notifier.down = False
    assert workflow.announce_pending() == 0  # the first announce may still be under way
    clock.advance(minutes=3)
    announced = workflow.announce_pending()

    assert announced == 1
    assert workflow.get(post.id).thread is not None


# -- deciding ----------------------------------------------------------------------------------


def test_an_approver_approves_and_every_delivery_is_scheduled(workflow, nurse, officer, notifier):
    post = workflow.propose(draft(), by=nurse)

    workflow.approve(post.id, officer, post.revision.hash)

    stored = workflow.get(post.id)
    assert stored.state is State.APPROVED
    assert {d.state for d in stored.deliveries.values()} == {DeliveryState.SCHEDULED}
    assert stored.approved_revision == stored.revision
    assert "Approved by Olga Officer" in notifier.proposer_dms(post.id)[-1]


def test_nobody_approves_their_own_post(workflow, officer):
    post = workflow.propose(draft(), by=officer)

    with pytest.raises(SelfApprovalRefused, match="another approver"):
        workflow.approve(post.id, officer)

    assert workflow.get(post.id).state is State.IN_REVIEW


def test_only_configured_approvers_decide(workflow, nurse, stranger):
    post = workflow.propose(draft(), by=nurse)

    for decide in (
        lambda: workflow.approve(post.id, stranger),
        lambda: workflow.reject(post.id, stranger, "no"),
        lambda: workflow.request_changes(post.id, stranger, "change it"),
    ):
        with pytest.raises(NotAllowed, match="Only compliance approvers"):
            decide()

    assert workflow.get(post.id).state is State.IN_REVIEW


def test_an_approver_on_another_platform_is_a_different_person(workflow, nurse):
    post = workflow.propose(draft(), by=nurse)

    with pytest.raises(NotAllowed):
        workflow.approve(post.id, Person("slack", "officer", "Impostor"))


def test_request_changes_then_edit_returns_the_post_to_review(workflow, nurse, officer, notifier):
    post = workflow.propose(draft(), by=nurse)
    workflow.request_changes(post.id, officer, "Say which clinics", post.revision.hash)
    assert workflow.get(post.id).state is State.CHANGES_REQUESTED

    workflow.revise(post.id, nurse, text="Flu shots are in at Main St and Elm St clinics!")

    stored = workflow.get(post.id)
    assert stored.state is State.IN_REVIEW
    assert stored.revision.number == 2
    assert "the text changed" in notifier.thread_replies(post.id)[-1]


def test_an_edit_after_approval_voids_it_and_sends_the_post_back_to_review(
    workflow, nurse, officer, notifier
):
    post = workflow.propose(draft(), by=nurse)
    workflow.approve(post.id, officer, post.revision.hash)

    workflow.revise(post.id, nurse, text="Flu shots from Tuesday")

    stored = workflow.get(post.id)
    assert stored.state is State.IN_REVIEW
    assert stored.approved_revision is None
    assert {d.state for d in stored.deliveries.values()} == {DeliveryState.WAITING}
    assert "approval was voided" in notifier.thread_replies(post.id)[-1]


def test_a_decision_about_an_old_revision_is_refused(workflow, nurse, officer):
    post = workflow.propose(draft(), by=nurse)
    seen_hash = post.revision.hash
    workflow.revise(post.id, nurse, text="Flu shots from Tuesday")

    with pytest.raises(RevisionChanged, match="revision 2"):
        workflow.approve(post.id, officer, seen_hash)

    assert workflow.get(post.id).state is State.IN_REVIEW


def test_an_edit_that_changes_nothing_is_refused(workflow, nurse):
    post = workflow.propose(draft(), by=nurse)

    with pytest.raises(UsageError, match="nothing was changed"):
        workflow.revise(post.id, nurse, text=post.content.text)


def test_only_the_proposer_edits_or_withdraws(workflow, nurse, officer):
    post = workflow.propose(draft(), by=nurse)

    with pytest.raises(NotAllowed, match="Nora Nurse"):
        workflow.revise(post.id, officer, text="Officer's version")
    with pytest.raises(NotAllowed, match="Nora Nurse"):
        workflow.withdraw(post.id, officer)


def test_a_withdrawn_post_cancels_its_deliveries_and_is_final(workflow, nurse, officer):
    post = workflow.propose(draft(), by=nurse)
    workflow.approve(post.id, officer)

    workflow.withdraw(post.id, nurse, "Clinic closed that day")

    stored = workflow.get(post.id)
    assert stored.state is State.WITHDRAWN
    assert {d.state for d in stored.deliveries.values()} == {DeliveryState.CANCELLED}
    with pytest.raises(IllegalTransition, match="is withdrawn, so it cannot be approved"):
        workflow.approve(post.id, officer)


def test_rejecting_needs_a_reason(workflow, nurse, officer):
    post = workflow.propose(draft(), by=nurse)

    with pytest.raises(UsageError, match="Say why"):
        workflow.reject(post.id, officer, "  ")

    workflow.reject(post.id, officer, "Mentions a patient")
    assert workflow.get(post.id).state is State.REJECTED


def test_two_approvals_are_needed_when_configured(engine, clock, nurse, officer, second_officer):
    notifier = FakeNotifier()
    workflow = make_workflow(engine, clock, notifier, required=2)
    post = workflow.propose(draft(), by=nurse)

    workflow.approve(post.id, officer)
    assert workflow.get(post.id).state is State.IN_REVIEW
    with pytest.raises(IllegalTransition, match="approved twice"):
        workflow.approve(post.id, officer)

    workflow.approve(post.id, second_officer)
    assert workflow.get(post.id).state is State.APPROVED


def test_an_unknown_post_number_says_so(workflow, officer):
    with pytest.raises(PostNotFound, match="no post #999"):
        workflow.approve(999, officer)


# -- audit -------------------------------------------------------------------------------------


def test_every_step_is_in_an_intact_audit_trail(workflow: Workflow, nurse, officer):
    post = workflow.propose(draft(), by=nurse)
    workflow.comment(post.id, officer, "Which clinics?")
    workflow.request_changes(post.id, officer, "Name the clinics")
    workflow.revise(post.id, nurse, text="Flu shots at Main St!")
    workflow.approve(post.id, officer)

    trail = workflow.audit_trail(post.id)

    assert [e.action for e in trail] == [
        "proposed",
        "commented",
        "changes_requested",
        "revised",
        "approved",
    ]
    assert trail[3].actor == nurse and trail[4].actor == officer
    assert trail[2].reason == "Name the clinics"
    assert trail[4].revision_hash == workflow.get(post.id).revision.hash
    assert verify(workflow.get(post.id), trail) == []


def test_a_platform_retry_loop_announces_only_its_own_platform_s_posts(
    workflow, nurse, notifier, clock
):
    notifier.down = True
    console_post = workflow.propose(draft(), by=nurse)
    teams_post = workflow.propose(draft(), by=Person("teams", "aad-1", "Tess"))
    notifier.down = False
    clock.advance(minutes=3)

    assert workflow.announce_pending("teams") == 0  # no Teams notifier here: nothing to do
    assert workflow.announce_pending("console") == 1

    assert workflow.get(console_post.id).thread is not None
    assert workflow.get(teams_post.id).thread is None
