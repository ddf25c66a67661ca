"""People in Microsoft Teams, as the Bot Framework delivers what they do to `clearpost serve`:
activities POSTed to /api/messages (unauthenticated mode), each carrying the connector stand-in
as its serviceUrl, so every card and reply the bot sends is recorded there. Card buttons are
pressed from the cards the bot actually posted."""

from __future__ import annotations

from typing import Any

import httpx

from tests.blackbox.serve import eventually
from tests.standins.bot_connector import BotConnectorStandIn, Call
from tests.support.teams_activities import CHANNEL, IN_THREAD, NURSE, OFFICER, Activities


def teams_env() -> dict[str, str]:
    return {"CLEARPOST_TEAMS_ENABLED": "1", "CLEARPOST_APPROVERS": "teams:aad-officer"}


class TeamsPeople:
    nurse = NURSE
    officer = OFFICER

    def __init__(self, serve_url: str, connector: BotConnectorStandIn) -> None:
        self.connector = connector
        self.http = httpx.Client(base_url=serve_url, timeout=15)
        self.acts = Activities(connector.url)

    def close(self) -> None:
        self.http.close()

    # -- activities --------------------------------------------------------------------------

    def message(self, who: dict[str, str], text: str) -> dict[str, Any]:
        return self.acts.message(who, text)

    def installed_in_channel(self) -> dict[str, Any]:
        return self.acts.installed_in_channel()

    def invoke(self, who: dict[str, str], name: str, value: Any) -> dict[str, Any]:
        """An invoke from the compliance channel's thread; `value=None` sends none."""
        return self.acts.invoke(who, name, value, **IN_THREAD)

    def press(self, who: dict[str, str], card_call: Call, verb: str) -> httpx.Response:
        """Press an Action.Execute button as this person sees the card. A shared card shows
        buttons per reader: Teams first sends its `refresh` action and shows what comes back."""
        action = find_action(card_call.card, verb)
        if action is None:
            refresh = find_action(card_call.card, "refresh")
            assert refresh is not None, f"no {verb} button and no refresh on the card"
            answer = self.execute(who, refresh)
            assert answer.status_code == 200, answer.text
            action = find_action(answer.json().get("value"), verb)
        assert action is not None, f"{who['name']} sees no {verb} button"
        return self.execute(who, action)

    def sees(self, who: dict[str, str], card_call: Call, verb: str) -> dict[str, Any] | None:
        """The button with this verb on the card as this person sees it, if any."""
        refresh = find_action(card_call.card, "refresh")
        if refresh is None:
            return find_action(card_call.card, verb)
        answer = self.execute(who, refresh)
        assert answer.status_code == 200, answer.text
        return find_action(answer.json().get("value"), verb)

    def execute(self, who: dict[str, str], action: dict[str, Any]) -> httpx.Response:
        return self.send(self.acts.execute(who, action["verb"], action["data"]))

    def send(self, activity: dict[str, Any]) -> httpx.Response:
        return self.http.post("/api/messages", json=activity)

    # -- reading -----------------------------------------------------------------------------

    def cards_in_channel(self) -> list[Call]:
        """New cards posted to the compliance channel (not updates, not thread replies)."""
        return self.connector.sent(
            lambda c: (
                c.method == "POST"
                and c.conversation == CHANNEL
                and c.activity_id is None
                and c.card is not None
            )
        )

    def wait_card(self, timeout: float = 20.0) -> Call:
        return eventually(lambda: self.cards_in_channel()[:1], timeout, "a proposal card")[0]

    def said_to(self, who: dict[str, str]) -> list[str]:
        conversation = f"a:personal-{who['id']}"
        calls = self.connector.sent(lambda c: c.conversation == conversation)
        return [c.text or c.card_text for c in calls]

    def wait_said_to(self, who: dict[str, str], needle: str, timeout: float = 20.0) -> str:
        def seen() -> str | None:
            return next((t for t in self.said_to(who) if needle in t), None)

        return eventually(seen, timeout, f"a message to {who['name']} with {needle!r}")

    def thread_texts(self) -> list[str]:
        """What the bot said in the compliance channel's threads (replies and updated cards)."""
        calls = self.connector.sent(lambda c: c.conversation.startswith(CHANNEL + ";"))
        return [c.text or c.card_text for c in calls]


def find_action(card: dict[str, Any] | None, verb: str) -> dict[str, Any] | None:
    """The Action.Execute with this verb anywhere in the card."""
    if isinstance(card, dict):
        if card.get("type") == "Action.Execute" and card.get("verb") == verb:
            return card
        children: Any = card.values()
    elif isinstance(card, list):
        children = card
    else:
        return None
    for child in children:
        found = find_action(child, verb)
        if found is not None:
            return found
    return None
