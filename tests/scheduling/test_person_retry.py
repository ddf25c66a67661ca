"""A person's Retry after the dispatcher gave up starts a fresh round of attempts."""

from __future__ import annotations

from bot.domain import DeliveryState
from bot.ports import Failed
from tests.scheduling.conftest import DUE, thread


def test_a_retry_after_giving_up_is_retried_with_backoff_again(
    approved, make_dispatcher, clock, workflow, notifier, officer, x
):
    post = approved(channels=("x-main",))
    dispatcher = make_dispatcher(max_attempts=2)
    x.results = [Failed("transient", "X is unavailable.")] * 3
    clock.set(DUE)
    dispatcher.dispatch_due()
    clock.set(workflow.get(post.id).deliveries["x-main"].next_attempt_at)
    dispatcher.dispatch_due()
    assert workflow.get(post.id).deliveries["x-main"].state is DeliveryState.FAILED

    workflow.retry_delivery(post.id, officer)
    dispatcher.dispatch_due()

    delivery = workflow.get(post.id).deliveries["x-main"]
    assert delivery.state is DeliveryState.SCHEDULED
    assert "Trying again at" in thread(notifier, post.id)[-1]
