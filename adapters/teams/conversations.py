"""Where Clearpost can reach people in Teams, kept in the key-value store across restarts.

The bot can only post proactively into a conversation it has seen: the compliance channel (seen
on install or on the first message there) and each person's personal chat (seen when they write
to the bot, or created from their account id, which any activity from them shows).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot.ports import KeyValueStore

log = logging.getLogger(__name__)

APPROVAL_CHANNEL_KEY = "teams:approval-channel"


def base_conversation(conversation_id: str) -> str:
    """A channel thread's conversation is `<channel>;messageid=<root>`: the channel part."""
    return conversation_id.split(";", 1)[0]


def thread_root(activity: Activity) -> str | None:
    """The root message id when the activity is a reply inside a channel thread."""
    _, _, tail = (activity.conversation.id or "").partition(";messageid=")
    return tail if tail and tail != activity.id else None


class ConversationBook:
    def __init__(self, store: KeyValueStore, approval_channel: str | None = None) -> None:
        self.store = store
        self.wanted_channel = approval_channel

    # -- the compliance channel ----------------------------------------------------------------

    def approval_channel(self) -> ConversationReference | None:
        return self._reference(APPROVAL_CHANNEL_KEY)

    def remember_channel(self, activity: Activity, *, installed: bool) -> bool:
        """Keep this channel as the approval channel if it is the configured one (or, with none
        configured, on install or when none is known yet). True when it was stored."""
        channel = base_conversation(activity.conversation.id or "")
        if self.wanted_channel and channel != self.wanted_channel:
            return False
        known = self.approval_channel()
        if known is not None and not installed and known.conversation.id == channel:
            return False
        if known is not None and not installed and not self.wanted_channel:
            return False
        reference = TurnContext.get_conversation_reference(activity)
        reference.conversation.id = channel
        reference.activity_id = None  # a new top-level post, not a reply to this activity
        self.store.put(APPROVAL_CHANNEL_KEY, json.dumps(reference.serialize()))
        log.info("teams approval channel stored (installed=%s)", installed)
        return True

    # -- people ----------------------------------------------------------------------------------

    def personal(self, user: str) -> ConversationReference | None:
        return self._reference(f"teams:personal:{user}")

    def remember_personal(self, user: str, activity: Activity) -> None:
        reference = TurnContext.get_conversation_reference(activity)
        reference.activity_id = None
        self.store.put(f"teams:personal:{user}", json.dumps(reference.serialize()))

    def remember_account(self, user: str, account_id: str) -> None:
        """The person's Bot Framework id (29:…), needed to open a personal chat with them."""
        if self.store.get(f"teams:account:{user}") != account_id:
            self.store.put(f"teams:account:{user}", account_id)

    def known_name(self, user: str, name: str | None) -> str:
        """The person's display name: as this activity gives it (kept for later), or as last
        seen when it gives none, so cards and the audit trail name people, not ids."""
        key = f"teams:name:{user}"
        if name:
            if self.store.get(key) != name:
                self.store.put(key, name)
            return name
        return self.store.get(key) or ""

    def account(self, user: str) -> str | None:
        return self.store.get(f"teams:account:{user}")

    def accounts(self, users: Iterable[str]) -> list[str]:
        """The Bot Framework ids of those of `users` who have been seen, in order."""
        found = (self.account(user) for user in dict.fromkeys(users))
        return [account for account in found if account]

    def _reference(self, key: str) -> ConversationReference | None:
        raw = self.store.get(key)
        return ConversationReference.deserialize(json.loads(raw)) if raw else None
