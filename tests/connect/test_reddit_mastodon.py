"""Two more OAuth 2.0 networks end to end through Clearpost's callback: Reddit (a permanent
grant, HTTP Basic at its token endpoint, a descriptive User-Agent; then refreshed and revoked)
and Mastodon (Clearpost registers itself on the instance first)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.credentials.provider import RefreshRefused, TokenWiring
from adapters.publishers.base import ChannelConfig
from adapters.publishers.reddit import USER_AGENT
from tests.connect.conftest import browser_follows
from tests.standins.networks import Reply
from tests.standins.oauth_authorize import AuthorizationServer


def test_connect_reddit_then_refresh_then_a_revoked_grant(server, install_for, monkeypatch):
    monkeypatch.setenv("CLEARPOST_REDDIT_MAIN_CLIENT_ID", "rcid")
    monkeypatch.setenv("CLEARPOST_REDDIT_MAIN_CLIENT_SECRET", "rsecret")
    auth = AuthorizationServer(
        server,
        "/api/v1/authorize",
        "/api/v1/access_token",
        client_id="rcid",
        client_secret="rsecret",
        client_auth="basic",
        expires_in=3600,
    )
    server.script("GET", "/api/v1/me", Reply(200, {"id": "t2_abc", "name": "clinic"}))
    install = install_for(
        {
            "reddit-main": {
                "network": "reddit",
                "subreddit": "clinic",
                "base_url": server.base_url,
                "authorize_url": f"{server.base_url}/api/v1/authorize",
                "token_url": f"{server.base_url}/api/v1/access_token",
            }
        }
    )
    started = install.connector().start("reddit-main", install.served.url)

    page = browser_follows(started.url)

    assert "reddit-main is connected as u/clinic" in page.text
    asked = {k: v[0] for k, v in auth.authorizations[0].query.items()}
    assert (asked["duration"], asked["scope"]) == ("permanent", "identity submit")
    exchange = auth.exchanges[0]
    assert exchange.header("user-agent") == USER_AGENT
    assert "client_secret" not in exchange.form()  # Basic, as Reddit documents
    stored = install.store.get("reddit-main")
    assert stored.expires_at == install.clock.now() + timedelta(hours=1)
    assert stored.scopes == ("identity", "submit")

    config = ChannelConfig.from_settings("reddit-main", install.settings.channels["reddit-main"])
    told: list[str] = []
    tokens = TokenWiring(install.store, install.clock, tell=told.append).for_channel(config)
    install.clock.advance(hours=1)
    assert tokens.access_token() == "access-1"
    assert install.store.get("reddit-main").refresh_token == stored.refresh_token  # not rotated
    auth.tokens.revoke_all()
    install.clock.advance(hours=1)
    with pytest.raises(RefreshRefused):
        tokens.access_token()
    assert "clearpost channels connect reddit-main" in told[0]
    tokens.close()


def test_connect_mastodon_registers_the_app_on_the_instance_first(server, install_for):
    server.script(
        "POST",
        "/api/v1/apps",
        Reply(200, {"id": "1", "name": "Clearpost", "client_id": "mcid", "client_secret": "mcs"}),
    )
    auth = AuthorizationServer(
        server, "/oauth/authorize", "/oauth/token", client_id="mcid", client_secret="mcs"
    )
    server.script(
        "GET",
        "/api/v1/accounts/verify_credentials",
        Reply(200, {"id": "109", "acct": "clinic", "username": "clinic"}),
    )
    install = install_for({"mastodon-main": {"network": "mastodon", "base_url": server.base_url}})
    started = install.connector().start("mastodon-main", install.served.url)

    page = browser_follows(started.url)

    registered = server.to("POST", "/api/v1/apps")[0].form()
    assert registered["redirect_uris"] == f"{install.served.url}/oauth/callback/mastodon"
    assert registered["scopes"] == "write:statuses write:media read:accounts"
    assert "mastodon-main is connected as @clinic" in page.text
    assert auth.exchanges[0].form()["client_secret"] == "mcs"
    assert install.store.get("mastodon-main").account_id == "109"
