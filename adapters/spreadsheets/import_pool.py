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
from concurrent.futures import Future
from typing import Any, TypeVar

from adapters.tracking_executor import TrackingExecutor
from bot.errors import ClearpostError

T = TypeVar("T")


class ImportBusy(ClearpostError):
    """Too many plans are being imported right now; nothing was imported."""


class ImportPool:
    def __init__(self, workers: int = 1, waiting: int = 4, name: str = "plan-import") -> None:
        self._executor = TrackingExecutor(workers, name)
        self._slots = threading.BoundedSemaphore(workers + waiting)
        self._stopping = threading.Event()

    def stopping(self) -> bool:
        """What each import asks between rows."""
        return self._stopping.is_set()

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Future[T]:
        """Runs fn(*args) in the pool, or raises ImportBusy when it is full or shutting down."""
        if self._stopping.is_set() or not self._slots.acquire(blocking=False):
            raise ImportBusy(
                "Other plans are being imported right now; send yours again in a few minutes."
            )

        def run() -> T:
            try:
                return fn(*args)
            finally:  # before the pool counts it done, so "idle" means a slot is free again
                self._slots.release()

        try:
            return self._executor.submit(run)
        except BaseException:
            self._slots.release()
            raise

    @property
    def running(self) -> int:
        """Imports running or waiting now."""
        return self._executor.running

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return self._executor.wait_idle(timeout)

    def shutdown(self) -> None:
        """Refuse new imports, cancel waiting ones, ask running ones to stop; do not wait."""
        self._stopping.set()
        self._executor.shutdown(wait=False, cancel_futures=True)
