"""The real APScheduler, briefly: an approval wakes the dispatcher at the post's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.commands import ProposeRequest
from bot.dispatch import Dispatcher
from bot.ports import SystemClock
from bot.scheduling import Scheduler
from storage.sqlmodel_deliveries import SqlDispatchUnitOfWorkFactory
from tests.conftest import ZONE, make_workflow
from tests.fakes import FakeNotifier, FakePublisher


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
