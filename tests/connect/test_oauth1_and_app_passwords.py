"""Tumblr's and Plurk's three-legged OAuth 1.0a (request token bound to our callback, the person
authorizes, the verifier turns it into an access token; every step signed and checked by the
stand-in), the callback served by Clearpost; Bluesky's app password (createSession) and
WordPress's application password (users/me), asked without echo and checked before saving."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import pytest

from adapters.cli_connect import run_connect
from adapters.credentials.provider import TokenWiring
from adapters.publishers.registry import build_publishers
from tests.connect.conftest import browser_follows
from tests.standins.networks import Recorded, Reply
from tests.standins.oauth1 import oauth_params, signed_correctly


def publisher_of(install, channel: str):
    """The channel's real publisher as `serve` builds it: tokens from the store."""
    wiring = TokenWiring(install.store, install.clock)
    return build_publishers(install.settings.channels, tokens=wiring)[channel]


class OAuth1Server:
    """The three OAuth 1.0a endpoints under `prefix` and one signed identity call, on a
    stand-in; every request's HMAC-SHA1 signature is recomputed and checked (RFC 5849)."""

    def __init__(self, server, prefix: str, identity: str, who: dict) -> None:
        self.server = server
        self.who = who
        self.callbacks: dict[str, str] = {}
        server.respond("POST", f"{prefix}/request_token", self.request_token)
        server.respond("GET", f"{prefix}/authorize", self.authorize)
        server.respond("POST", f"{prefix}/access_token", self.access_token)
        server.respond("GET", identity, self.identity)

    def request_token(self, request: Recorded) -> Reply:
        if not signed_correctly(request, self.server.base_url, "cs", ""):
            return Reply(401, body="oauth_signature does not match")
        self.callbacks["rt"] = oauth_params(request)["oauth_callback"]
        answer = "oauth_token=rt&oauth_token_secret=rts&oauth_callback_confirmed=true"
        return Reply(200, body=answer)

    def authorize(self, request: Recorded) -> Reply:
        token = request.query["oauth_token"][0]
        answer = urlencode({"oauth_token": token, "oauth_verifier": "v1"})
        return Reply(302, headers={"Location": f"{self.callbacks[token]}?{answer}"})

    def access_token(self, request: Recorded) -> Reply:
        params = oauth_params(request)
        good = signed_correctly(request, self.server.base_url, "cs", "rts")
        if not good or params.get("oauth_token") != "rt" or params.get("oauth_verifier") != "v1":
            return Reply(401, body="oauth_problem=token_rejected")
        return Reply(200, body="oauth_token=at&oauth_token_secret=ats")

    def identity(self, request: Recorded) -> Reply:
        if not signed_correctly(request, self.server.base_url, "cs", "ats"):
            return Reply(401, {"error": "Unauthorized"})
        return Reply(200, self.who)


def test_connect_tumblr_with_oauth1_through_serve(server, install_for, monkeypatch):
    monkeypatch.setenv("CLEARPOST_TUMBLR_MAIN_CONSUMER_KEY", "ck")
    monkeypatch.setenv("CLEARPOST_TUMBLR_MAIN_CONSUMER_SECRET", "cs")
    tumblr = OAuth1Server(
        server, "/oauth", "/v2/user/info", {"response": {"user": {"name": "clinic"}}}
    )
    install = install_for(
        {
            "tumblr-main": {
                "network": "tumblr",
                "blog": "clinic",
                "base_url": server.base_url,
                "oauth_url": server.base_url,
            }
        }
    )
    started = install.connector().start("tumblr-main", install.served.url)

    page = browser_follows(started.url)
    replayed = browser_follows(
        f"{install.served.url}/oauth/callback/tumblr?oauth_token=rt&oauth_verifier=v1"
    )

    assert "tumblr-main is connected as clinic" in page.text
    assert tumblr.callbacks["rt"] == f"{install.served.url}/oauth/callback/tumblr"
    stored = install.store.get("tumblr-main")
    assert (stored.access_token, stored.token_secret, stored.kind) == ("at", "ats", "oauth1")
    assert "already used" in replayed.text
    assert len(server.to("POST", "/oauth/access_token")) == 1
    # The Tumblr publisher now signs with the stored token: no OAUTH_TOKEN variable is set.
    assert publisher_of(install, "tumblr-main").check() == "clinic, posting to clinic"


def test_connect_plurk_with_oauth1(server, install_for, monkeypatch):
    monkeypatch.setenv("CLEARPOST_PLURK_MAIN_APP_KEY", "ck")
    monkeypatch.setenv("CLEARPOST_PLURK_MAIN_APP_SECRET", "cs")
    OAuth1Server(server, "/OAuth", "/APP/Users/me", {"id": 5871, "nick_name": "clinic"})
    install = install_for(
        {
            "plurk-main": {
                "network": "plurk",
                "base_url": server.base_url,
                "oauth_url": server.base_url,
            }
        }
    )

    page = browser_follows(install.connector().start("plurk-main", install.served.url).url)

    assert "plurk-main is connected as clinic" in page.text
    stored = install.store.get("plurk-main")
    assert (stored.access_token, stored.token_secret, stored.account_id) == ("at", "ats", "5871")


def test_a_wordpress_application_password_is_checked_with_users_me(server, install_for):
    server.script("GET", "/wp-json/wp/v2/users/me", Reply(200, {"id": 7, "name": "Clinic Editor"}))
    install = install_for(
        {"blog": {"network": "wordpress", "base_url": server.base_url, "username": "editor"}}
    )

    ok = run_connect(
        install.connector(),
        "blog",
        say=lambda _: None,
        ask=input,
        ask_secret=lambda _: "abcd efgh ijkl mnop",
    )

    asked = server.to("GET", "/wp-json/wp/v2/users/me")[0]
    assert ok and asked.query["context"] == ["edit"]
    assert asked.header("authorization") == "Basic " + base64.b64encode(
        b"editor:abcd efgh ijkl mnop"
    ).decode("ascii")
    assert install.store.get("blog").account_name == f"Clinic Editor on {server.base_url}"


def bluesky_install(server, install_for):
    return install_for(
        {
            "bluesky-main": {
                "network": "bluesky",
                "handle": "clinic.bsky.social",
                "base_url": server.base_url,
            }
        }
    )


def test_a_bluesky_app_password_is_asked_without_echo_checked_and_saved(server, install_for):
    server.script(
        "POST",
        "/xrpc/com.atproto.server.createSession",
        Reply(200, {"did": "did:plc:abc", "handle": "clinic.bsky.social", "accessJwt": "j"}),
    )
    install = bluesky_install(server, install_for)
    said, prompts = [], []

    ok = run_connect(
        install.connector(),
        "bluesky-main",
        say=said.append,
        ask=lambda _: pytest.fail("an app password must not be asked with an echoing prompt"),
        ask_secret=lambda prompt: prompts.append(prompt) or "abcd-efgh-ijkl-mnop",
    )

    assert ok and said == ["bluesky-main is connected as @clinic.bsky.social."]
    assert "not shown" in prompts[0]
    sent = server.to("POST", "/xrpc/com.atproto.server.createSession")[0].json()
    assert sent == {"identifier": "clinic.bsky.social", "password": "abcd-efgh-ijkl-mnop"}
    stored = install.store.get("bluesky-main")
    assert (stored.access_token, stored.account_id, stored.kind) == (
        "abcd-efgh-ijkl-mnop",
        "did:plc:abc",
        "app_password",
    )
    # The Bluesky publisher signs in with the stored app password (no variable set).
    assert publisher_of(install, "bluesky-main").check() == "@clinic.bsky.social (did:plc:abc)"
    assert server.to("POST", "/xrpc/com.atproto.server.createSession")[-1].json() == sent


def test_a_refused_app_password_saves_nothing(server, install_for):
    server.script(
        "POST",
        "/xrpc/com.atproto.server.createSession",
        Reply(
            401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
        ),
    )
    install = bluesky_install(server, install_for)

    with pytest.raises(
        Exception, match="refused that app password for `bluesky-main` \\(HTTP 401\\)"
    ):
        run_connect(
            install.connector(), "bluesky-main", say=print, ask=input, ask_secret=lambda _: "wrong"
        )

    assert install.store.get("bluesky-main") is None
