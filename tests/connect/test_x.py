"""`clearpost channels connect x-main` end to end: X's documented authorization-code flow with
PKCE (S256), the callback served by Clearpost's web app, the code exchanged with the verifier,
@handle from /2/users/me, the tokens saved sealed; then refreshed with rotation, then revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.cli_connect import run_connect
from adapters.credentials.provider import RefreshRefused, TokenWiring
from adapters.publishers.base import ChannelConfig
from tests.connect.conftest import ApprovingBrowser, browser_follows, browser_lands_on
from tests.standins.networks import Reply
from tests.standins.oauth_authorize import AuthorizationServer

ME = Reply(200, {"data": {"id": "2244994945", "name": "Clinic", "username": "clinic"}})


def x_channels(server):
    return {
        "x-main": {
            "network": "x",
            "client_id": "cid",
            "base_url": server.base_url,
            "authorize_url": f"{server.base_url}/i/oauth2/authorize",
            "token_url": f"{server.base_url}/2/oauth2/token",
            "timeout_seconds": 2,
        }
    }


def x_auth(server, **options) -> AuthorizationServer:
    server.script("GET", "/2/users/me", ME)
    return AuthorizationServer(
        server, "/i/oauth2/authorize", "/2/oauth2/token", pkce=True, rotates=True, **options
    )


def test_connect_x_through_serve_then_refresh_with_rotation_then_a_revoked_token(
    server, install_for
):
    auth = x_auth(server)
    install = install_for(x_channels(server))
    said: list[str] = []
    browser = ApprovingBrowser(said)

    ok = run_connect(
        install.connector(),
        "x-main",
        say=browser,
        ask=lambda _: pytest.fail("asked to paste while serve answers"),
        ask_secret=lambda _: pytest.fail("no password for X"),
        wait_seconds=20,
        poll_seconds=0.05,
    )

    assert ok and said[-1] == "x-main is connected as @clinic."
    assert "x-main is connected as @clinic" in browser.page().text
    asked = {k: v[0] for k, v in auth.authorizations[0].query.items()}
    assert asked["scope"].split() == [
        "tweet.read",
        "tweet.write",
        "users.read",
        "offline.access",
        "media.write",
    ]
    assert asked["code_challenge_method"] == "S256"
    assert asked["redirect_uri"] == f"{install.served.url}/oauth/callback/x"
    assert auth.exchanges[0].form()["code_verifier"]  # checked against the challenge
    stored = install.store.get("x-main")
    assert stored.account_name == "@clinic" and stored.account_id == "2244994945"
    assert "offline.access" in stored.scopes
    assert stored.expires_at == install.clock.now() + timedelta(hours=2)
    raw = install.db_path.read_bytes() + install.db_path.with_name("clearpost.db-wal").read_bytes()
    assert stored.access_token.encode() not in raw and stored.refresh_token.encode() not in raw

    # Two hours on: refreshed before use, X's rotated refresh token saved.
    told: list[str] = []
    config = ChannelConfig.from_settings("x-main", install.settings.channels["x-main"], {})
    tokens = TokenWiring(install.store, install.clock, tell=told.append).for_channel(config)
    install.clock.advance(hours=2)
    assert tokens.access_token() == "access-1"
    assert auth.tokens.refreshes[0].form()["refresh_token"] == stored.refresh_token
    assert install.store.get("x-main").refresh_token == "refresh-1"

    # Revoked at X: the next refresh is refused, the approval channel told how to fix it.
    auth.tokens.revoke_all()
    install.clock.advance(hours=2)
    with pytest.raises(RefreshRefused, match="invalid_grant"):
        tokens.access_token()
    assert told and "clearpost channels connect x-main" in told[0]
    tokens.close()


def test_a_used_state_is_refused_and_saves_nothing_more(server, install_for):
    x_auth(server)
    install = install_for(x_channels(server))
    started = install.connector().start("x-main", install.served.url)
    callback = browser_lands_on(started.url)
    first = browser_follows(callback)
    saved = install.store.get("x-main")

    replayed = browser_follows(callback)

    assert "connected as @clinic" in first.text
    assert replayed.status_code == 400
    assert "already used" in replayed.text
    assert install.store.get("x-main").version == saved.version


def test_an_expired_or_unknown_state_is_refused(server, install_for):
    x_auth(server)
    install = install_for(x_channels(server))
    started = install.connector().start("x-main", install.served.url)
    callback = browser_lands_on(started.url)
    forged = callback.replace(f"state={started.state}", "state=forged")

    unknown = browser_follows(forged)
    install.clock.advance(minutes=11)
    late = browser_follows(callback)

    assert "not one Clearpost started" in unknown.text
    assert "expired" in late.text
    assert install.store.get("x-main") is None


def test_the_person_declining_is_said_and_nothing_is_saved(server, install_for):
    x_auth(server, decline=True)
    install = install_for(x_channels(server))
    started = install.connector().start("x-main", install.served.url)

    page = browser_follows(started.url)

    assert page.status_code == 400
    assert "the authorization was declined" in page.text
    assert install.store.get("x-main") is None
    assert "declined" in install.connector().pending.outcome(started.state).sentence


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (
            {"grant_scope": "tweet.read tweet.write users.read"},
            "without offline.access, media.write",
        ),
        ({"refuse_codes": True}, "refused the authorization code for `x-main` (invalid_grant"),
    ],
)
def test_a_refused_code_or_a_missing_scope_saves_nothing(server, install_for, options, said):
    x_auth(server, **options)
    install = install_for(x_channels(server))
    started = install.connector().start("x-main", install.served.url)

    page = browser_follows(started.url)

    assert said in page.text.replace("&#x27;", "'")
    assert install.store.get("x-main") is None


def test_a_failing_identity_call_saves_nothing(server, install_for):
    x_auth(server)
    server.script("GET", "/2/users/me", Reply(503, {"title": "Service Unavailable"}))
    install = install_for(x_channels(server))
    started = install.connector().start("x-main", install.served.url)

    page = browser_follows(started.url)

    assert "did not say whose account `x-main`" in page.text.replace("&#x60;", "`")
    assert install.store.get("x-main") is None


def test_paste_the_address_without_serve(server, install_for):
    auth = x_auth(server)
    install = install_for(x_channels(server))
    said: list[str] = []

    def paste(_prompt: str) -> str:
        url = next(line.strip() for line in said if line.startswith("  http"))
        return browser_lands_on(url)  # the browser's address bar, page not loaded

    ok = run_connect(
        install.connector(public=False),
        "x-main",
        say=said.append,
        ask=paste,
        ask_secret=lambda _: "",
    )

    assert ok and said[-1] == "x-main is connected as @clinic."
    asked = auth.authorizations[0].query["redirect_uri"][0]
    assert asked == "http://127.0.0.1:3000/oauth/callback/x"
    assert install.store.get("x-main").account_name == "@clinic"


def test_a_state_is_bound_to_its_channels_network(server, install_for):
    x_auth(server)
    install = install_for(x_channels(server))
    started = install.connector().start("x-main", install.served.url)
    callback = browser_lands_on(started.url)

    elsewhere = browser_follows(callback.replace("/oauth/callback/x?", "/oauth/callback/reddit?"))
    here = browser_follows(callback)

    assert "started for `x-main` (x), not reddit" in elsewhere.text.replace("&#x60;", "`")
    assert "x-main is connected as @clinic" in here.text


def test_an_unreadable_token_answer_is_a_sentence_for_the_page_and_the_waiting_command(
    server, install_for
):
    x_auth(server)
    server.respond("POST", "/2/oauth2/token", lambda _: Reply(200, body="<html>proxy</html>"))
    install = install_for(x_channels(server))
    started = install.connector().start("x-main", install.served.url)

    page = browser_follows(started.url)

    assert page.status_code == 400
    told = install.connector().pending.outcome(started.state)
    assert told is not None and not told.ok and "nothing was saved" in told.sentence
    assert install.store.get("x-main") is None


def test_pasting_after_serve_already_finished_it_says_the_outcome(server, install_for):
    x_auth(server)
    install = install_for(x_channels(server))
    said: list[str] = []

    def paste(_prompt: str) -> str:
        url = next(line.strip() for line in said if line.startswith("  http"))
        return str(browser_follows(url).url)  # serve answered, and the person pastes anyway

    ok = run_connect(
        install.connector(), "x-main", say=said.append, ask=paste, ask_secret=input, paste=True
    )

    assert ok and said[-1] == "x-main is connected as @clinic."


def test_a_confidential_x_client_authenticates_with_basic_at_exchange_and_refresh(
    server, install_for, monkeypatch
):
    monkeypatch.setenv("CLEARPOST_X_MAIN_CLIENT_SECRET", "xsecret")
    auth = x_auth(server, client_secret="xsecret", client_auth="basic")
    install = install_for(x_channels(server))
    started = install.connector().start("x-main", install.served.url)

    page = browser_follows(started.url)
    config = ChannelConfig.from_settings("x-main", install.settings.channels["x-main"])
    tokens = TokenWiring(install.store, install.clock).for_channel(config)
    install.clock.advance(hours=2)

    assert "x-main is connected as @clinic" in page.text
    assert "client_id" not in auth.exchanges[0].form()  # X: Basic for a confidential client
    assert tokens.access_token() == "access-1"
    assert auth.tokens.refreshes[0].header("authorization").startswith("Basic ")
    tokens.close()
