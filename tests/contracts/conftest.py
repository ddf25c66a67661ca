"""Fixtures for publisher contract tests: a stand-in server, a channel pointed at it, a job."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.publishers.base import ChannelConfig, secret_variable
from bot.ports import PublishJob
from tests.standins.networks import StandIn

WHEN = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def channel_at(
    server: StandIn,
    network: str,
    name: str,
    secrets: dict[str, str] | None = None,
    **options: Any,
) -> ChannelConfig:
    """A channel whose base URL is the stand-in; secrets go in its own environment mapping."""
    environ = {secret_variable(name, k): v for k, v in (secrets or {}).items()}
    return ChannelConfig(
        name, network, {"base_url": server.base_url, "timeout_seconds": 0.5, **options}, environ
    )


def job_for(channel: str, text: str = "Flu shots from Monday", **changes: Any) -> PublishJob:
    fields: dict[str, Any] = {
        "post_id": 7,
        "channel": channel,
        "text": text,
        "media": (),
        "link": None,
        "revision_hash": "ab" * 32,
        "idempotency_key": f"clearpost-7-{channel}-abababab",
        "scheduled_at": WHEN,
    }
    fields.update(changes)
    return PublishJob(**fields)
