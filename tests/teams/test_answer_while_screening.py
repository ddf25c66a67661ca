"""A Teams answer never waits on screening: with the screener held, a `propose` message is
answered (202) and a propose or edit dialog's submit gets its answer within seconds, well inside
the five seconds Teams gives an invoke; nothing is lost: once screening is released the approval
card is posted (or updated) with its findings and the proposer hears the confirmation."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from bot.ports import PostQuery
from tests.conftest import NOW
from tests.fakes import FixedClock
from tests.standins.bot_connector import BotConnectorStandIn
from tests.support.held_screener import HeldScreener
from tests.teams.harness import CHANNEL, NURSE, ServedTeams, served_teams
from tests.teams.test_dialogs_and_threads import filled, form_of

ANSWER_SECONDS = 3.0  # what the tests allow; Teams' own limit for an invoke is 5 seconds
NAMED = "Congrats to our patient Thiago on his new hip!"


@pytest.fixture
def held() -> HeldScreener:
    return HeldScreener()


@pytest.fixture
def teams(tmp_path, monkeypatch, connector, held) -> Iterator[ServedTeams]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    try:
        with served_teams(tmp_path, clock=FixedClock(NOW), screener=held) as served:
            yield served
    finally:
        held.release()  # never leave a worker waiting, whatever failed


def approval_cards(connector: BotConnectorStandIn) -> list[str]:
    return [c.card_text for c in connector.sent(lambda c: c.conversation == CHANNEL) if c.card]


def told_the_proposer(connector: BotConnectorStandIn, words: str) -> bool:
    """Something the bot sent outside the approval channel says `words` (a reply or a card)."""
    return any(
        words in str(c.body)
        for c in connector.sent(lambda c: not c.conversation.startswith(CHANNEL))
    )


@dataclass
class WhileHeld:
    answer: httpx.Response
    waited: float  # seconds until Teams had its answer
    was_held: bool  # screening had started and was still held when we looked
    cards: list[str]  # approval cards posted meanwhile
    revisions: list[int]  # each post's current revision number meanwhile


def send_while_held(teams, connector, held, activity: dict[str, Any]) -> WhileHeld:  # type: ignore[no-untyped-def]
    """Send one activity with screening held and time its answer; look at what exists while
    screening is still held, then release it and wait until the bot is done."""
    started = time.monotonic()
    answer = teams.http.post(teams.url, json=activity)
    waited = time.monotonic() - started
    was_held = held.started.wait(10) and held.finished == 0
    cards = approval_cards(connector)
    revisions = [p.revision.number for p in teams.core.workflow.posts(PostQuery())]
    held.release()
    teams.settle()
    return WhileHeld(answer, waited, was_held, cards, revisions)


def assert_dialog_answered_at_once(sent: WhileHeld) -> None:
    assert sent.answer.status_code == 200
    assert sent.waited < ANSWER_SECONDS, f"Teams waited {sent.waited:.2f}s for the answer"
    said = sent.answer.json()["task"]
    assert said["type"] == "message" and "being screened" in said["value"]


def test_a_propose_message_is_answered_while_screening_is_held(teams, connector, acts, held):
    teams.post(acts.installed_in_channel())

    sent = send_while_held(
        teams, connector, held, acts.message(NURSE, f"propose x-main tomorrow 9am {NAMED}")
    )

    assert sent.answer.status_code == 202
    assert sent.waited < ANSWER_SECONDS, f"Teams waited {sent.waited:.2f}s for the answer"
    assert sent.was_held and sent.cards == [] and sent.revisions == []
    [card] = approval_cards(connector)
    assert "Possible PHI (high)" in card and "looks like a person's name" in card
    assert told_the_proposer(connector, "Proposed post #1")


def test_a_propose_dialog_submit_is_answered_while_screening_is_held(teams, connector, acts, held):
    teams.post(acts.installed_in_channel())
    form = form_of(teams.post(acts.invoke(NURSE, "task/fetch", {"data": {}})))
    data = filled(form, channels="x-main", date="2026-11-27", time="10:30", text=NAMED)

    sent = send_while_held(
        teams, connector, held, acts.invoke(NURSE, "task/submit", {"data": data})
    )

    assert_dialog_answered_at_once(sent)
    assert sent.was_held and sent.cards == [] and sent.revisions == []
    [card] = approval_cards(connector)
    assert "Possible PHI (high)" in card and "looks like a person's name" in card
    assert told_the_proposer(connector, "Proposed post #1")


def test_propose_as_post_is_answered_while_screening_is_held(teams, connector, acts, held):
    teams.post(acts.installed_in_channel())
    payload = {"body": {"contentType": "html", "content": f"<p>{NAMED}</p>"}}
    value = {"commandId": "proposeAsPost", "commandContext": "message", "messagePayload": payload}
    form = form_of(teams.post(acts.invoke(NURSE, "composeExtension/fetchTask", value)))
    data = filled(form, channels="x-main", date="2026-11-27", time="08:00")

    sent = send_while_held(
        teams,
        connector,
        held,
        acts.invoke(NURSE, "composeExtension/submitAction", {**value, "data": data}),
    )

    assert_dialog_answered_at_once(sent)
    assert sent.was_held and sent.cards == [] and sent.revisions == []
    [card] = approval_cards(connector)
    assert "looks like a person's name" in card
    assert told_the_proposer(connector, "Proposed post #1")


def test_an_edit_dialog_submit_is_answered_while_screening_is_held(teams, connector, acts, held):
    teams.post(acts.installed_in_channel())
    held.release()
    teams.post(acts.message(NURSE, "propose x-main tomorrow 9am Flu shots are in!"))
    opened = teams.post(
        acts.invoke(NURSE, "task/fetch", {"data": {"clearpost": "edit_form", "post_id": 1}})
    )
    data = filled(form_of(opened), text=f"Flu shots are in! {NAMED}")
    held.hold()

    sent = send_while_held(
        teams, connector, held, acts.invoke(NURSE, "task/submit", {"data": data})
    )

    assert_dialog_answered_at_once(sent)
    assert sent.was_held and sent.revisions == [1]
    post = teams.core.workflow.get(1)
    assert post.revision.number == 2
    assert any("looks like a person's name" in p for p in post.revision.problems)
    assert told_the_proposer(connector, "Revision 2 of post #1")
