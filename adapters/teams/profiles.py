"""A Teams account's e-mail, so the core can tell that a Teams and a Slack account are one person.

Teams gives the address only through the connector's member record (TeamsInfo.get_member:
`email`, else `userPrincipalName`), which needs the turn an activity arrived in. So the address
is learnt when a person's activity arrives (once per account and process), kept in the
key-value store so a restart does not forget it (a proposer seen before the restart is still
recognised approving from Slack after it), and answered from what was learnt; an account never
seen, or whose record could not be read, links nothing.
"""

from __future__ import annotations

import logging
import threading

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from bot.ports import KeyValueStore

log = logging.getLogger(__name__)

MAX_KEPT = 5_000


class TeamsProfileEmails:
    """`aadObjectId -> e-mail or None`, for the people directory (bootstrap.Chat.email_of)."""

    def __init__(self, wanted: bool = True, store: KeyValueStore | None = None) -> None:
        self.wanted = wanted  # False: nothing an address could link, so never ask Teams
        self.store = store
        self._emails: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def __call__(self, aad_object_id: str) -> str | None:
        with self._lock:
            if aad_object_id in self._emails:
                return self._emails[aad_object_id]
        kept = self.store.get(_key(aad_object_id)) if self.store is not None else None
        return kept or None

    async def learn(self, turn_context: TurnContext) -> None:
        """Read the sender's member record once; a failure is logged and links nothing."""
        activity = turn_context.activity
        who = activity.from_property
        if not self.wanted or activity.channel_id != "msteams" or who is None:
            return
        aad = who.aad_object_id
        with self._lock:
            if not aad or aad in self._emails:
                return
        try:
            member = await TeamsInfo.get_member(turn_context, who.id)
        except Exception as exc:  # connector down, not a member: decide without the link
            log.warning("profile of teams:%s not read: %s", aad, type(exc).__name__)
            return
        email = member.email or member.user_principal_name
        address = email.strip().lower() if email and "@" in email else None
        with self._lock:
            if len(self._emails) >= MAX_KEPT:
                self._emails.pop(next(iter(self._emails)))
            self._emails[aad] = address
        if self.store is not None and address:
            self.store.put(_key(aad), address)


def _key(aad_object_id: str) -> str:
    return f"teams:member_email:{aad_object_id}"
