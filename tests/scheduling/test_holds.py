"""An approved post caught by a blackout or quiet hours added after its approval is held at
dispatch: nothing reaches the network, nothing fails, and the thread is asked what to do."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.domain import DeliveryState, State
from bot.errors import NotAllowed
from bot.schedule_rules import Blackout, QuietHours, ScheduleRules
from tests.conftest import ZONE
from tests.scheduling.conftest import DUE

# Added to the settings after the post was approved, then the process restarted.
EMBARGO = Blackout(DUE - timedelta(hours=1), DUE + timedelta(hours=3), "Press embargo")


@pytest.fixture
def restarted(make_dispatcher):
    """A dispatcher started with new rules, as `serve` is after the settings changed."""
    return lambda rules: make_dispatcher(rules=rules)


@pytest.fixture
def held(approved, restarted, clock):
    """An x-main post approved, then held by the embargo at its time; returns the post and
    the dispatcher that held it."""
    post = approved(channels=("x-main",))
    dispatcher = restarted(ScheduleRules(ZONE, (EMBARGO,)))
    clock.set(DUE)
    dispatcher.dispatch_due()
    return post, dispatcher


def test_a_post_caught_by_a_new_blackout_is_held_and_the_thread_is_asked(
    approved, restarted, clock, workflow, notifier, x, facebook
):
    post = approved()
    dispatcher = restarted(ScheduleRules(ZONE, (EMBARGO,)))
    clock.set(DUE)

    report = dispatcher.dispatch_due()

    assert x.jobs == [] and facebook.jobs == []
    assert report.held == 2 and report.failed == 0
    held = workflow.get(post.id)
    assert held.state is State.APPROVED
    assert {d.state for d in held.deliveries.values()} == {DeliveryState.HELD}
    asked = notifier.notices[post.id][-1]
    assert asked.text.startswith("Held on facebook-clinic: it is due Wed 25 Nov 2026 12:30 EST")
    assert "blackout “Press embargo”" in asked.text
    assert "the next allowed time is Wed 25 Nov 2026 15:30 EST" in asked.text
    assert list(asked.actions) == ["publish_now", "reschedule", "cancel"]
    trail = workflow.audit_trail(post.id)
    assert [(e.action, e.reason) for e in trail[-2:]] == [
        ("delivery_held", "held: blackout “Press embargo”"),
        ("delivery_held", "held: blackout “Press embargo”"),
    ]
    assert dispatcher.dispatch_due().held == 0  # asked once, not every sweep


def test_an_approver_may_publish_a_held_post_anyway_and_it_goes_out_in_the_blackout(
    held, workflow, officer, nurse, x
):
    post, dispatcher = held

    with pytest.raises(NotAllowed):
        workflow.publish_now(post.id, nurse)
    workflow.publish_now(post.id, officer)
    dispatcher.dispatch_due()

    assert len(x.calls_for(post.id)) == 1
    assert workflow.get(post.id).state is State.PUBLISHED
    trail = workflow.audit_trail(post.id)
    assert [e.action for e in trail[-5:]] == [
        "delivery_held",
        "delivery_publish_now",
        "publishing",
        "delivery_published",
        "published",
    ]
    assert trail[-4].actor == officer


def test_a_held_post_rescheduled_after_the_blackout_goes_out_then(
    held, clock, workflow, officer, x
):
    post, dispatcher = held
    later = EMBARGO.end + timedelta(minutes=30)

    workflow.reschedule_delivery(post.id, officer, later)
    dispatcher.dispatch_due()
    assert x.jobs == []
    clock.set(later)
    dispatcher.dispatch_due()

    assert len(x.calls_for(post.id)) == 1


def test_cancelling_a_held_channel_withdraws_the_post_and_nothing_goes_out(
    held, workflow, nurse, x
):
    post, _ = held

    workflow.cancel_delivery(post.id, nurse)  # the proposer may call a channel off

    assert workflow.get(post.id).state is State.WITHDRAWN
    assert x.jobs == []


def test_quiet_hours_hold_only_their_channel(approved, restarted, clock, workflow, x, facebook):
    due = datetime(2026, 11, 26, 4, 0, tzinfo=DUE.tzinfo)  # Wed 23:00 EST
    post = approved(at=due)
    dispatcher = restarted(
        ScheduleRules(ZONE, quiet_hours=(QuietHours("x-main", time(22), time(7)),))
    )
    clock.set(due)

    dispatcher.dispatch_due()

    assert x.jobs == [] and len(facebook.calls_for(post.id)) == 1
    stored = workflow.get(post.id)
    assert stored.deliveries["x-main"].state is DeliveryState.HELD
    assert stored.deliveries["facebook-clinic"].state is DeliveryState.PUBLISHED
