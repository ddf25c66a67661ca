"""Rate budgets a network counts per user or per app are shared by every channel on that account
or app: two channels posting as one X account get 100 posts per 15 minutes between them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.credentials.keys import cipher_from, new_key
from adapters.credentials.provider import TokenWiring
from adapters.publishers.base import secret_variable
from adapters.publishers.registry import build_publishers
from adapters.settings import ChannelSettings
from bot.ports import Failed, Published
from storage.credentials import Credential, SqlCredentialStore
from tests.conftest import NOW
from tests.contracts.conftest import job_for
from tests.fakes import FixedClock
from tests.standins.networks import Reply, StandIn

POSTED = Reply(201, {"data": {"id": "1", "text": "hi"}})


class Ticks:
    """The pacing clock (monotonic seconds), moved by the test."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def _x(server: StandIn) -> ChannelSettings:
    return ChannelSettings(network="x", base_url=server.base_url, timeout_seconds=2)


def _stored(store: SqlCredentialStore, channel: str, account: str) -> None:
    store.save(
        Credential(
            channel=channel,
            network="x",
            access_token=f"token-{channel}",
            expires_at=NOW + timedelta(days=30),
            account_id=account,
        )
    )


def test_two_channels_on_one_x_account_share_its_100_posts_per_15_minutes(engine):
    clock, ticks = FixedClock(NOW), Ticks()
    store = SqlCredentialStore(engine, cipher_from(new_key()), clock)
    _stored(store, "x-main", "2244994945")
    _stored(store, "x-events", "2244994945")  # a second channel, same account
    _stored(store, "x-other", "783214")
    with StandIn(max_requests=300) as server:
        server.script("POST", "/2/tweets", POSTED)
        channels = {name: _x(server) for name in ("x-main", "x-events", "x-other")}
        publishers = build_publishers(
            channels, environ={}, clock=ticks, tokens=TokenWiring(store, clock)
        )

        results = []
        for n in range(100):
            channel = ("x-main", "x-events")[n % 2]
            results.append(publishers[channel].publish(job_for(channel, post_id=n)))
            ticks.now += 5  # 100 posts in 500 s, inside one 15-minute window
        held_back = publishers["x-events"].publish(job_for("x-events", post_id=100))
        other = publishers["x-other"].publish(job_for("x-other", post_id=101))
        sent = len(server.to("POST", "/2/tweets"))
        ticks.now += 15 * 60 - 500 + 1  # the first post leaves the window
        later = publishers["x-main"].publish(job_for("x-main", post_id=102))

    assert all(isinstance(r, Published) for r in results)
    assert isinstance(held_back, Failed) and held_back.kind == "transient"
    assert held_back.sent is False and "pacing `x-events`" in held_back.message
    assert isinstance(other, Published)  # another account has its own budget
    assert sent == 101  # 100 from the shared account + the other account's one
    assert isinstance(later, Published)


def test_two_env_channels_with_the_same_user_token_are_one_account(monkeypatch):
    ticks = Ticks()
    environ = {
        secret_variable("x-main", "access_token"): "same-user-token",
        secret_variable("x-events", "access_token"): "same-user-token",
    }
    with StandIn(max_requests=300) as server:
        server.script("POST", "/2/tweets", POSTED)
        channels = {"x-main": _x(server), "x-events": _x(server)}
        publishers = build_publishers(channels, environ=environ, clock=ticks)
        for n in range(100):
            publishers["x-main"].publish(job_for("x-main", post_id=n))

        result = publishers["x-events"].publish(job_for("x-events", post_id=100))

    assert isinstance(result, Failed) and result.sent is False


@pytest.mark.parametrize(("network", "per"), [("x", "app"), ("youtube", "app"), ("reddit", "app")])
def test_a_per_app_budget_is_shared_by_channels_of_one_client_id(network, per):
    channels = {name: ChannelSettings(network=network, client_id="one-app") for name in ("a", "b")}
    publishers = build_publishers(channels, environ={})

    keys = [
        {p._shared_by(limit, None) for limit in p.limits if limit.per == per}  # type: ignore[attr-defined]
        for p in publishers.values()
    ]

    assert keys[0] == keys[1] and keys[0]
