"""What people decide about deliveries: each decision is checked, audited and told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.audit import verify
from bot.domain import DeliveryState, State
from bot.errors import IllegalTransition, NotAllowed, UsageError
from bot.ports import Failed
from tests.scheduling.conftest import DUE, thread


def test_every_decision_about_a_delivery_is_in_an_intact_audit_trail(
    approved, dispatcher, clock, workflow, officer, x
):
    post = approved(channels=("x-main",))
    clock.set(DUE + timedelta(hours=2))
    dispatcher.dispatch_due()  # missed
    workflow.publish_now(post.id, officer)
    x.results = [Failed("unknown", "The connection dropped after sending.")]
    dispatcher.dispatch_due()  # unknown
    workflow.retry_delivery(post.id, officer)
    x.results = [Failed("permanent", "X refused the text.")]
    dispatcher.dispatch_due()  # failed

    workflow.mark_published(post.id, officer, "x-main", url="https://x.example/found")

    stored = workflow.get(post.id)
    trail = workflow.audit_trail(post.id)
    assert verify(stored, trail) == []
    assert stored.state is State.PUBLISHED
    assert stored.deliveries["x-main"].url == "https://x.example/found"
    actions = [e.action for e in trail]
    for expected in (
        "delivery_missed",
        "delivery_publish_now",
        "delivery_unknown",
        "delivery_retried",
        "delivery_failed",
        "delivery_marked_published",
    ):
        assert expected in actions
    assert {e.actor.ref for e in trail if e.action == "delivery_retried"} == {officer.ref}


def test_each_decision_is_told_in_the_thread(
    approved, dispatcher, clock, workflow, officer, notifier
):
    post = approved(channels=("x-main",))
    clock.set(DUE + timedelta(hours=2))
    dispatcher.dispatch_due()

    workflow.reschedule_delivery(post.id, officer, clock.now() + timedelta(hours=1))

    last = notifier.notices[post.id][-1]
    assert last.kind == "delivery" and last.channel == "x-main"
    assert "Olga Officer rescheduled x-main for" in last.text


def test_only_approvers_publish_now_reschedule_or_mark_published(
    approved, dispatcher, clock, workflow, nurse
):
    post = approved(channels=("x-main",))
    clock.set(DUE + timedelta(hours=2))
    dispatcher.dispatch_due()

    for decide in (
        lambda: workflow.publish_now(post.id, nurse),
        lambda: workflow.reschedule_delivery(post.id, nurse, clock.now() + timedelta(hours=1)),
        lambda: workflow.mark_published(post.id, nurse),
    ):
        with pytest.raises(NotAllowed, match="Only compliance approvers"):
            decide()
    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.MISSED


def test_a_published_channel_cannot_be_cancelled_or_marked_again(
    approved, dispatcher, clock, workflow, officer
):
    post = approved(channels=("x-main",))
    clock.set(DUE)
    dispatcher.dispatch_due()

    with pytest.raises(IllegalTransition, match="published on x-main"):
        workflow.cancel_delivery(post.id, officer, "x-main")
    with pytest.raises(IllegalTransition):
        workflow.mark_published(post.id, officer)


def test_a_channel_the_post_is_not_going_to_is_named_in_the_refusal(approved, workflow, officer):
    post = approved(channels=("x-main",))

    with pytest.raises(UsageError, match="not going to `blog`; it goes to x-main"):
        workflow.cancel_delivery(post.id, officer, "blog")


def test_a_reschedule_into_the_past_is_refused_and_nothing_changes(
    approved, dispatcher, clock, workflow, officer, notifier
):
    post = approved(channels=("x-main",))
    clock.set(DUE + timedelta(hours=2))
    dispatcher.dispatch_due()
    told = len(thread(notifier, post.id))

    with pytest.raises(UsageError, match="in the past"):
        workflow.reschedule_delivery(post.id, officer, DUE)

    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.MISSED
    assert len(thread(notifier, post.id)) == told


def test_retry_means_the_same_with_or_without_a_channel_named(
    approved, dispatcher, clock, workflow, officer
):
    """A missed delivery is published now or rescheduled, not retried, however it is asked."""
    post = approved(channels=("x-main",))
    clock.set(DUE + timedelta(hours=2))
    dispatcher.dispatch_due()  # missed

    for channel in (None, "x-main"):
        with pytest.raises(IllegalTransition, match="cannot be retried"):
            workflow.retry_delivery(post.id, officer, channel)

    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.MISSED
