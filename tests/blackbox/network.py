"""A stand-in Mastodon instance for the black-box tests, and the channel settings pointing at it."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import UTC, datetime, timedelta

from tests.standins.networks import Recorded, Reply, StandIn

STATUSES = "/api/v1/statuses"
CHANNEL = "mastodon-clinic"


def mastodon_env(network: StandIn) -> dict[str, str]:
    """One Mastodon channel at the stand-in, with its token from the environment."""
    channel = {"network": "mastodon", "base_url": network.base_url, "timeout_seconds": 5}
    return {
        "CLEARPOST_CHANNELS": json.dumps({CHANNEL: channel}),
        "CLEARPOST_MASTODON_CLINIC_ACCESS_TOKEN": "mastodon-blackbox-token",
    }


class Statuses:
    """Answers POST /api/v1/statuses as Mastodon does, honouring Idempotency-Key: a repeated
    key gets the first status back, so `created` counts what readers would actually see."""

    def __init__(self, *failures: Reply, delay: float = 0.0) -> None:
        self.failures = list(failures)  # answered first, in order, before any success
        self.delay = delay  # seconds each success is held back (a call in flight)
        self.created: dict[str, str] = {}  # idempotency key -> status id
        self._ids = itertools.count(110_000)
        self._lock = threading.Lock()

    def __call__(self, request: Recorded) -> Reply:
        with self._lock:
            if self.failures:
                return self.failures.pop(0)
            key = request.header("Idempotency-Key") or f"none-{len(self.created)}"
            status_id = self.created.setdefault(key, str(next(self._ids)))
        url = f"https://social.example/@clinic/{status_id}"
        return Reply(200, {"id": status_id, "url": url, "content": "<p>…</p>"}, delay=self.delay)


def minutes_ahead(minutes: int) -> tuple[str, datetime]:
    """A publish time `minutes` ahead, as the phrase serve reads on its own clock ("in 2 min"),
    and the earliest moment that phrase can mean (serve drops the seconds). Relative phrases
    never land on a minute boundary or in an hour that daylight saving skips or repeats."""
    earliest = (datetime.now(UTC) + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    return f"in {minutes} min", earliest


def due_now() -> str:
    """Due at once on serve's clock, so approval publishes straight away."""
    return "now"
