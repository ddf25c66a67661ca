"""A Teams answer never waits on screening: with the screener held, a `propose` message is
answered (202) and a propose dialog's submit gets its answer within seconds, well inside the
five seconds Teams gives an invoke; the proposal is not lost: once screening is released the
approval card is posted with its findings and the proposer hears the confirmation."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

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


def timed_post(teams: ServedTeams, activity: dict[str, Any]) -> tuple[Any, float]:
    started = time.monotonic()
    answer = teams.http.post(teams.url, json=activity)
    return answer, time.monotonic() - started


def test_a_propose_message_is_answered_while_screening_is_held(teams, connector, acts, held):
    teams.post(acts.installed_in_channel())

    answer, waited = timed_post(teams, acts.message(NURSE, f"propose x-main tomorrow 9am {NAMED}"))
    held_meanwhile = held.started.wait(10) and held.finished == 0
    cards_meanwhile = approval_cards(connector)
    held.release()
    teams.settle()

    assert answer.status_code == 202
    assert waited < ANSWER_SECONDS, f"Teams waited {waited:.2f}s for the answer"
    assert held_meanwhile and cards_meanwhile == []
    [card] = approval_cards(connector)
    assert "Possible PHI (high)" in card and "looks like a person's name" in card
    assert told_the_proposer(connector, "Proposed post #1")


def test_a_propose_dialog_submit_is_answered_while_screening_is_held(teams, connector, acts, held):
    teams.post(acts.installed_in_channel())
    form = form_of(teams.post(acts.invoke(NURSE, "task/fetch", {"data": {}})))
    data = filled(form, channels="x-main", date="2026-11-27", time="10:30", text=NAMED)

    answer, waited = timed_post(teams, acts.invoke(NURSE, "task/submit", {"data": data}))
    held_meanwhile = held.started.wait(10) and held.finished == 0
    cards_meanwhile = approval_cards(connector)
    held.release()
    teams.settle()

    assert answer.status_code == 200
    assert waited < ANSWER_SECONDS, f"Teams waited {waited:.2f}s for the dialog's answer"
    said = answer.json()["task"]
    assert said["type"] == "message" and "being screened" in said["value"]
    assert held_meanwhile and cards_meanwhile == []
    [card] = approval_cards(connector)
    assert "Possible PHI (high)" in card and "looks like a person's name" in card
    assert told_the_proposer(connector, "Proposed post #1")
