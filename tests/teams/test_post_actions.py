"""After approval, in Teams: the thread's delivery notices carry Retry / Publish now / Reschedule /
Mark as published / Cancel for their channel, pressed through the real bot (adaptiveCard/action);
the proposer can withdraw and an approver can stop an approved post before it goes out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.dispatch import Dispatcher
from bot.domain import DeliveryState, State
from bot.ports import Failed, Published
from storage.sqlmodel_deliveries import SqlDispatchUnitOfWorkFactory
from tests.fakes import FakePublisher
from tests.teams.harness import CHANNEL, NURSE, OFFICER, STRANGER

ONE_CHANNEL = "propose x-main tomorrow 9am Flu shots are in! Walk-ins welcome."


@contextmanager
def dispatcher(teams, clock, x: FakePublisher) -> Iterator[Dispatcher]:  # type: ignore[no-untyped-def]
    """The real dispatcher, telling the workflow (and so Teams), with a scripted network."""
    found = Dispatcher(
        uow=SqlDispatchUnitOfWorkFactory(teams.core.engine),
        publishers={"x-main": x},
        clock=clock,
        tell=teams.core.workflow.tell,
        zone=teams.core.workflow.zone,
    )
    try:
        yield found
    finally:
        found.shutdown(timeout=10)


def approved(teams, acts, text: str = ONE_CHANNEL):  # type: ignore[no-untyped-def]
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(NURSE, text))
    post = teams.core.workflow.get(1)
    teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    return teams.core.workflow.get(1)


def thread_cards(connector, post) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    where = f"{CHANNEL};messageid={post.thread.ts}"
    return [c.card for c in connector.sent(lambda c: c.conversation == where) if c.card]


def titles(card: dict[str, Any]) -> list[str]:
    return [a["title"] for a in card.get("actions", [])]


def press(teams, acts, who, card: dict[str, Any], title: str, **inputs: str):  # type: ignore[no-untyped-def]
    """Press a button on a card as Teams would: an Action.Execute directly, or the one inside
    the card an Action.ShowCard opens (with the inputs typed there)."""
    action = next(a for a in card["actions"] if a["title"] == title)
    if action["type"] == "Action.ShowCard":
        action = next(a for a in action["card"]["actions"] if a["type"] == "Action.Execute")
    answer = teams.post(acts.execute(who, action["verb"], {**action["data"], **inputs}))
    teams.settle()
    assert answer.status_code == 200
    return answer.json()["value"]


def test_a_failed_delivery_offers_its_buttons_and_retry_sends_it_again(
    teams, connector, acts, teams_clock
):
    post = approved(teams, acts)
    teams_clock.advance(hours=22)
    x = FakePublisher(results=[Failed("permanent", "X refused the token."), Published("7", "u")])

    with dispatcher(teams, teams_clock, x) as d:
        d.dispatch_due()
        teams.settle()
        notice = thread_cards(connector, post)[-1]
        shown = press(teams, acts, OFFICER, notice, "Retry x-main")
        d.dispatch_due()
        teams.settle()

    assert "Could not publish on x-main" in str(notice["body"])
    assert titles(notice) == ["Retry x-main", "Mark as published x-main", "Cancel x-main"]
    assert "Olga Officer asked to retry x-main" in str(shown)
    after = teams.core.workflow.get(post.id)
    assert after.state is State.PUBLISHED
    retried = [
        e for e in teams.core.workflow.audit_trail(post.id) if e.action == "delivery_retried"
    ]
    assert [(e.channel, e.actor.display) for e in retried] == [("x-main", "Olga Officer")]


def test_a_stranger_pressing_retry_is_told_why_and_nothing_moves(
    teams, connector, acts, teams_clock
):
    post = approved(teams, acts)
    teams_clock.advance(hours=22)

    with dispatcher(teams, teams_clock, FakePublisher(results=[Failed("permanent", "No.")])) as d:
        d.dispatch_due()
        teams.settle()
        shown = press(teams, acts, STRANGER, thread_cards(connector, post)[-1], "Retry x-main")

    assert "Only compliance approvers can retry" in str(shown)
    assert titles(shown) == []  # redrawn for them: nothing they may press
    assert teams.core.workflow.get(post.id).deliveries["x-main"].state is DeliveryState.FAILED


def test_the_proposer_is_told_in_a_personal_chat_and_offered_only_cancel(
    teams, connector, acts, teams_clock
):
    approved(teams, acts)
    teams_clock.advance(hours=22)

    with dispatcher(teams, teams_clock, FakePublisher(results=[Failed("permanent", "No.")])) as d:
        d.dispatch_due()
        teams.settle()
    dm = connector.sent(lambda c: c.conversation == f"a:personal-{NURSE['id']}" and c.card)[-1]
    refresh = dm.card["refresh"]["action"]
    mine = teams.post(acts.execute(NURSE, refresh["verb"], refresh["data"])).json()["value"]

    assert "Post #1: Could not publish on x-main" in dm.card_text
    assert titles(mine) == ["Cancel x-main"]


def test_a_missed_delivery_is_rescheduled_with_the_time_typed_on_the_card(
    teams, connector, acts, teams_clock
):
    post = approved(teams, acts)
    teams_clock.advance(hours=24)  # three hours late: past the grace, so a person decides

    with dispatcher(teams, teams_clock, FakePublisher()) as d:
        d.dispatch_due()
        teams.settle()
        notice = thread_cards(connector, post)[-1]
        empty = press(teams, acts, OFFICER, notice, "Reschedule x-main")
        shown = press(
            teams, acts, OFFICER, notice, "Reschedule x-main", date="2026-11-27", time="16:00"
        )

    assert titles(notice) == ["Publish now x-main", "Reschedule x-main", "Cancel x-main"]
    assert "Pick the new day and time." in str(empty)
    assert "Olga Officer rescheduled x-main for Fri 27 Nov 2026 16:00 EST" in str(shown)
    delivery = teams.core.workflow.get(post.id).deliveries["x-main"]
    assert delivery.state is DeliveryState.SCHEDULED


def test_an_unknown_outcome_can_be_marked_as_published(teams, connector, acts, teams_clock):
    post = approved(teams, acts)
    teams_clock.advance(hours=22)
    unknown = FakePublisher(results=[Failed("unknown", "The connection dropped.")])

    with dispatcher(teams, teams_clock, unknown) as d:
        d.dispatch_due()
        teams.settle()
        notice = thread_cards(connector, post)[-1]
        shown = press(teams, acts, OFFICER, notice, "Mark as published x-main")

    assert "press Retry if it is not there, or Mark as published" in str(notice["body"])
    assert "Olga Officer marked x-main as published." in str(shown)
    assert teams.core.workflow.get(post.id).state is State.PUBLISHED


def test_cancel_asks_first_and_calls_the_channel_off(teams, connector, acts, teams_clock):
    post = approved(teams, acts)
    teams_clock.advance(hours=22)

    with dispatcher(teams, teams_clock, FakePublisher(results=[Failed("permanent", "No.")])) as d:
        d.dispatch_due()
        teams.settle()
        notice = thread_cards(connector, post)[-1]
        shown = press(teams, acts, OFFICER, notice, "Cancel x-main")

    cancel = next(a for a in notice["actions"] if a["title"] == "Cancel x-main")
    assert cancel["type"] == "Action.ShowCard"
    assert "It will not be published there." in str(cancel["card"]["body"])
    assert "Olga Officer cancelled x-main" in str(shown)
    assert teams.core.workflow.get(post.id).deliveries["x-main"].state is DeliveryState.CANCELLED


def test_the_proposer_withdraws_from_the_approval_card(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(NURSE, ONE_CHANNEL))

    view = teams.post(acts.refresh(NURSE, 1)).json()["value"]
    shown = press(teams, acts, NURSE, view, "Withdraw", withdraw_reason="Wrong week")

    post = teams.core.workflow.get(1)
    assert post.state is State.WITHDRAWN
    assert "Withdrawn by Nora Nurse" in str(shown)
    assert teams.core.workflow.audit_trail(1)[-1].reason == "Wrong week"
    assert "Withdraw" not in titles(teams.post(acts.refresh(OFFICER, 1)).json()["value"])


def test_an_approver_stops_an_approved_post_before_it_goes_out(teams, connector, acts):
    post = approved(teams, acts, "propose x-main,facebook-clinic tomorrow 9am Flu shots!")

    view = teams.post(acts.refresh(OFFICER, post.id)).json()["value"]
    shown = press(teams, acts, OFFICER, view, "Stop this post")

    stopped = teams.core.workflow.get(post.id)
    assert stopped.state is State.WITHDRAWN
    assert {d.state for d in stopped.deliveries.values()} == {DeliveryState.CANCELLED}
    cancelled = [e.channel for e in teams.core.workflow.audit_trail(post.id) if e.channel]
    assert sorted(cancelled) == ["facebook-clinic", "x-main"]
    assert "Olga Officer stopped the post" in str(shown)
    assert "Stop this post" not in titles(shown)


def test_stop_is_offered_to_approvers_only_while_nothing_has_gone_out(teams, connector, acts):
    post = approved(teams, acts)

    nurse_view = teams.post(acts.refresh(STRANGER, post.id)).json()["value"]
    officer_view = teams.post(acts.refresh(OFFICER, post.id)).json()["value"]

    assert "Stop this post" in titles(officer_view)
    assert "Stop this post" not in titles(nurse_view)


def test_the_edit_dialog_is_refused_on_a_published_post(teams, connector, acts, teams_clock):
    post = approved(teams, acts)
    teams_clock.advance(hours=22)
    with dispatcher(teams, teams_clock, FakePublisher(results=[Published("7", "u")])) as d:
        d.dispatch_due()
    assert teams.core.workflow.get(post.id).state is State.PUBLISHED

    answer = teams.post(
        acts.invoke(NURSE, "task/fetch", {"data": {"clearpost": "edit_form", "post_id": post.id}})
    )

    assert answer.json()["task"] == {
        "type": "message",
        "value": f"Post #{post.id} is published, so it cannot be edited.",
    }


def test_people_are_named_on_cards_and_in_the_audit_trail_when_an_invoke_omits_the_name(
    teams, connector, acts
):
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(NURSE, ONE_CHANNEL))
    teams.post(acts.message(OFFICER, "help"))  # Teams gives the name here
    post = teams.core.workflow.get(1)
    nameless = {k: v for k, v in OFFICER.items() if k != "name"}

    answer = teams.post(acts.card_action(nameless, "approve", post.id, post.revision.hash))
    teams.settle()

    assert "Olga Officer approved revision 1." in str(answer.json()["value"])
    assert teams.core.workflow.audit_trail(post.id)[-1].actor.display == "Olga Officer"
    where = f"{CHANNEL};messageid={post.thread.ts}"
    assert connector.sent(lambda c: c.conversation == where)[-1].text.startswith(
        "Approved by Olga Officer."
    )
