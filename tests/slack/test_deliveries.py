"""Delivery outcomes reach the approval thread, and a person decides what happens next there."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.dispatch import Dispatcher
from bot.domain import DeliveryState, State
from bot.ports import Failed, Published
from storage.sqlmodel_deliveries import SqlDispatchUnitOfWorkFactory
from tests.fakes import FakePublisher
from tests.slack.harness import SlackWorkspace


@contextmanager
def dispatcher(slack: SlackWorkspace, x: FakePublisher) -> Iterator[Dispatcher]:
    """The real dispatcher, telling the workflow (and so Slack), with a scripted network."""
    found = Dispatcher(
        uow=SqlDispatchUnitOfWorkFactory(slack.core.engine),
        publishers={"x-main": x},
        clock=slack.clock,
        tell=slack.workflow.tell,
        zone=slack.workflow.zone,
    )
    try:
        yield found
    finally:
        found.shutdown(timeout=10)


def approved_and_due(slack: SlackWorkspace) -> int:
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    slack.click("U_OFFICER", "approve", post_id)
    slack.clock.advance(hours=22)  # past Thu 09:00 EST
    return post_id


def buttons_of(params: dict) -> list[str]:
    return [
        e["text"]["text"]
        for b in params.get("blocks", [])
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def test_a_published_post_shows_its_link_in_the_thread_and_on_the_parent(slack):
    post_id = approved_and_due(slack)
    x = FakePublisher(results=[Published("190", "https://x.com/clinic/status/190")])

    with dispatcher(slack, x) as d:
        d.dispatch_due()

    post = slack.workflow.get(post_id)
    assert post.state is State.PUBLISHED
    replies = slack.api.thread_replies(post.thread.ts)
    assert "Published on x-main: https://x.com/clinic/status/190" in replies
    parent = slack.api.succeeded("chat.update")[-1].params
    assert "https://x.com/clinic/status/190" in str(parent["blocks"])
    assert buttons_of(parent) == []


def test_a_failure_offers_retry_and_cancel_and_retry_sends_it_again(slack):
    post_id = approved_and_due(slack)
    x = FakePublisher(results=[Failed("permanent", "X refused the token.")])

    with dispatcher(slack, x) as d:
        d.dispatch_due()
        thread = slack.workflow.get(post_id).thread
        failure = [
            c.params
            for c in slack.api.succeeded("chat.postMessage")
            if c.params.get("thread_ts") == thread.ts and "Could not publish" in c.params["text"]
        ][-1]
        assert buttons_of(failure) == ["Retry x-main", "Cancel x-main"]
        assert "X refused the token." in slack.api.direct_messages("U_NURSE")[-1]

        slack.click("U_STRANGER", "retry_delivery", post_id, value=f"{post_id}:x-main")
        assert "Only compliance approvers" in slack.last_reply()

        slack.click("U_OFFICER", "retry_delivery", post_id, value=f"{post_id}:x-main")
        assert slack.workflow.get(post_id).deliveries["x-main"].state is DeliveryState.SCHEDULED
        assert slack.api.thread_replies(thread.ts)[-1] == "olga asked to retry x-main."

        d.dispatch_due()

    assert slack.workflow.get(post_id).state is State.PUBLISHED


def test_cancelling_a_failed_channel_settles_the_post(slack):
    post_id = approved_and_due(slack)
    x = FakePublisher(results=[Failed("permanent", "X refused the token.")])
    with dispatcher(slack, x) as d:
        d.dispatch_due()

    slack.click("U_OFFICER", "cancel_delivery", post_id, value=f"{post_id}:x-main")

    post = slack.workflow.get(post_id)
    assert post.deliveries["x-main"].state is DeliveryState.CANCELLED
    assert "olga cancelled x-main." in slack.api.thread_replies(post.thread.ts)
