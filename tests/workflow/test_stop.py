""" "Stop this post": an approver calls off an approved post before anything went out, on every
channel at once, with each channel's cancellation in the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.audit import verify
from bot.commands import ProposeRequest
from bot.delivery_desk import stoppable
from bot.domain import DeliveryState, State
from bot.errors import IllegalTransition, NotAllowed
from tests.conftest import NOW


def draft() -> ProposeRequest:
    channels = ("x-main", "facebook-clinic", "blog")
    return ProposeRequest(channels=channels, when=NOW + timedelta(days=1), text="Flu shots!")


def test_an_approver_stops_an_approved_post_on_every_channel_and_it_is_audited(
    workflow, nurse, officer, notifier
):
    post = workflow.propose(draft(), by=nurse)
    workflow.approve(post.id, officer)

    workflow.stop(post.id, officer)

    stored = workflow.get(post.id)
    assert stored.state is State.WITHDRAWN
    assert {d.state for d in stored.deliveries.values()} == {DeliveryState.CANCELLED}
    trail = workflow.audit_trail(post.id)
    cancelled = [e.channel for e in trail if e.action == "delivery_cancelled"]
    assert sorted(cancelled) == ["blog", "facebook-clinic", "x-main"]
    assert {e.actor.ref for e in trail if e.action == "delivery_cancelled"} == {officer.ref}
    assert verify(stored, trail) == []
    assert "will not be published" in notifier.thread_replies(post.id)[-1]


def test_a_post_that_has_started_going_out_cannot_be_stopped(workflow, nurse, officer):
    post = workflow.propose(draft(), by=nurse)
    post = workflow.approve(post.id, officer)
    post.deliveries["x-main"].state = DeliveryState.PUBLISHED

    assert stoppable(post) is False
    assert stoppable(workflow.get(post.id)) is True


def test_a_post_in_review_is_withdrawn_not_stopped(workflow, nurse, officer):
    post = workflow.propose(draft(), by=nurse)

    assert stoppable(post) is False
    with pytest.raises(IllegalTransition, match="in review, so it cannot be stopped"):
        workflow.stop(post.id, officer)


def test_someone_who_is_neither_approver_nor_proposer_cannot_stop_a_post(
    workflow, nurse, officer, stranger
):
    post = workflow.propose(draft(), by=nurse)
    workflow.approve(post.id, officer)

    with pytest.raises(NotAllowed):
        workflow.stop(post.id, stranger)

    assert workflow.get(post.id).state is State.APPROVED
