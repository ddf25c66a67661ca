"""Delivery outcomes reach the approval thread, and a person decides what happens next there."""

from __future__ import annotations

from contextlib import AbstractContextManager

from bot.dispatch import Dispatcher
from bot.domain import DeliveryState, State
from bot.ports import Failed, Published
from tests.fakes import FakePublisher
from tests.slack.harness import SlackWorkspace, dispatching


def dispatcher(slack: SlackWorkspace, x: FakePublisher) -> AbstractContextManager[Dispatcher]:
    """The real dispatcher, telling the workflow (and so Slack), with a scripted network."""
    return dispatching(slack, {"x-main": x})


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
        assert buttons_of(failure) == [
            "Retry x-main",
            "Mark as published x-main",
            "Cancel x-main",
        ]
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


def missed(slack: SlackWorkspace, d: Dispatcher) -> int:
    """An approved post whose time passed while Clearpost was down: the thread asks a person."""
    post_id = approved_and_due(slack)
    slack.clock.advance(hours=2)  # three hours late: past the 60-minute grace
    d.dispatch_due()
    assert slack.workflow.get(post_id).deliveries["x-main"].state is DeliveryState.MISSED
    return post_id


def delivery_notice(slack: SlackWorkspace, post_id: int, words: str) -> dict:
    thread = slack.workflow.get(post_id).thread
    return [
        c.params
        for c in slack.api.succeeded("chat.postMessage")
        if c.params.get("thread_ts") == thread.ts and words in c.params["text"]
    ][-1]


def reschedule_values(date: str | None, time_of_day: str | None) -> dict:
    return {
        "date": {"date": {"type": "datepicker", "selected_date": date}},
        "time": {"time": {"type": "timepicker", "selected_time": time_of_day}},
    }


def test_a_missed_delivery_offers_publish_now_reschedule_and_cancel(slack):
    with dispatcher(slack, FakePublisher()) as d:
        post_id = missed(slack, d)

    notice = delivery_notice(slack, post_id, "Not published on x-main")
    assert buttons_of(notice) == ["Publish now x-main", "Reschedule x-main", "Cancel x-main"]
    assert "Not published on x-main" in slack.api.direct_messages("U_NURSE")[-1]


def test_publish_now_sends_a_missed_delivery_at_once(slack):
    x = FakePublisher(results=[Published("191", "https://x.com/clinic/status/191")])
    with dispatcher(slack, x) as d:
        post_id = missed(slack, d)
        thread = slack.workflow.get(post_id).thread

        slack.click("U_OFFICER", "publish_now", post_id, value=f"{post_id}:x-main")

        assert slack.workflow.get(post_id).deliveries["x-main"].state is DeliveryState.SCHEDULED
        assert slack.api.thread_replies(thread.ts)[-1] == "olga asked to publish x-main now."
        d.dispatch_due()

    post = slack.workflow.get(post_id)
    assert post.state is State.PUBLISHED
    assert len(x.jobs) == 1
    assert "Published on x-main: https://x.com/clinic/status/191" in slack.api.thread_replies(
        thread.ts
    )


def test_publish_now_is_refused_to_anyone_but_an_approver_and_changes_nothing(slack):
    with dispatcher(slack, FakePublisher()) as d:
        post_id = missed(slack, d)

    for user in ("U_STRANGER", "U_NURSE"):
        slack.click(user, "publish_now", post_id, value=f"{post_id}:x-main")

        assert "Only compliance approvers can publish now on post" in slack.last_reply()
    assert slack.workflow.get(post_id).deliveries["x-main"].state is DeliveryState.MISSED


def test_a_double_click_on_publish_now_queues_one_delivery(slack):
    x = FakePublisher()
    with dispatcher(slack, x) as d:
        post_id = missed(slack, d)
        thread = slack.workflow.get(post_id).thread

        slack.click("U_OFFICER", "publish_now", post_id, value=f"{post_id}:x-main")
        slack.click("U_OFFICER2", "publish_now", post_id, value=f"{post_id}:x-main")
        d.dispatch_due()

    asked = [r for r in slack.api.thread_replies(thread.ts) if "publish x-main now" in r]
    assert asked == ["olga asked to publish x-main now."]
    assert (
        slack.last_reply()
        == f"Post #{post_id} is scheduled on x-main, so it cannot be published now."
    )
    assert len(x.jobs) == 1


def test_reschedule_opens_a_modal_and_the_new_time_is_when_it_goes_out(slack):
    x = FakePublisher(results=[Published("192", "https://x.com/clinic/status/192")])
    with dispatcher(slack, x) as d:
        post_id = missed(slack, d)
        thread = slack.workflow.get(post_id).thread

        slack.click("U_OFFICER", "reschedule_delivery", post_id, value=f"{post_id}:x-main")
        modal = slack.last_view()
        assert modal["callback_id"] == "reschedule_modal"
        assert f"Post #{post_id} on x-main" in str(modal["blocks"])

        slack.submit("U_OFFICER", modal, reschedule_values("2026-11-26", "16:00"))
        delivery = slack.workflow.get(post_id).deliveries["x-main"]
        assert delivery.state is DeliveryState.SCHEDULED
        assert slack.api.thread_replies(thread.ts)[-1].startswith(
            "olga rescheduled x-main for Thu 26 Nov"
        )

        d.dispatch_due()  # 12:00 in New York: not yet
        assert x.jobs == []
        slack.clock.advance(hours=4)  # 16:00 in New York
        d.dispatch_due()

    assert slack.workflow.get(post_id).state is State.PUBLISHED
    assert len(x.jobs) == 1


def test_reschedule_by_a_non_approver_shows_the_refusal_in_place_of_the_form(slack):
    with dispatcher(slack, FakePublisher()) as d:
        post_id = missed(slack, d)

    slack.click("U_NURSE", "reschedule_delivery", post_id, value=f"{post_id}:x-main")

    # The modal opens within the trigger's 3 seconds; the check follows and replaces it.
    replaced = slack.api.called("views.update")[-1].params["view"]
    assert "Only compliance approvers can reschedule" in str(replaced["blocks"])
    assert "submit" not in replaced
    assert slack.workflow.get(post_id).deliveries["x-main"].state is DeliveryState.MISSED


def test_a_rescheduled_time_in_the_past_or_missing_comes_back_on_the_modal(slack):
    with dispatcher(slack, FakePublisher()) as d:
        post_id = missed(slack, d)
    slack.click("U_OFFICER", "reschedule_delivery", post_id, value=f"{post_id}:x-main")
    modal = slack.last_view()

    past = slack.submit("U_OFFICER", modal, reschedule_values("2026-11-26", "08:00"))
    empty = slack.submit("U_OFFICER", modal, reschedule_values(None, "16:00"))

    assert past.json()["response_action"] == "errors"
    assert "past" in str(past.json()["errors"]).lower()
    assert empty.json()["errors"] == {"date": "Pick the new day and time."}
    assert slack.workflow.get(post_id).deliveries["x-main"].state is DeliveryState.MISSED


def test_mark_as_published_settles_an_unknown_outcome_without_sending_again(slack):
    x = FakePublisher(results=[Failed("unknown", "The connection dropped after sending.")])
    with dispatcher(slack, x) as d:
        post_id = approved_and_due(slack)
        d.dispatch_due()
        thread = slack.workflow.get(post_id).thread
        notice = delivery_notice(slack, post_id, "The connection dropped")
        assert buttons_of(notice) == ["Retry x-main", "Mark as published x-main", "Cancel x-main"]

        slack.click("U_OFFICER", "mark_published", post_id, value=f"{post_id}:x-main")
        d.dispatch_due()

    post = slack.workflow.get(post_id)
    assert post.state is State.PUBLISHED
    assert post.deliveries["x-main"].state is DeliveryState.PUBLISHED
    assert len(x.jobs) == 1
    assert slack.api.thread_replies(thread.ts)[-1] == "olga marked x-main as published."
    assert buttons_of(slack.api.succeeded("chat.update")[-1].params) == []


def test_mark_as_published_is_refused_to_the_proposer(slack):
    x = FakePublisher(results=[Failed("unknown", "The connection dropped after sending.")])
    with dispatcher(slack, x) as d:
        post_id = approved_and_due(slack)
        d.dispatch_due()

    slack.click("U_NURSE", "mark_published", post_id, value=f"{post_id}:x-main")

    assert "Only compliance approvers can mark as published on post" in slack.last_reply()
    assert slack.workflow.get(post_id).deliveries["x-main"].state is DeliveryState.UNKNOWN
