"""Tokens kept fresh: refreshed before they expire with the rotated refresh token saved, once
after a 401 (never in a loop), a revoked token told to the approval channel at once with the fix.
X's real publisher against stand-ins of its API and of its documented token endpoint."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine

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
from tests.standins.oauth2 import TokenEndpoint

TOKEN_PATH = "/2/oauth2/token"
POSTED = Reply(201, {"data": {"id": "1790", "text": "Flu shots from Monday"}})
REFUSED = Reply(401, {"title": "Unauthorized", "detail": "Unauthorized", "status": 401})


@pytest.fixture
def server() -> Iterator[StandIn]:
    with StandIn() as standin:
        yield standin


@pytest.fixture
def store(engine: Engine, clock: FixedClock) -> SqlCredentialStore:
    return SqlCredentialStore(engine, cipher_from(new_key()), clock)


def x_channel(server: StandIn, name: str = "x-main", **options: object) -> ChannelSettings:
    return ChannelSettings(
        network="x",
        base_url=server.base_url,
        token_url=f"{server.base_url}{TOKEN_PATH}",
        client_id="cid",
        timeout_seconds=2,
        **options,
    )


def x_publisher(server, store, clock, told, environ=None, **options):
    wiring = TokenWiring(store, clock, tell=told.append)
    channels = {"x-main": x_channel(server, **options)}
    return build_publishers(channels, environ=environ or {}, tokens=wiring)["x-main"]


def connected(store: SqlCredentialStore, expires_in: timedelta, **changes) -> Credential:
    values = {
        "channel": "x-main",
        "network": "x",
        "access_token": "access-0",
        "refresh_token": "refresh-0",
        "expires_at": NOW + expires_in,
        "scopes": ("tweet.write", "users.read", "offline.access"),
        "account_id": "2244994945",
        "account_name": "@clinic",
    }
    values.update(changes)
    return store.save(Credential(**values))


def bearer(request) -> str:
    return request.header("authorization").removeprefix("Bearer ")


def test_a_token_near_its_expiry_is_refreshed_first_and_the_rotated_refresh_token_saved(
    server, store, clock
):
    tokens = TokenEndpoint(server, TOKEN_PATH, rotates=True, refresh_tokens={"refresh-0"})
    server.script("POST", "/2/tweets", POSTED)
    connected(store, expires_in=timedelta(minutes=3))  # inside the 5-minute margin
    told: list[str] = []
    publisher = x_publisher(server, store, clock, told)

    result = publisher.publish(job_for("x-main"))

    assert isinstance(result, Published)
    # Exactly X's documented refresh request: form fields, the public client's id in the form.
    assert tokens.refreshes[0].form() == {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-0",
        "client_id": "cid",
    }
    assert tokens.refreshes[0].header("content-type") == "application/x-www-form-urlencoded"
    assert bearer(server.to("POST", "/2/tweets")[0]) == "access-1"
    saved = store.get("x-main")
    assert (saved.access_token, saved.refresh_token) == ("access-1", "refresh-1")
    assert saved.expires_at == NOW + timedelta(seconds=7200)
    assert saved.account_name == "@clinic" and told == []


def test_the_next_refresh_spends_the_rotated_token_not_the_retired_one(server, store, clock):
    tokens = TokenEndpoint(server, TOKEN_PATH, rotates=True, refresh_tokens={"refresh-0"})
    server.script("POST", "/2/tweets", POSTED)
    connected(store, expires_in=timedelta(minutes=1))
    publisher = x_publisher(server, store, clock, [])

    publisher.publish(job_for("x-main"))
    clock.advance(hours=2)  # the new token is now near its end too
    second = publisher.publish(job_for("x-main"))

    assert isinstance(second, Published)
    assert [r.form()["refresh_token"] for r in tokens.refreshes] == ["refresh-0", "refresh-1"]
    assert store.get("x-main").refresh_token == "refresh-2"


def test_a_fresh_token_is_used_as_it_is_without_asking_the_token_endpoint(server, store, clock):
    tokens = TokenEndpoint(server, TOKEN_PATH, rotates=True, refresh_tokens={"refresh-0"})
    server.script("POST", "/2/tweets", POSTED)
    connected(store, expires_in=timedelta(hours=1))

    x_publisher(server, store, clock, []).publish(job_for("x-main"))

    assert tokens.refreshes == []
    assert bearer(server.to("POST", "/2/tweets")[0]) == "access-0"


def test_a_401_refreshes_once_and_the_post_goes_out_on_the_second_try(server, store, clock):
    tokens = TokenEndpoint(server, TOKEN_PATH, rotates=True, refresh_tokens={"refresh-0"})
    server.script("POST", "/2/tweets", REFUSED, POSTED)
    connected(store, expires_in=timedelta(hours=1))  # X revoked it early; our clock disagrees

    result = x_publisher(server, store, clock, []).publish(job_for("x-main"))

    assert isinstance(result, Published)
    assert len(tokens.refreshes) == 1
    assert [bearer(r) for r in server.to("POST", "/2/tweets")] == ["access-0", "access-1"]


def test_a_second_401_after_the_refresh_stands_no_loop_and_names_the_fix(server, store, clock):
    tokens = TokenEndpoint(server, TOKEN_PATH, rotates=True, refresh_tokens={"refresh-0"})
    server.script("POST", "/2/tweets", REFUSED)  # every time
    connected(store, expires_in=timedelta(hours=1))

    result = x_publisher(server, store, clock, []).publish(job_for("x-main"))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "clearpost channels connect x-main" in result.message
    assert len(tokens.refreshes) == 1
    assert len(server.to("POST", "/2/tweets")) == 2


def test_a_revoked_refresh_token_tells_the_approval_channel_once_with_the_fix(server, store, clock):
    tokens = TokenEndpoint(server, TOKEN_PATH, rotates=True, refresh_tokens=set())  # revoked
    server.script("POST", "/2/tweets", POSTED)
    connected(store, expires_in=timedelta(minutes=1))
    told: list[str] = []
    publisher = x_publisher(server, store, clock, told)

    first = publisher.publish(job_for("x-main"))
    second = publisher.publish(job_for("x-main"))

    assert isinstance(first, Failed) and first.kind == "permanent"
    assert "(invalid_grant, HTTP 400)" in first.message
    assert "run `clearpost channels connect x-main`, then Retry" in first.message
    assert second == first
    assert len(told) == 1  # at once, and not again on the next attempt
    assert "refused to renew the access token of `x-main`" in told[0]
    assert "run `clearpost channels connect x-main`" in told[0]
    assert server.to("POST", "/2/tweets") == []  # nothing sent with a dead token
    assert store.get("x-main").refresh_error == "invalid_grant"
    assert len(tokens.server.to("POST", TOKEN_PATH)) == 2  # each attempt asked; none granted


def test_a_new_connection_after_a_refusal_is_told_again_when_it_too_is_revoked(
    server, store, clock
):
    TokenEndpoint(server, TOKEN_PATH, rotates=True, refresh_tokens=set())
    connected(store, expires_in=timedelta(minutes=1))
    told: list[str] = []
    publisher = x_publisher(server, store, clock, told)
    publisher.publish(job_for("x-main"))

    connected(store, expires_in=timedelta(minutes=1), refresh_token="refresh-new")
    publisher.publish(job_for("x-main"))

    assert len(told) == 2


def test_a_confidential_client_authenticates_with_basic_as_x_documents(server, store, clock):
    tokens = TokenEndpoint(
        server,
        TOKEN_PATH,
        client_secret="csecret",
        client_auth="basic",
        rotates=True,
        refresh_tokens={"refresh-0"},
    )
    server.script("POST", "/2/tweets", POSTED)
    connected(store, expires_in=timedelta(minutes=1))
    environ = {secret_variable("x-main", "client_secret"): "csecret"}

    result = x_publisher(server, store, clock, [], environ=environ).publish(job_for("x-main"))

    assert isinstance(result, Published)
    basic = base64.b64encode(b"cid:csecret").decode()
    assert tokens.refreshes[0].header("authorization") == f"Basic {basic}"
    assert "csecret" not in tokens.refreshes[0].body.decode()


def test_an_expired_token_that_cannot_be_refreshed_is_refused_with_the_fix(server, store, clock):
    server.script("POST", "/2/tweets", POSTED)
    connected(store, expires_in=timedelta(minutes=-1), refresh_token=None)

    result = x_publisher(server, store, clock, []).publish(job_for("x-main"))

    assert isinstance(result, Failed) and result.kind == "permanent"
    assert "expired on 2026-11-25 16:59 UTC" in result.message
    assert "clearpost channels connect x-main" in result.message
    assert server.requests == []


def test_an_unreachable_token_endpoint_is_transient(server, store, clock):
    server.script("POST", TOKEN_PATH, Reply(503, {"error": "temporarily_unavailable"}))
    connected(store, expires_in=timedelta(minutes=1))

    result = x_publisher(server, store, clock, []).publish(job_for("x-main"))

    assert isinstance(result, Failed) and result.kind == "transient"
    assert "could not renew the access token of `x-main` (HTTP 503)" in result.message
    assert store.get("x-main").access_token == "access-0"  # nothing half-written


# -- the environment and the store ---------------------------------------------------------


def env_tokens(access: str | None, refresh: str | None) -> dict[str, str]:
    environ = {}
    if access:
        environ[secret_variable("x-main", "access_token")] = access
    if refresh:
        environ[secret_variable("x-main", "refresh_token")] = refresh
    return environ


def test_an_env_access_token_alone_works_as_before_and_nothing_is_stored(server, store, clock):
    server.script("POST", "/2/tweets", POSTED)

    result = x_publisher(server, store, clock, [], environ=env_tokens("env-access", None)).publish(
        job_for("x-main")
    )

    assert isinstance(result, Published)
    assert bearer(server.to("POST", "/2/tweets")[0]) == "env-access"
    assert store.get("x-main") is None


def test_an_env_refresh_token_moves_into_the_store_and_the_store_wins_after(server, store, clock):
    tokens = TokenEndpoint(server, TOKEN_PATH, rotates=True, refresh_tokens={"env-refresh"})
    server.script("POST", "/2/tweets", REFUSED, POSTED)
    environ = env_tokens("env-access", "env-refresh")
    publisher = x_publisher(server, store, clock, [], environ=environ)

    first = publisher.publish(job_for("x-main"))  # 401 with the env token, refresh, posted
    again = publisher.publish(job_for("x-main"))

    assert isinstance(first, Published) and isinstance(again, Published)
    assert [bearer(r) for r in server.to("POST", "/2/tweets")] == [
        "env-access",
        "access-1",
        "access-1",  # the stored token wins over the env variable from now on
    ]
    assert store.get("x-main").refresh_token == "refresh-1"
    assert len(tokens.refreshes) == 1


def test_a_stored_credential_wins_over_the_env_variable(server, store, clock):
    server.script("POST", "/2/tweets", POSTED)
    connected(store, expires_in=timedelta(hours=1))

    x_publisher(server, store, clock, [], environ=env_tokens("env-access", None)).publish(
        job_for("x-main")
    )

    assert bearer(server.to("POST", "/2/tweets")[0]) == "access-0"


def test_the_approval_thread_of_a_delivery_refused_for_credentials_names_the_fix(
    server, store, clock, workflow, notifier, nurse, officer
):
    from bot.commands import ProposeRequest
    from bot.dispatch import Dispatcher, DispatchPolicy
    from storage.sqlmodel_deliveries import SqlDispatchUnitOfWorkFactory
    from tests.conftest import ZONE

    TokenEndpoint(server, TOKEN_PATH, rotates=True, refresh_tokens=set())  # revoked
    connected(store, expires_in=timedelta(minutes=1))
    told: list[str] = []
    publisher = x_publisher(server, store, clock, told)
    due = NOW + timedelta(minutes=30)
    post = workflow.propose(ProposeRequest(("x-main",), due, "Flu shots from Monday"), by=nurse)
    workflow.approve(post.id, officer)
    dispatcher = Dispatcher(
        uow=SqlDispatchUnitOfWorkFactory(store.engine),
        publishers={"x-main": publisher},
        clock=clock,
        tell=workflow.tell,
        zone=ZONE,
        policy=DispatchPolicy(),
    )
    clock.advance(minutes=30)

    dispatcher.dispatch_due()
    dispatcher.shutdown(timeout=5)

    last = notifier.thread_replies(post.id)[-1]
    assert "run `clearpost channels connect x-main`" in last
    assert server.to("POST", "/2/tweets") == []
