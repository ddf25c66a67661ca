"""Bounded retries of Bot Framework connector calls, which the connector client never retries.

| the connector answers              | what happens                                               |
|------------------------------------|------------------------------------------------------------|
| 2xx                                | done                                                       |
| 429 with Retry-After               | wait that long (at most `max_wait`), try again             |
| 429 without it, 500/502/503/504    | wait 0.5 s, 1 s, 2 s …, try again                          |
| connection refused / reset, timeout| the same backoff                                           |
| any other 4xx                      | raised at once: retrying would not change the answer       |
| still failing after `attempts`     | ConnectorUnavailable, with the last status                 |
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import aiohttp
from msrest.exceptions import ClientRequestError, HttpOperationError

log = logging.getLogger(__name__)

T = TypeVar("T")
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})


class ConnectorUnavailable(Exception):
    """Teams kept refusing or was unreachable; the caller keeps its work and tries later."""

    def __init__(self, what: str, status: int | None) -> None:
        self.status = status
        super().__init__(f"Teams did not accept the {what} (last status {status or 'none'})")


def status_of(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    status = getattr(response, "status", None) or getattr(response, "status_code", None)
    return int(status) if status else None


def retry_after(exc: BaseException, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header given as seconds or as an HTTP date."""
    headers: Any = getattr(getattr(exc, "response", None), "headers", None) or {}
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


async def with_retry(
    call: Callable[[], Awaitable[T]],
    what: str,
    *,
    attempts: int = 4,
    max_wait: float = 30.0,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> T:
    """`call()` until it succeeds, for transient failures only, at most `attempts` times."""
    status: int | None = None
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except HttpOperationError as exc:
            status = status_of(exc)
            if status not in TRANSIENT_STATUSES:
                raise
            wait = retry_after(exc) if status == 429 else None
        except (TimeoutError, ClientRequestError, aiohttp.ClientError, OSError) as exc:
            status, wait = None, None
            log.info("teams %s: connection problem (%s)", what, type(exc).__name__)
        if attempt == attempts:
            break
        delay = min(max_wait, wait if wait is not None else 0.5 * 2 ** (attempt - 1))
        log.warning(
            "teams %s: status %s, attempt %d of %d, retrying in %.1fs",
            what,
            status,
            attempt,
            attempts,
            delay,
        )
        await sleep(delay)
    raise ConnectorUnavailable(what, status)
