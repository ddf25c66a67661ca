"""People in Microsoft Teams, as the Bot Framework delivers what they do to `clearpost serve`:
activities POSTed to /api/messages (unauthenticated mode), each carrying the connector stand-in
as its serviceUrl, so every card and reply the bot sends is recorded there. Card buttons are
pressed from the cards the bot actually posted."""

from __future__ import annotations

import itertools
import time
from typing import Any

import httpx

from tests.blackbox.serve import eventually
from tests.standins.bot_connector import BotConnectorStandIn, Call

TENANT = "tenant-blackbox"
CHANNEL = "19:compliance@thread.tacv2"
TEAM = "19:team@thread.tacv2"
BOT = {"id": "28:clearpost-bot", "name": "Clearpost"}
NURSE = {"id": "29:nurse", "name": "Nora Nurse", "aadObjectId": "aad-nurse"}
OFFICER = {"id": "29:officer", "name": "Olga Officer", "aadObjectId": "aad-officer"}


def teams_env() -> dict[str, str]:
    return {"CLEARPOST_TEAMS_ENABLED": "1", "CLEARPOST_APPROVERS": "teams:aad-officer"}


class TeamsPeople:
    nurse = NURSE
    officer = OFFICER

    def __init__(self, serve_url: str, connector: BotConnectorStandIn) -> None:
        self.connector = connector
        self.http = httpx.Client(base_url=serve_url, timeout=15)
        self._ids = itertools.count(1)
        self._run = time.time_ns()

    def close(self) -> None:
        self.http.close()

    # -- activities --------------------------------------------------------------------------

    def _base(self, kind: str, who: dict[str, str], conversation: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": kind,
            "id": f"act-{self._run}-{next(self._ids)}",
            "timestamp": "2026-11-25T17:00:00.000Z",
            "channelId": "msteams",
            "serviceUrl": self.connector.url,
            "from": who,
            "recipient": BOT,
            "conversation": {"tenantId": TENANT, **conversation},
            "channelData": {"tenant": {"id": TENANT}},
        }

    def message(self, who: dict[str, str], text: str) -> dict[str, Any]:
        personal = {"id": f"a:personal-{who['id']}", "conversationType": "personal"}
        activity = self._base("message", who, personal)
        activity["text"] = text
        return activity

    def installed_in_channel(self) -> dict[str, Any]:
        channel = {"id": CHANNEL, "conversationType": "channel", "isGroup": True}
        activity = self._base("conversationUpdate", OFFICER, channel)
        activity["membersAdded"] = [BOT]
        activity["channelData"].update(
            eventType="teamMemberAdded", team={"id": TEAM}, channel={"id": CHANNEL}
        )
        return activity

    def invoke(self, who: dict[str, str], name: str, value: Any) -> dict[str, Any]:
        thread = {"id": f"{CHANNEL};messageid=root", "conversationType": "channel"}
        activity = self._base("invoke", who, thread)
        activity["name"] = name
        if value is not None:
            activity["value"] = value
        return activity

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
        value = {
            "action": {"type": "Action.Execute", "verb": action["verb"], "data": action["data"]}
        }
        return self.send(self.invoke(who, "adaptiveCard/action", value))

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
