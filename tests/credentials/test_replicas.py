"""Two replicas (each its own engine, store and publisher, as two `clearpost serve` processes
have) refresh one expiring X token at the same moment: one refresh request reaches the token
endpoint, and both post with the new token. On SQLite (one file) and on the suite's PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from adapters.credentials.keys import cipher_from, new_key
from adapters.credentials.provider import TokenWiring
from adapters.publishers.registry import build_publishers
from bot.ports import Published
from storage.credentials import Credential, SqlCredentialStore
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.conftest import NOW
from tests.contracts.conftest import job_for
from tests.credentials.test_refresh import POSTED, TOKEN_PATH, bearer, x_channel
from tests.fakes import FixedClock
from tests.standins.networks import StandIn
from tests.standins.oauth2 import TokenEndpoint

KEY = new_key()


@pytest.fixture(params=["sqlite", "postgresql"])
def replica_engines(request, tmp_path) -> Iterator[tuple[Engine, Engine]]:
    """Two engines on one database: two processes' connection pools."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.db'}"
        first = make_engine(url)
        upgrade(first)
    else:
        shared = request.getfixturevalue("postgres_engine")
        url = shared.url.render_as_string(hide_password=False)
        with shared.begin() as conn:
            conn.execute(text("DELETE FROM channel_credential"))
        first = make_engine(url)
    second = make_engine(url)
    yield first, second
    first.dispose()
    second.dispose()


def test_two_replicas_refresh_one_expiring_token_once_and_both_use_the_new_one(replica_engines):
    clock = FixedClock(NOW)
    with StandIn() as server:
        # A slow token endpoint, so the second replica asks while the first waits for it.
        tokens = TokenEndpoint(
            server, TOKEN_PATH, rotates=True, refresh_tokens={"refresh-0"}, delay=0.5
        )
        server.script("POST", "/2/tweets", POSTED)
        stores = [SqlCredentialStore(e, cipher_from(KEY), clock) for e in replica_engines]
        stores[0].save(
            Credential(
                channel="x-main",
                network="x",
                access_token="access-0",
                refresh_token="refresh-0",
                expires_at=NOW + timedelta(minutes=2),
            )
        )
        replicas = [
            build_publishers(
                {"x-main": x_channel(server)}, environ={}, tokens=TokenWiring(store, clock)
            )["x-main"]
            for store in stores
        ]
        results: list[object] = [None, None]
        start = threading.Barrier(2)

        def run(number: int) -> None:
            start.wait(timeout=5)
            results[number] = replicas[number].publish(job_for("x-main"))

        threads = [threading.Thread(target=run, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert all(isinstance(result, Published) for result in results), results
    assert len(server.to("POST", TOKEN_PATH)) == 1  # one refresh request, not two racing
    assert [bearer(r) for r in server.to("POST", "/2/tweets")] == ["access-1", "access-1"]
    saved = stores[1].get("x-main")
    assert saved is not None
    assert (saved.access_token, saved.refresh_token) == ("access-1", "refresh-1")
    assert tokens.refresh_tokens == {"refresh-1"}  # the retired one was never spent twice
