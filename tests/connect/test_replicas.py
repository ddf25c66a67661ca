"""Two replicas of `serve` on one PostgreSQL database: the authorization the CLI started is
finished by whichever replica the network sends the browser to, and the same callback replayed
at the other replica is refused (the state is single use across replicas, not per process)."""

from __future__ import annotations

import uuid

from adapters.bootstrap import build_core
from adapters.connect.connector import Connector
from adapters.credentials.keys import new_key
from adapters.settings import Settings
from tests.conftest import NOW
from tests.connect.conftest import browser_follows, browser_lands_on
from tests.connect.test_x import ME, x_channels
from tests.fakes import FixedClock
from tests.pg_server import create_database
from tests.standins.oauth_authorize import AuthorizationServer
from tests.support.served import ServedCore


def test_one_replica_finishes_the_other_refuses_the_replay(server, postgres_server_url):
    server.script("GET", "/2/users/me", ME)
    AuthorizationServer(server, "/i/oauth2/authorize", "/2/oauth2/token", pkce=True)
    url = create_database(postgres_server_url, f"clearpost_test_{uuid.uuid4().hex[:8]}")
    settings = Settings(database_url=url, secret_key=new_key(), channels=x_channels(server))
    clock = FixedClock(NOW)
    with (
        ServedCore(build_core(settings, clock=clock)) as first,
        ServedCore(build_core(settings, clock=clock, migrate=False)) as second,
    ):
        store = first.core.credentials
        started = Connector(settings, store, clock).start("x-main", first.url)
        callback = browser_lands_on(started.url)

        finished = browser_follows(callback.replace(first.url, second.url))
        replayed = browser_follows(callback)

        assert "x-main is connected as @clinic" in finished.text
        assert "already used" in replayed.text
        assert store.get("x-main").version == 1
