"""People by the name Slack shows them with, not their user id: users.info, remembered.

Interaction payloads carry only a user's handle (`username`, `user_name`), which is often not
what colleagues know them by, so the name in threads and the audit trail comes from the
profile's display name (else the real name). Lookups are remembered for an hour, at most
`max_entries` people at once, and a failed lookup falls back to the handle for a minute; the
lookup runs after Slack's acknowledgement, never before a modal opens.
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
        self._known: OrderedDict[str, tuple[float, str]] = OrderedDict()  # id -> (until, name)
        self._lock = threading.Lock()

    def name(self, user_id: str) -> str:
        """The person's display name, or "" when Slack does not say (the caller keeps the
        handle it has)."""
        now = self.monotonic()
        with self._lock:
            found = self._known.get(user_id)
            if found is not None and found[0] > now:
                self._known.move_to_end(user_id)
                return found[1]
        name = self._read(user_id)
        with self._lock:
            self._known[user_id] = (now + (self.ttl if name else self.miss_ttl), name)
            self._known.move_to_end(user_id)
            while len(self._known) > self.max_entries:
                self._known.popitem(last=False)
        return name

    def _read(self, user_id: str) -> str:
        try:
            user: dict[str, Any] = self.client.users_info(user=user_id)["user"]
        except Exception as exc:  # no name is no reason to refuse a decision
            log.info("no display name for %s: %s", user_id, type(exc).__name__)
            return ""
        profile = user.get("profile") or {}
        for name in (profile.get("display_name"), profile.get("real_name"), user.get("real_name")):
            if isinstance(name, str) and name.strip():
                return name.strip()[:80]
        return ""
