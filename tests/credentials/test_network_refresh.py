"""The refresh request each network documents, sent by the stored-credential path, and a dry
run that shows a refresh without sending it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from adapters.cli_channels import describe, dry_run_publishers
from adapters.credentials.keys import cipher_from, new_key
from adapters.credentials.provider import TokenWiring
from adapters.publishers.base import secret_variable
from adapters.publishers.registry import build_publishers
from adapters.settings import ChannelSettings, Settings
from bot.ports import Published
from storage.credentials import Credential, SqlCredentialStore
from tests.conftest import NOW
from tests.contracts.conftest import job_for
from tests.fakes import FixedClock
from tests.standins.networks import Reply, StandIn
from tests.standins.oauth2 import TokenEndpoint


def test_linkedin_refreshes_with_id_and_secret_in_the_form_and_keeps_the_authorization_end(
    engine: Engine,
):
    clock = FixedClock(NOW)
    store = SqlCredentialStore(engine, cipher_from(new_key()), clock)
    ends = NOW + timedelta(days=300)
    store.save(
        Credential(
            channel="linkedin-clinic",
            network="linkedin",
            access_token="li-0",
            refresh_token="li-refresh",
            expires_at=NOW + timedelta(minutes=1),
            refresh_expires_at=ends,
        )
    )
    with StandIn() as server:
        tokens = TokenEndpoint(
            server,
            "/oauth/v2/accessToken",
            client_secret="li-secret",
            expires_in=5184000,  # 60 days
            refresh_tokens={"li-refresh"},
            extra={"refresh_token_expires_in": 300 * 86400 - 60},  # it does not restart
        )
        server.script("POST", "/rest/posts", Reply(201, headers={"x-restli-id": "urn:li:share:1"}))
        channel = ChannelSettings(
            network="linkedin",
            base_url=server.base_url,
            token_url=f"{server.base_url}/oauth/v2/accessToken",
            client_id="cid",
            organization_id="2414183",
        )
        environ = {secret_variable("linkedin-clinic", "client_secret"): "li-secret"}
        publisher = build_publishers(
            {"linkedin-clinic": channel}, environ=environ, tokens=TokenWiring(store, clock)
        )["linkedin-clinic"]

        result = publisher.publish(job_for("linkedin-clinic"))
        posted = server.to("POST", "/rest/posts")[0]

    assert isinstance(result, Published)
    assert tokens.refreshes[0].form() == {
        "grant_type": "refresh_token",
        "refresh_token": "li-refresh",
        "client_id": "cid",
        "client_secret": "li-secret",
    }
    assert posted.header("authorization") == "Bearer access-1"
    saved = store.get("linkedin-clinic")
    assert saved.refresh_token == "li-refresh"  # LinkedIn does not rotate it
    assert saved.expires_at == NOW + timedelta(days=60)
    assert saved.refresh_expires_at == NOW + timedelta(days=300, seconds=-60)


def test_a_dry_run_shows_the_refresh_it_would_make_and_sends_nothing(tmp_path):
    with StandIn() as server:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'c.db'}",
            channels={
                "youtube-clinic": {
                    "network": "youtube",
                    "base_url": server.base_url,
                    "token_url": f"{server.base_url}/token",
                }
            },
        )
        environ = {
            secret_variable("youtube-clinic", key): value
            for key, value in {
                "client_id": "cid",
                "client_secret": "csec",
                "refresh_token": "rtok-SECRET",
            }.items()
        }
        publishers, recorded = dry_run_publishers(settings, environ)
        media = (f"{server.base_url}/flu.mp4",)
        publishers["youtube-clinic"].publish(job_for("youtube-clinic", media=media))
        shown = "\n".join(describe(recorded))

    assert server.requests == []
    assert f"POST {server.base_url}/token" in shown
    assert "rtok-SECRET" not in shown and "csec" not in shown
