"""A thread pool that knows how much it has in hand.

Used wherever work is accepted now and done later (Slack's listeners and after-ack work, plan
imports): shutdown waits for it, `/healthz` reports it as busy, tests wait until it is idle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class TrackingExecutor(ThreadPoolExecutor):
    """A thread pool that can wait until it is idle: for a clean shutdown (work started after
    an ack finishes before the database closes) and for tests that wait for after-ack work."""

    def __init__(self, max_workers: int, thread_name_prefix: str) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._idle = threading.Condition()
        self._running = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._running += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any] | None) -> None:
        with self._idle:
            self._running -= 1
            self._idle.notify_all()

    @property
    def running(self) -> int:
        """Jobs running or queued now."""
        with self._idle:
            return self._running

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True once nothing is running or queued; False if that took longer than timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0, timeout=timeout)
