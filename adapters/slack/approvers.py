"""Approvers by Slack user group: `SLACK_APPROVER_GROUP=compliance` adds that group's members.

Membership is read through usergroups.list / usergroups.users.list and kept for a short while, so
a click does not wait on two API calls and a removed member stops deciding within a minute.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class UserGroupMembers:
    """A `user_id -> bool` for ApprovalPolicy.group_members. Fails closed when Slack is down
    and nothing was ever read (a stale list is used if there is one)."""

    def __init__(
        self,
        client: WebClient,
        handle: str,
        ttl_seconds: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.handle = handle.strip().lstrip("@").lower()
        self.ttl = ttl_seconds
        self.monotonic = monotonic
        self._members: frozenset[str] | None = None
        self._read_at = 0.0
        self._lock = threading.Lock()

    def __call__(self, user_id: str) -> bool:
        return user_id in self.members()

    def members(self) -> frozenset[str]:
        with self._lock:
            fresh = self._members is not None and self.monotonic() - self._read_at < self.ttl
            if not fresh:
                try:
                    self._members = self._read()
                    self._read_at = self.monotonic()
                except SlackApiError as exc:
                    log.warning(
                        "approver group %s not read: %s", self.handle, exc.response.get("error")
                    )
            return self._members or frozenset()

    def _read(self) -> frozenset[str]:
        groups = self.client.usergroups_list()["usergroups"]
        match = [g for g in groups if str(g.get("handle", "")).lower() == self.handle]
        if not match:
            log.warning("approver group %s does not exist in this workspace", self.handle)
            return frozenset()
        users = self.client.usergroups_users_list(usergroup=match[0]["id"])["users"]
        return frozenset(str(u) for u in users)
