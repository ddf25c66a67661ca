"""The real APScheduler, briefly: an approval wakes the dispatcher at the post's time."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from adapters.scheduling import Scheduler
from bot.commands import ProposeRequest
from bot.dispatch import Dispatcher
from bot.ports import SystemClock
from storage.sqlmodel_deliveries import SqlDispatchUnitOfWorkFactory
from tests.conftest import NOW, ZONE, make_workflow
from tests.fakes import FakeNotifier, FakePublisher, FixedClock


def test_an_approved_post_is_published_by_the_running_scheduler_at_its_time(engine, nurse, officer):
    notifier = FakeNotifier()
    workflow = make_workflow(engine, SystemClock(), notifier)  # type: ignore[arg-type]
    x = FakePublisher("x")
    dispatcher = Dispatcher(
        SqlDispatchUnitOfWorkFactory(engine), {"x-main": x}, SystemClock(), workflow.tell, ZONE
    )
    scheduler = Scheduler(dispatcher, sweep_every=timedelta(minutes=10))
    workflow.observers.append(scheduler.on_notice)
    scheduler.start()
    try:
        due = datetime.now(UTC) + timedelta(seconds=1.5)
        post = workflow.propose(ProposeRequest(("x-main",), due, "Flu shots"), by=nurse)
        workflow.approve(post.id, officer)

        assert x.started.wait(timeout=15), "the wake-up never came"
    finally:
        scheduler.shutdown(timeout=10)

    assert len(x.calls_for(post.id)) == 1
    assert x.called_at[0] >= due
    assert any(t.startswith("Published on x-main") for t in notifier.thread_replies(post.id))


def test_a_scheduler_that_starts_after_downtime_catches_up_with_its_first_sweep(
    engine, nurse, officer
):
    notifier = FakeNotifier()
    workflow = make_workflow(engine, SystemClock(), notifier)  # type: ignore[arg-type]
    x = FakePublisher("x")
    due = datetime.now(UTC) + timedelta(seconds=0.5)
    post = workflow.propose(ProposeRequest(("x-main",), due, "Flu shots"), by=nurse)
    workflow.approve(post.id, officer)  # approved while no scheduler was running
    dispatcher = Dispatcher(
        SqlDispatchUnitOfWorkFactory(engine), {"x-main": x}, SystemClock(), workflow.tell, ZONE
    )
    scheduler = Scheduler(dispatcher, sweep_every=timedelta(seconds=1))

    scheduler.start()
    try:
        assert x.started.wait(timeout=15), "the sweep never published the due post"
    finally:
        scheduler.shutdown(timeout=10)

    assert len(x.calls_for(post.id)) == 1


def test_a_wake_up_on_a_test_clock_waits_as_long_as_that_clock_says(engine, nurse, officer):
    """A test clock days behind the wall clock: the wake-up for a post due in 30 minutes on it
    is planned 30 minutes from now, not at once (which raced tests' own dispatchers)."""
    clock = FixedClock(NOW)
    workflow = make_workflow(engine, clock, FakeNotifier())
    x = FakePublisher("x")
    dispatcher = Dispatcher(
        SqlDispatchUnitOfWorkFactory(engine), {"x-main": x}, clock, workflow.tell, ZONE
    )
    scheduler = Scheduler(dispatcher, sweep_every=timedelta(hours=1))
    workflow.observers.append(scheduler.on_notice)
    scheduler.start(first_sweep_in=timedelta(hours=1))
    try:
        post = workflow.propose(
            ProposeRequest(("x-main",), NOW + timedelta(minutes=30), "Flu shots"), by=nurse
        )
        before = datetime.now(UTC)
        workflow.approve(post.id, officer)
        [planned] = scheduler.planned_wake_ups()
    finally:
        scheduler.shutdown(timeout=10)

    assert before + timedelta(minutes=29) < planned < datetime.now(UTC) + timedelta(minutes=31)
    assert x.jobs == []


def test_a_post_approved_while_a_wake_up_waits_on_the_network_is_not_left_for_the_sweep(
    engine, nurse, officer
):
    clock = FixedClock(NOW)
    workflow = make_workflow(engine, clock, FakeNotifier())
    x = FakePublisher("x")
    x.gate = threading.Event()  # the first call is held in flight
    dispatcher = Dispatcher(
        SqlDispatchUnitOfWorkFactory(engine), {"x-main": x}, clock, workflow.tell, ZONE
    )
    scheduler = Scheduler(dispatcher, sweep_every=timedelta(hours=1))  # no sweep to the rescue
    workflow.observers.append(scheduler.on_notice)
    scheduler.start(first_sweep_in=timedelta(hours=1))
    try:
        first = workflow.propose(ProposeRequest(("x-main",), NOW, "Flu shots"), by=nurse)
        workflow.approve(first.id, officer)
        assert x.started.wait(timeout=15), "the first wake-up never came"
        second = workflow.propose(ProposeRequest(("x-main",), NOW, "Flu shots, again"), by=nurse)
        workflow.approve(second.id, officer)  # same due moment: the same wake-up job id
        x.gate.set()

        deadline = time.monotonic() + 15
        while not x.calls_for(second.id) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        x.gate.set()
        scheduler.shutdown(timeout=10)

    assert len(x.calls_for(first.id)) == 1
    assert len(x.calls_for(second.id)) == 1, "the second post waited for the next sweep"
