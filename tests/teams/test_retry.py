"""Connector retries: which failures are retried, how long each wait is, when it gives up."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from msrest.exceptions import HttpOperationError

from adapters.teams.retry import ConnectorUnavailable, retry_after, with_retry


def refused(status: int, retry_after: str | None = None) -> HttpOperationError:
    error = HttpOperationError.__new__(HttpOperationError)
    headers = {"Retry-After": retry_after} if retry_after else {}
    error.response = SimpleNamespace(status_code=status, headers=headers)
    return error


def run(answers: list[object]) -> tuple[object, list[float], int]:
    waits: list[float] = []
    calls = 0

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def call() -> object:
        nonlocal calls
        calls += 1
        answer = answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    try:
        result: object = asyncio.run(with_retry(call, "message", sleep=sleep))
    except (ConnectorUnavailable, HttpOperationError) as exc:
        result = exc
    return result, waits, calls


@pytest.mark.parametrize(
    ("first", "wait"),
    [
        (refused(429, "7"), 7.0),
        (refused(429), 0.5),
        (refused(500), 0.5),
        (refused(503), 0.5),
        (ConnectionResetError(), 0.5),
    ],
)
def test_a_transient_failure_is_retried_after_the_wait_it_asks_for(first, wait):
    result, waits, calls = run([first, "sent"])

    assert (result, waits, calls) == ("sent", [wait], 2)


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_a_refusal_is_not_retried(status):
    result, waits, calls = run([refused(status), "sent"])

    assert isinstance(result, HttpOperationError) and calls == 1 and waits == []


def test_it_gives_up_after_four_attempts_with_growing_waits():
    result, waits, calls = run([refused(502)] * 4)

    assert isinstance(result, ConnectorUnavailable) and result.status == 502
    assert (waits, calls) == ([0.5, 1.0, 2.0], 4)


def test_a_huge_retry_after_is_capped():
    result, waits, _ = run([refused(429, "3600"), "sent"])

    assert result == "sent" and waits == [30.0]


def test_retry_after_may_be_an_http_date():
    now = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)

    seconds = retry_after(refused(429, "Wed, 25 Nov 2026 17:00:12 GMT"), now)

    assert seconds == 12.0
