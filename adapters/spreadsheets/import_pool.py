"""Where plan imports run in `serve`: their own small pool, never in the threads that acknowledge
requests or carry proposals and decisions on.

At most `workers` imports run and `waiting` more wait; one more is refused at once (`ImportBusy`,
with a sentence for the person). `shutdown` cancels what waits and tells running imports to stop
at their next row (import_plan's `stop`), so stopping the server never waits on an import for
longer than one row takes; each import also has its own time limit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from bot.errors import ClearpostError

T = TypeVar("T")


class ImportBusy(ClearpostError):
    """Too many plans are being imported right now; nothing was imported."""


class ImportPool:
    def __init__(self, workers: int = 1, waiting: int = 4, name: str = "plan-import") -> None:
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix=name)
        self._slots = threading.BoundedSemaphore(workers + waiting)
        self._stopping = threading.Event()
        self._idle = threading.Condition()
        self._running = 0

    def stopping(self) -> bool:
        """What each import asks between rows."""
        return self._stopping.is_set()

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        """Runs fn(*args) in the pool, or raises ImportBusy when it is full or shutting down."""
        if self._stopping.is_set() or not self._slots.acquire(blocking=False):
            raise ImportBusy(
                "Other plans are being imported right now; send yours again in a few minutes."
            )
        with self._idle:
            self._running += 1
        try:
            future = self._executor.submit(fn, *args)
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any] | None) -> None:
        self._slots.release()
        with self._idle:
            self._running -= 1
            self._idle.notify_all()

    @property
    def running(self) -> int:
        """Imports running or waiting now."""
        with self._idle:
            return self._running

    def wait_idle(self, timeout: float = 10.0) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0, timeout=timeout)

    def shutdown(self) -> None:
        """Refuse new imports, cancel waiting ones, ask running ones to stop; do not wait."""
        self._stopping.set()
        self._executor.shutdown(wait=False, cancel_futures=True)
