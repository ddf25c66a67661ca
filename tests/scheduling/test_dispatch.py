"""The dispatcher as a specification, on SQLite and PostgreSQL, moved by a FixedClock."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from bot.audit import verify
from bot.commands import ProposeRequest
from bot.domain import DeliveryState, State
from bot.errors import IllegalTransition, NotAllowed
from bot.ports import Failed
from tests.fakes import FakePublisher
from tests.scheduling.conftest import DUE, thread

# -- on time ------------------------------------------------------------------------------------


def test_nothing_is_published_before_its_time(approved, dispatcher, clock, x, facebook):
    approved()
    clock.set(DUE - timedelta(seconds=1))

    dispatcher.dispatch_due()

    assert x.jobs == [] and facebook.jobs == []


def test_an_approved_post_is_published_once_on_every_channel_at_its_time(
    approved, dispatcher, clock, workflow, notifier, x, facebook
):
    post = approved()
    clock.set(DUE)

    dispatcher.dispatch_due()
    dispatcher.dispatch_due()

    stored = workflow.get(post.id)
    assert len(x.calls_for(post.id)) == 1 and len(facebook.calls_for(post.id)) == 1
    assert stored.state is State.PUBLISHED
    assert stored.deliveries["x-main"].url == "https://x.example/p/1"
    assert "Published on x-main: https://x.example/p/1" in thread(notifier, post.id)
    assert verify(stored, workflow.audit_trail(post.id)) == []


def test_the_publisher_gets_the_approved_text_for_its_channel_and_a_stable_key(
    workflow, nurse, officer, dispatcher, clock, x
):
    request = ProposeRequest(
        channels=("x-main", "facebook-clinic"),
        when=DUE,
        text="Flu shots are in! Walk-ins welcome.",
        overrides={"x-main": "Flu shots: walk in!"},
        link="https://clinic.example/flu",
    )
    post = workflow.approve(workflow.propose(request, by=nurse).id, officer)
    clock.set(DUE)

    dispatcher.dispatch_due()

    [job] = x.jobs
    assert job.text == "Flu shots: walk in!"
    assert job.link == "https://clinic.example/flu"
    assert job.revision_hash == post.revision.hash
    assert job.idempotency_key.startswith("clearpost-")


# -- never the wrong post -----------------------------------------------------------------------


def test_a_withdrawn_post_is_never_published(approved, workflow, nurse, dispatcher, clock, x):
    post = approved()
    workflow.withdraw(post.id, nurse)
    clock.set(DUE)

    dispatcher.dispatch_due()

    assert x.jobs == []
    assert workflow.get(post.id).state is State.WITHDRAWN


def test_a_rejected_post_is_never_published(
    approved, workflow, second_officer, dispatcher, clock, x
):
    post = approved()
    workflow.reject(post.id, second_officer, "Mentions a patient")
    clock.set(DUE)

    dispatcher.dispatch_due()

    assert x.jobs == []


def test_a_post_edited_after_approval_is_not_published_until_approved_again(
    approved, workflow, nurse, officer, dispatcher, clock, x
):
    post = approved()
    workflow.revise(post.id, nurse, text="Flu shots from Tuesday")
    clock.set(DUE)

    dispatcher.dispatch_due()
    assert x.jobs == []

    workflow.approve(post.id, officer)
    dispatcher.dispatch_due()
    assert [j.text for j in x.jobs] == ["Flu shots from Tuesday"]


def test_a_withdrawal_racing_the_claim_loses_and_the_post_goes_out_once(
    approved, workflow, nurse, dispatcher, clock, x, facebook
):
    post = approved()
    clock.set(DUE)
    x.gate = threading.Event()  # hold the call in flight

    runner = threading.Thread(target=dispatcher.dispatch_due)
    runner.start()
    assert x.started.wait(timeout=10)

    with pytest.raises(Exception, match="publishing, so it cannot be withdrawn"):
        workflow.withdraw(post.id, nurse)
    x.gate.set()
    runner.join(timeout=10)

    assert len(x.calls_for(post.id)) == 1
    assert workflow.get(post.id).state is State.PUBLISHED


def test_a_withdrawal_that_lands_before_the_claim_stops_the_post(
    approved, workflow, nurse, dispatcher, clock, x
):
    post = approved()
    clock.set(DUE)
    due_before = workflow.get(post.id).deliveries["x-main"].state

    workflow.withdraw(post.id, nurse)  # between "it is due" and the claim's re-check
    dispatcher.dispatch_due()

    assert due_before is DeliveryState.SCHEDULED
    assert x.jobs == []


# -- downtime -----------------------------------------------------------------------------------


def test_a_post_that_came_due_within_the_grace_window_is_published_late(
    approved, make_dispatcher, clock, x
):
    post = approved()
    clock.set(DUE + timedelta(minutes=59))

    make_dispatcher(grace=timedelta(minutes=60)).dispatch_due()

    assert len(x.calls_for(post.id)) == 1


def test_a_grace_window_of_zero_still_publishes_a_post_picked_up_by_the_next_sweep(
    approved, make_dispatcher, clock, x
):
    post = approved()
    clock.set(DUE + timedelta(seconds=70))  # its wake-up was lost; the minute sweep found it

    make_dispatcher(grace=timedelta(0)).sweep()

    assert len(x.calls_for(post.id)) == 1


def test_a_post_missed_beyond_the_grace_window_is_handed_to_a_person(
    approved, make_dispatcher, clock, workflow, notifier, x
):
    post = approved()
    clock.set(DUE + timedelta(minutes=61))

    report = make_dispatcher(grace=timedelta(minutes=60)).dispatch_due()

    assert x.jobs == []
    assert report.missed == 2
    stored = workflow.get(post.id)
    assert stored.deliveries["x-main"].state is DeliveryState.MISSED
    missed = [n for n in notifier.notices[post.id] if n.channel == "x-main"][-1]
    assert "while Clearpost was not running" in missed.text
    assert missed.actions == ("publish_now", "reschedule", "cancel")


def test_publish_now_sends_a_missed_post(approved, make_dispatcher, clock, workflow, officer, x):
    post = approved()
    clock.set(DUE + timedelta(hours=3))
    dispatcher = make_dispatcher()
    dispatcher.dispatch_due()

    workflow.publish_now(post.id, officer, "x-main")
    dispatcher.dispatch_due()

    assert len(x.calls_for(post.id)) == 1
    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.PUBLISHED


def test_a_missed_post_rescheduled_goes_out_at_the_new_time(
    approved, dispatcher, clock, workflow, officer, x
):
    post = approved()
    clock.set(DUE + timedelta(hours=3))
    dispatcher.dispatch_due()
    new_time = clock.now() + timedelta(hours=1)

    workflow.reschedule_delivery(post.id, officer, new_time, "x-main")
    dispatcher.dispatch_due()
    assert x.jobs == []
    clock.set(new_time)
    dispatcher.dispatch_due()

    assert len(x.calls_for(post.id)) == 1


def test_a_post_approved_after_its_time_goes_out_at_once(
    workflow, nurse, officer, dispatcher, clock, x
):
    post = workflow.propose(ProposeRequest(("x-main",), DUE, "Flu shots"), by=nurse)
    clock.set(DUE + timedelta(hours=2))  # the approver came back from lunch late
    workflow.approve(post.id, officer)

    dispatcher.dispatch_due()

    assert len(x.calls_for(post.id)) == 1


# -- failures -----------------------------------------------------------------------------------


def test_a_transient_failure_is_retried_with_backoff_honouring_retry_after(
    approved, make_dispatcher, clock, workflow, notifier, x
):
    post = approved(channels=("x-main",))
    x.results = [Failed("transient", "X is rate limiting us.", retry_after=120)]
    dispatcher = make_dispatcher(first_backoff=timedelta(seconds=30))
    clock.set(DUE)

    dispatcher.dispatch_due()
    stored = workflow.get(post.id).deliveries["x-main"]
    assert stored.state is DeliveryState.SCHEDULED
    assert stored.next_attempt_at == DUE + timedelta(seconds=120)
    assert "Trying again at" in thread(notifier, post.id)[-1]

    clock.set(DUE + timedelta(seconds=119))
    dispatcher.dispatch_due()
    assert len(x.jobs) == 1

    clock.set(DUE + timedelta(seconds=120))
    dispatcher.dispatch_due()
    assert len(x.jobs) == 2
    assert x.jobs[0].idempotency_key == x.jobs[1].idempotency_key
    assert workflow.get(post.id).state is State.PUBLISHED


def test_a_rate_limited_channel_is_left_alone_until_the_network_said(
    approved, dispatcher, clock, workflow, x, facebook
):
    first = approved(channels=("x-main",))
    second = approved(at=DUE + timedelta(seconds=10))
    x.results = [Failed("transient", "X is rate limiting us.", retry_after=120)]
    clock.set(DUE)
    dispatcher.dispatch_due()

    clock.set(DUE + timedelta(seconds=10))
    dispatcher.dispatch_due()
    assert [j.post_id for j in x.jobs] == [first.id]  # x waits; facebook does not
    assert len(facebook.calls_for(second.id)) == 1

    clock.set(DUE + timedelta(seconds=120))
    dispatcher.dispatch_due()
    assert sorted(j.post_id for j in x.jobs) == sorted([first.id, first.id, second.id])
    assert workflow.get(second.id).state is State.PUBLISHED


def test_backoff_doubles_between_attempts_and_gives_up_at_the_limit(
    approved, make_dispatcher, clock, workflow, notifier, x
):
    post = approved(channels=("x-main",))
    x.results = [Failed("transient", "X is unavailable.")] * 3
    dispatcher = make_dispatcher(max_attempts=3, first_backoff=timedelta(seconds=10))
    clock.set(DUE)

    waits = []
    for _ in range(3):
        dispatcher.dispatch_due()
        delivery = workflow.get(post.id).deliveries["x-main"]
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - clock.now())
            clock.set(delivery.next_attempt_at)

    assert waits == [timedelta(seconds=10), timedelta(seconds=20)]
    stored = workflow.get(post.id)
    assert stored.deliveries["x-main"].state is DeliveryState.FAILED
    assert stored.state is State.FAILED
    assert "gave up after 3 attempts" in thread(notifier, post.id)[-1]


def test_a_permanent_failure_fails_at_once_and_offers_retry(
    approved, dispatcher, clock, workflow, notifier, officer, x
):
    post = approved(channels=("x-main",))
    x.results = [Failed("permanent", "X refused the token; run `clearpost channels check`.")]
    clock.set(DUE)

    dispatcher.dispatch_due()

    assert len(x.jobs) == 1
    last = notifier.notices[post.id][-1]
    assert "X refused the token" in last.text and last.actions == (
        "retry",
        "mark_published",
        "cancel",
    )
    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.FAILED

    workflow.retry_delivery(post.id, officer)
    dispatcher.dispatch_due()
    assert workflow.get(post.id).state is State.PUBLISHED


def test_one_channel_failing_does_not_hold_back_the_other(
    approved, dispatcher, clock, workflow, x, facebook
):
    post = approved()
    x.results = [Failed("permanent", "Too long for X.")]
    clock.set(DUE)

    dispatcher.dispatch_due()

    stored = workflow.get(post.id)
    assert stored.deliveries["facebook-clinic"].state is DeliveryState.PUBLISHED
    assert stored.deliveries["x-main"].state is DeliveryState.FAILED


def test_a_channel_without_a_publisher_fails_with_what_to_do(
    approved, dispatcher, clock, workflow, notifier
):
    post = approved(channels=("blog",))
    clock.set(DUE)

    dispatcher.dispatch_due()

    assert workflow.get(post.id).deliveries["blog"].state is DeliveryState.FAILED
    assert "clearpost channels check" in thread(notifier, post.id)[-1]


def test_a_publisher_that_raises_is_an_unknown_outcome_not_a_repost(
    approved, dispatcher, clock, workflow, notifier, x
):
    post = approved(channels=("x-main",))
    x.results = [RuntimeError("bug")]
    clock.set(DUE)

    dispatcher.dispatch_due()
    dispatcher.sweep()

    assert len(x.jobs) == 1
    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.UNKNOWN
    assert notifier.notices[post.id][-1].actions == ("retry", "mark_published", "cancel")


# -- a crash mid-call ---------------------------------------------------------------------------


def _crash_mid_call(dispatcher, clock) -> None:
    """Claim what is due and then 'die': the claim is committed, the call never returns."""
    clock.set(DUE)
    jobs, _, _ = dispatcher._claim_due(())
    assert jobs


def test_after_a_crash_mid_call_the_outcome_is_unknown_and_a_person_is_asked(
    approved, make_dispatcher, clock, workflow, notifier, officer, x
):
    post = approved(channels=("x-main",))
    _crash_mid_call(make_dispatcher(), clock)
    restarted = make_dispatcher(lease=timedelta(minutes=5))

    clock.set(DUE + timedelta(minutes=4))
    restarted.sweep()
    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.PUBLISHING

    clock.set(DUE + timedelta(minutes=6))
    restarted.sweep()

    assert x.jobs == []
    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.UNKNOWN
    assert "may have posted" in thread(notifier, post.id)[-1]

    workflow.mark_published(post.id, officer, "x-main", url="https://x.example/found")
    assert workflow.get(post.id).state is State.PUBLISHED


def test_after_a_crash_an_idempotent_network_gets_the_same_request_again(
    approved, make_dispatcher, clock, workflow, publishers
):
    mastodon = FakePublisher("mastodon", idempotent=True)
    publishers["x-main"] = mastodon
    post = approved(channels=("x-main",))
    _crash_mid_call(make_dispatcher(), clock)

    clock.set(DUE + timedelta(minutes=6))
    make_dispatcher(lease=timedelta(minutes=5)).sweep()

    [job] = mastodon.jobs
    assert job.idempotency_key.startswith("clearpost-")
    assert workflow.get(post.id).state is State.PUBLISHED


def _first_call_outlives_its_lease(approved, make_dispatcher, clock, x):
    """A call held in flight past its lease, and the sweep that makes it "unknown" (a person is
    asked). Returns the post, the held call's thread and the sweeping dispatcher."""
    post = approved(channels=("x-main",))
    x.gate = threading.Event()
    slow = make_dispatcher(lease=timedelta(minutes=5))
    clock.set(DUE)
    runner = threading.Thread(target=slow.dispatch_due)
    runner.start()
    assert x.started.wait(timeout=10)
    clock.set(DUE + timedelta(minutes=6))
    other = make_dispatcher(lease=timedelta(minutes=5))
    other.sweep()
    return post, runner, other


def test_a_call_that_outlives_its_lease_and_then_succeeds_is_recorded_as_published(
    approved, make_dispatcher, clock, workflow, notifier, x
):
    post, runner, _ = _first_call_outlives_its_lease(approved, make_dispatcher, clock, x)
    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.UNKNOWN
    x.gate.set()
    runner.join(timeout=10)

    assert len(x.jobs) == 1
    assert workflow.get(post.id).state is State.PUBLISHED
    assert thread(notifier, post.id)[-1].startswith("Published on x-main")


def test_a_late_success_after_a_person_retried_is_recorded_and_the_retry_never_sends(
    approved, make_dispatcher, clock, workflow, notifier, officer, x
):
    post, runner, other = _first_call_outlives_its_lease(approved, make_dispatcher, clock, x)
    workflow.retry_delivery(post.id, officer, "x-main")  # re-queued before the call returns

    x.gate.set()  # ...and then the first call succeeds after all
    runner.join(timeout=10)
    other.dispatch_due()

    assert len(x.jobs) == 1, "the post went out twice"
    stored = workflow.get(post.id)
    assert stored.state is State.PUBLISHED
    assert stored.deliveries["x-main"].url == "https://x.example/p/1"
    assert thread(notifier, post.id)[-1].startswith("Published on x-main")


def test_an_older_calls_failure_is_not_taken_for_the_current_claims(
    approved, make_dispatcher, clock, workflow, officer, x
):
    x.results = [Failed("permanent", "Refused, late.")]
    post, runner, _ = _first_call_outlives_its_lease(approved, make_dispatcher, clock, x)
    workflow.retry_delivery(post.id, officer, "x-main")

    x.gate.set()
    runner.join(timeout=10)

    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.SCHEDULED


# -- people decide ------------------------------------------------------------------------------


def test_only_approvers_retry_and_the_proposer_may_cancel(
    approved, dispatcher, clock, workflow, nurse, stranger, x
):
    post = approved(channels=("x-main", "facebook-clinic"))
    x.results = [Failed("permanent", "Refused.")]
    clock.set(DUE)
    dispatcher.dispatch_due()

    with pytest.raises(NotAllowed, match="Only compliance approvers"):
        workflow.retry_delivery(post.id, nurse)
    with pytest.raises(NotAllowed):
        workflow.cancel_delivery(post.id, stranger)
    workflow.cancel_delivery(post.id, nurse, "x-main")

    stored = workflow.get(post.id)
    assert stored.deliveries["x-main"].state is DeliveryState.CANCELLED
    assert stored.state is State.PUBLISHED  # facebook went out; x was called off
    actions = [e.action for e in workflow.audit_trail(post.id)]
    assert "delivery_cancelled" in actions


def test_cancelling_every_channel_before_the_time_means_it_never_publishes(
    approved, dispatcher, clock, workflow, officer, x
):
    post = approved()

    workflow.cancel_delivery(post.id, officer)
    clock.set(DUE)
    dispatcher.dispatch_due()

    assert x.jobs == []
    assert workflow.get(post.id).state is State.WITHDRAWN


def test_a_retry_of_a_delivery_that_needs_no_one_is_refused_clearly(approved, workflow, officer):
    post = approved()

    with pytest.raises(IllegalTransition, match="cannot be retried"):
        workflow.retry_delivery(post.id, officer)


# -- shutdown -----------------------------------------------------------------------------------


def test_shutdown_lets_the_running_call_finish_and_releases_the_queued_ones(
    approved, make_dispatcher, clock, workflow, x
):
    posts = [approved(channels=("x-main",)) for _ in range(3)]
    x.gate = threading.Event()
    dispatcher = make_dispatcher(workers=1)
    clock.set(DUE)
    runner = threading.Thread(target=dispatcher.dispatch_due)
    runner.start()
    assert x.started.wait(timeout=10)

    stopper = threading.Thread(target=dispatcher.shutdown, kwargs={"timeout": 10})
    stopper.start()
    # Open the gate only once the queued claims are given back; sooner, the one worker may take
    # the next queued call before shutdown reaches it (a race of this test, not of shutdown).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _released(workflow, posts) < 2:
        time.sleep(0.02)
    x.gate.set()
    stopper.join(timeout=15)
    runner.join(timeout=15)

    states = sorted(workflow.get(p.id).deliveries["x-main"].state.value for p in posts)
    assert len(x.jobs) == 1
    assert states == ["published", "scheduled", "scheduled"]


def _released(workflow, posts) -> int:
    return sum(
        workflow.get(p.id).deliveries["x-main"].state is DeliveryState.SCHEDULED for p in posts
    )


def test_a_delivery_held_back_by_our_own_pacing_spends_no_attempt_and_tells_no_one(
    approved, make_dispatcher, clock, workflow, notifier, x
):
    post = approved(channels=("x-main",))
    paced = Failed("transient", "Clearpost is pacing x-main.", retry_after=60, sent=False)
    x.results = [paced] * 7  # more than max_attempts: only real attempts may count
    dispatcher = make_dispatcher(max_attempts=3)
    told_before = len(thread(notifier, post.id))

    for minute in range(8):
        clock.set(DUE + timedelta(minutes=minute))
        dispatcher.dispatch_due()

    stored = workflow.get(post.id)
    assert len(x.jobs) == 8
    assert stored.state is State.PUBLISHED
    assert stored.deliveries["x-main"].attempts == 1
    assert all("pacing" not in reply for reply in thread(notifier, post.id)[told_before:])
