"""Waiting for `clearpost serve` to be idle, instead of sleeping and hoping.

"Exactly once" can only be asserted once nothing more can happen: no request's work after its
answer, no queued chat notice, no publisher call in flight (serve's /healthz `busy`), and no
delivery claimed or due (the database). A late duplicate then has nowhere left to come from.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from tests.blackbox.serve import eventually

# Deliveries that a dispatcher may still pick up or is calling the network for.
_OPEN = ("waiting", "scheduled", "publishing")


class Served(Protocol):
    http: httpx.Client

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]: ...


def stored_moment(value: Any) -> datetime | None:
    """A stored UTC time: a datetime (PostgreSQL) or SQLite's 'YYYY-MM-DD HH:MM:SS[.ffffff]'."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def deliveries_due_or_in_flight(server: Served) -> int:
    rows = server.query("SELECT state, due_at, next_attempt_at FROM delivery")
    now = datetime.now(UTC)
    count = 0
    for state, due_at, next_attempt_at in rows:
        due = stored_moment(next_attempt_at) or stored_moment(due_at)
        if state == "publishing" or (state == "scheduled" and due is not None and due <= now):
            count += 1
    return count


def busy(server: Served) -> int:
    answer = server.http.get("/healthz", timeout=5)
    return int(answer.json().get("busy", 0)) if answer.status_code == 200 else 1


def is_idle(server: Served) -> bool:
    return busy(server) == 0 and deliveries_due_or_in_flight(server) == 0


def wait_idle(*servers: Served, timeout: float = 60.0) -> None:
    """Until every server is idle at once, polled for at most `timeout` seconds."""
    eventually(lambda: all(is_idle(s) for s in servers), timeout, "serve to be idle")


def open_deliveries(server: Served) -> int:
    """Deliveries not in a final state: waiting for approval, scheduled or in flight."""
    rows = server.query("SELECT state FROM delivery")
    return sum(1 for (state,) in rows if state in _OPEN)
