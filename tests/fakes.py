"""Fakes at the core's outward ports: a clock the test moves, a notifier that records."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import datetime, timedelta

from bot.domain import Post, ThreadRef
from bot.ports import Notice


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self._now = now
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> None:
        with self._lock:
            self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


class FakeNotifier:
    """Records what each approval thread was told. `down = True` makes every call fail."""

    platform = "console"

    def __init__(self) -> None:
        self.announced: list[int] = []
        self.notices: dict[int, list[Notice]] = defaultdict(list)
        self.down = False
        self._lock = threading.Lock()

    def announce(self, post: Post) -> ThreadRef:
        if self.down:
            raise ConnectionError("chat platform unavailable")
        with self._lock:
            self.announced.append(post.id)
        return ThreadRef(self.platform, "approvals", f"thread-{post.id}")

    def notify(self, notice: Notice) -> None:
        if self.down:
            raise ConnectionError("chat platform unavailable")
        with self._lock:
            self.notices[notice.post.id].append(notice)

    def thread_replies(self, post_id: int) -> list[str]:
        return [n.text for n in self.notices[post_id]]

    def proposer_dms(self, post_id: int) -> list[str]:
        return [n.text for n in self.notices[post_id] if n.tell_proposer]
