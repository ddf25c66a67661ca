"""A screener that holds: each call waits until the test releases it, then screens with the
practice's real detector. It stands for a slow model, to show what a front end answers while
screening is still running."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from adapters.screening import practice_screener
from bot.screening import PostFinding

HOLD_AT_MOST = 30.0  # seconds: a test that forgets to release fails instead of hanging


class HeldScreener:
    def __init__(self) -> None:
        self.screen = practice_screener({})
        self.started = threading.Event()  # screening has begun (and is being held)
        self.released = threading.Event()
        self.finished = 0

    def __call__(self, texts: Sequence[str]) -> list[PostFinding]:
        self.started.set()
        if not self.released.wait(HOLD_AT_MOST):
            raise TimeoutError("the test never released screening")
        found = self.screen(texts)
        self.finished += 1
        return found

    def release(self) -> None:
        self.released.set()

    def hold(self) -> None:
        """Hold the next screening again (after a release)."""
        self.started.clear()
        self.finished = 0
        self.released.clear()
