"""People by the name Slack shows them with, not their user id: users.info, remembered.

Interaction payloads carry only a user's handle (`username`, `user_name`), which is often not
what colleagues know them by, so the name in threads and the audit trail comes from the
profile's display name (else the real name). Lookups are remembered for an hour, at most
`max_entries` people at once, and a failed lookup falls back to the handle for a minute; the
lookup runs after Slack's acknowledgement, never before a modal opens.

The same profile gives the person's e-mail (`profile.email`, scope users:read.email), which the
people directory uses to tell that a Slack and a Teams account are one person.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

log = logging.getLogger(__name__)


class SlackNames:
    def __init__(
        self,
        client: WebClient,
        *,
        max_entries: int = 1_000,
        ttl_seconds: float = 3_600.0,
        miss_seconds: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.max_entries = max_entries
        self.ttl = ttl_seconds
        self.miss_ttl = miss_seconds
        self.monotonic = monotonic
        # id -> (until, name, e-mail)
        self._known: OrderedDict[str, tuple[float, str, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def name(self, user_id: str) -> str:
        """The person's display name, or "" when Slack does not say (the caller keeps the
        handle it has)."""
        return self._profile(user_id)[0]

    def email(self, user_id: str) -> str | None:
        """The profile's e-mail, or None (no address, no scope, Slack unavailable)."""
        return self._profile(user_id)[1]

    __call__ = email  # the people directory's lookup (bootstrap.Chat.email_of)

    def _profile(self, user_id: str) -> tuple[str, str | None]:
        now = self.monotonic()
        with self._lock:
            found = self._known.get(user_id)
            if found is not None and found[0] > now:
                self._known.move_to_end(user_id)
                return found[1], found[2]
        name, email = self._read(user_id)
        with self._lock:
            until = now + (self.ttl if name or email else self.miss_ttl)
            self._known[user_id] = (until, name, email)
            self._known.move_to_end(user_id)
            while len(self._known) > self.max_entries:
                self._known.popitem(last=False)
        return name, email

    def _read(self, user_id: str) -> tuple[str, str | None]:
        try:
            user: dict[str, Any] = self.client.users_info(user=user_id)["user"]
        except Exception as exc:  # no name is no reason to refuse a decision
            log.info("no display name for %s: %s", user_id, type(exc).__name__)
            return "", None
        profile = user.get("profile") or {}
        email = profile.get("email")
        address = email.strip() if isinstance(email, str) and "@" in email else None
        for name in (profile.get("display_name"), profile.get("real_name"), user.get("real_name")):
            if isinstance(name, str) and name.strip():
                return name.strip()[:80], address
        return "", address
