"""Every action the thread talks about exists in Slack: Withdraw for the proposer, Stop this
post for approvers, Show full post with its pages, and per-channel delivery buttons whose ids
Slack accepts."""

from __future__ import annotations

from datetime import timedelta

from bot.commands import ProposeRequest
from bot.domain import DeliveryState, Person, State
from bot.ports import Failed
from tests.conftest import NOW
from tests.fakes import FakePublisher
from tests.slack.harness import APPROVALS, SlackWorkspace, reason_values
from tests.slack.test_deliveries import approved_and_due, dispatcher
from tests.support import slack_requests, worst_case


def parent_action_ids(slack: SlackWorkspace) -> list[str]:
    parent = slack.api.succeeded("chat.update") or slack.api.succeeded("chat.postMessage")
    params = [c.params for c in parent if c.params.get("channel") == APPROVALS][-1]
    return [
        e["action_id"] for b in params["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]


def test_the_proposer_withdraws_from_the_thread_and_the_buttons_go(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    assert "withdraw" in parent_action_ids(slack)

    slack.click("U_NURSE", "withdraw", post_id)

    post = slack.workflow.get(post_id)
    assert post.state is State.WITHDRAWN
    assert parent_action_ids(slack) == []
    assert "Withdrawn by nora" in slack.api.thread_replies(post.thread.ts)[-1]


def test_only_the_proposer_can_withdraw(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")

    slack.click("U_OFFICER", "withdraw", post_id)

    assert slack.last_reply() == "Only nora, who proposed post #1, can withdraw it."
    assert slack.workflow.get(post_id).state is State.IN_REVIEW


def test_an_approver_stops_an_approved_post_on_every_channel_from_the_thread(slack):
    post_id = slack.propose("U_NURSE", "x,facebook-clinic,blog tomorrow 9am Flu shots are in!")
    assert "stop_post" not in parent_action_ids(slack)  # in review: withdraw, not stop
    slack.click("U_OFFICER", "approve", post_id)
    assert "stop_post" in parent_action_ids(slack)

    slack.click("U_OFFICER2", "stop_post", post_id)

    post = slack.workflow.get(post_id)
    assert post.state is State.WITHDRAWN
    assert {d.state for d in post.deliveries.values()} == {DeliveryState.CANCELLED}
    cancelled = [e for e in slack.workflow.audit_trail(post_id) if e.action == "delivery_cancelled"]
    assert len(cancelled) == 3 and {e.actor.user_id for e in cancelled} == {"U_OFFICER2"}
    assert "will not be published" in slack.api.thread_replies(post.thread.ts)[-1]


def test_stop_is_not_offered_once_a_channel_has_gone_out(slack):
    post_id = approved_and_due(slack)
    with dispatcher(slack, FakePublisher(results=[Failed("permanent", "X refused.")])) as d:
        d.dispatch_due()

    assert slack.workflow.get(post_id).state is State.FAILED
    assert "stop_post" not in parent_action_ids(slack)


def test_a_failed_channel_button_with_its_channel_in_the_action_id_reaches_its_listener(slack):
    post_id = approved_and_due(slack)
    with dispatcher(slack, FakePublisher(results=[Failed("permanent", "X refused.")])) as d:
        d.dispatch_due()
        rendered = [a for a in parent_action_ids(slack) if a.startswith("cancel_delivery")]
        assert rendered == ["cancel_delivery:x-main"]

        slack.click("U_OFFICER", rendered[0], post_id, value=f"{post_id}:x-main")

    assert slack.workflow.get(post_id).deliveries["x-main"].state is DeliveryState.CANCELLED


def test_show_full_post_opens_the_whole_text_a_page_at_a_time(slack):
    text = worst_case.TEXT_60000
    request = ProposeRequest(channels=("x-main",), when=NOW + timedelta(days=2), text=text)
    post = slack.workflow.propose(request, by=Person("slack", "U_NURSE", "nora"))
    assert "show_full_post" in parent_action_ids(slack)

    slack.click("U_OFFICER", "show_full_post", post.id)
    pages = [slack.last_view()]
    for _ in range(40):  # a bounded walk through the pages
        nav = [e for b in pages[-1]["blocks"] if b["type"] == "actions" for e in b["elements"]]
        following = [e for e in nav if e["action_id"] == "full_post_next"]
        if not following:
            break
        payload = slack_requests.block_actions(
            slack_requests.slack_user("U_OFFICER", "olga"),
            {**following[0], "block_id": "nav"},
            channel=APPROVALS,
            message_ts="0",
            trigger_id=slack.next_id("trigger."),
            response_url=slack.api.response_url(slack.next_id("act")),
            action_ts="1764000000.000002",
        )
        # A button inside a modal: Slack names the view, not a message or a response_url.
        for key in ("channel", "message", "response_url"):
            payload.pop(key)
        payload["container"] = {"type": "view", "view_id": "V_FULL"}
        payload["view"] = {"id": "V_FULL", "hash": "h1", "type": "modal"}
        slack.interaction(payload)
        pages.append(slack.api.called("views.update")[-1].params["view"])

    sections = [
        b["text"]["text"].split(":\n", 1)[1]
        for page in pages
        for b in page["blocks"]
        if b["type"] == "section"
    ]
    whole = "".join(sections)
    stored = slack.workflow.get(post.id)
    assert whole.startswith(stored.content.text)  # every character, in order
    assert all(problem in whole for problem in stored.revision.problems)
    assert len(pages) > 1


def test_a_4000_character_reason_reaches_the_thread_and_the_proposer_within_slacks_limits(slack):
    post_id = slack.propose("U_NURSE", "x tomorrow 9am Flu shots are in!")
    slack.click("U_OFFICER", "reject", post_id)
    reason = worst_case.long_text(4_000)

    slack.submit("U_OFFICER", slack.last_view(), reason_values(reason))

    assert slack.workflow.get(post_id).state is State.REJECTED
    said = [
        c.params["text"]
        for c in slack.api.succeeded("chat.postMessage")
        if "Rejected" in c.params.get("text", "")
    ]
    assert said and all(len(text) <= 4_000 for text in said)
    assert all("more characters" in text for text in said)
    # The stand-in refused nothing (checked on leaving the workspace), and the trail is whole.
    assert any(e.reason and len(e.reason) >= 3_900 for e in slack.workflow.audit_trail(post_id))
