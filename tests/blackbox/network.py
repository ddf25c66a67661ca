"""A stand-in Mastodon instance for the black-box tests, and the channel settings pointing at it."""

from __future__ import annotations

import itertools
import json
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.standins.networks import Recorded, Reply, StandIn

STATUSES = "/api/v1/statuses"
CHANNEL = "mastodon-clinic"
ZONE = ZoneInfo("America/New_York")  # serve runs with CLEARPOST_TIMEZONE set to this


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
    """A publish time on the practice's clock, whole minutes ahead: the phrase and the moment."""
    now = datetime.now(ZONE).replace(second=0, microsecond=0)
    moment = now + timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%d %H:%M"), moment


def due_now() -> str:
    """This minute on the practice's clock: due at once, so approval publishes straight away."""
    return datetime.now(ZONE).strftime("%Y-%m-%d %H:%M")
