"""Shutdown when another dispatcher has already dealt with a claim this one still holds."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.domain import DeliveryState
from tests.scheduling.conftest import DUE


def test_shutdown_still_finishes_when_a_queued_claim_was_taken_over_meanwhile(
    approved, make_dispatcher, clock, workflow, x
):
    first, second = approved(channels=("x-main",)), approved(channels=("x-main",))
    x.gate = threading.Event()
    dispatcher = make_dispatcher(workers=1)
    clock.set(DUE)
    runner = threading.Thread(target=dispatcher.dispatch_due)
    runner.start()
    assert x.started.wait(timeout=10)  # the first call is in flight, the second one queued
    clock.set(DUE + timedelta(minutes=10))  # both leases run out
    make_dispatcher().sweep()  # another replica hands both to a person as "unknown"
    outcome: dict[str, object] = {}

    def stop() -> None:
        try:
            outcome["report"] = dispatcher.shutdown(timeout=10)
        except Exception as exc:  # what a person's `clearpost serve` would die of
            outcome["error"] = exc

    stopper = threading.Thread(target=stop)
    stopper.start()
    x.gate.set()
    stopper.join(timeout=15)
    runner.join(timeout=15)

    assert "error" not in outcome
    assert len(x.jobs) == 1  # the queued call was never made
    assert workflow.get(first.id).deliveries["x-main"].state is DeliveryState.PUBLISHED
    assert workflow.get(second.id).deliveries["x-main"].state is DeliveryState.UNKNOWN
