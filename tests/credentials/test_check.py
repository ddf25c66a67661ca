"""`clearpost channels check` shows each stored account: identity, scopes, until when, whether
Clearpost renews it, a refused refresh; and it checks live with the stored token."""

from __future__ import annotations

from datetime import timedelta

from adapters.cli_channels import channels_check
from adapters.credentials.keys import cipher_from, new_key
from adapters.settings import Settings
from storage.credentials import Credential, SqlCredentialStore
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.conftest import NOW
from tests.fakes import FixedClock
from tests.standins.networks import Reply, StandIn


def _setup(tmp_path, server: StandIn):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = make_engine(url)
    upgrade(engine)
    store = SqlCredentialStore(engine, cipher_from(new_key()), FixedClock(NOW))
    settings = Settings(
        database_url=url,
        channels={
            "x-main": {"network": "x", "base_url": server.base_url, "timeout_seconds": 1},
            "linkedin-clinic": {
                "network": "linkedin",
                "base_url": server.base_url,
                "organization_id": "2414183",
                "timeout_seconds": 1,
            },
        },
    )
    return engine, store, settings


def test_check_shows_each_stored_account_and_calls_the_network_with_the_stored_token(tmp_path):
    with StandIn() as server:
        server.script("GET", "/2/users/me", Reply(200, {"data": {"username": "clinic"}}))
        server.script("GET", "/rest/organizations/2414183", Reply(200, {"localizedName": "Clinic"}))
        engine, store, settings = _setup(tmp_path, server)
        store.save(
            Credential(
                channel="x-main",
                network="x",
                access_token="stored-x",
                refresh_token="r",
                expires_at=NOW + timedelta(hours=1),
                scopes=("tweet.write", "users.read", "offline.access"),
                account_id="2244994945",
                account_name="@clinic",
            )
        )
        store.save(
            Credential(
                channel="linkedin-clinic",
                network="linkedin",
                access_token="stored-li",
                expires_at=NOW + timedelta(days=3),
                scopes=("w_organization_social",),
                account_name="Clinic Page",
            )
        )

        good, lines = channels_check(settings, environ={}, store=store, clock=FixedClock(NOW))
        engine.dispose()

    assert good
    assert lines[:4] == [
        "  ✓ linkedin-clinic (linkedin): posting as Clinic (organization 2414183)",
        "      stored credential: Clinic Page; scopes: w_organization_social",
        "      access token: until 2026-11-28 17:00 UTC; LinkedIn does not let Clearpost renew it",
        "      ⚠ it ends within a week: run `clearpost channels connect linkedin-clinic` before "
        "2026-11-28",
    ]
    assert lines[4:] == [
        "  ✓ x-main (x): posting as @clinic",
        "      stored credential: @clinic (id 2244994945); scopes: tweet.write users.read "
        "offline.access",
        "      access token: until 2026-11-25 18:00 UTC, renewed automatically before then",
    ]
    assert server.to("GET", "/2/users/me")[0].header("authorization") == "Bearer stored-x"


def test_check_marks_a_refused_refresh_with_the_fix(tmp_path):
    with StandIn() as server:
        server.script("GET", "/2/users/me", Reply(200, {"data": {"username": "clinic"}}))
        engine, store, settings = _setup(tmp_path, server)
        store.save(
            Credential(
                channel="x-main",
                network="x",
                access_token="stored-x",
                refresh_token="r",
                expires_at=NOW + timedelta(hours=1),
            )
        )
        store.record_refresh_error("x-main", "invalid_grant")
        settings.channels.pop("linkedin-clinic")

        good, lines = channels_check(settings, environ={}, store=store, clock=FixedClock(NOW))
        engine.dispose()

    assert not good
    assert (
        "      ✗ X refused the last refresh (invalid_grant): run "
        "`clearpost channels connect x-main`" in lines
    )
