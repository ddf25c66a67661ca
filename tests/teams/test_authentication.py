"""Teams with an app id: a request without a token for this bot is refused before its body is
read, bodies are bounded, and a token botbuilder cannot validate is a 401, never a 500. (A token
signed by an unpublished key: test_signed_activities.py; signing keys that cannot be fetched are
a 503: test_signing_keys.py.)"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt
import pytest
from botframework.connector.auth import jwt_token_extractor
from cryptography.hazmat.primitives.asymmetric import rsa

from adapters.teams.app import MAX_ACTIVITY_BYTES
from tests.teams.harness import served_teams

APP_ID = "00000000-0000-0000-0000-0000000000bb"
ISSUER = "https://api.botframework.com"
ACTIVITY = {
    "type": "message",
    "id": "1",
    "channelId": "msteams",
    "serviceUrl": "http://127.0.0.1:9/",
    "from": {"id": "u", "aadObjectId": "aad-u"},
    "conversation": {"id": "c"},
    "text": "help",
}


@pytest.fixture
def served(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    # Nothing from here may reach the real Bot Framework, and no key may outlive the test.
    monkeypatch.setattr(jwt_token_extractor.JwtTokenExtractor, "metadataCache", {})
    with served_teams(
        tmp_path, teams_app_id=APP_ID, teams_app_password="secret", teams_app_type="MultiTenant"
    ) as teams:
        yield teams


def token(**claims: Any) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    payload = {"iss": ISSUER, "aud": APP_ID, "exp": int(time.time()) + 600, **claims}
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": "not-a-published-key"})


def test_without_a_token_a_25_mib_body_is_refused_before_it_is_sent(served):
    address = urlsplit(served.url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as conn:
        conn.sendall(
            b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n{" % (25 * 1024 * 1024)
        )
        started = time.monotonic()
        answer = conn.recv(200)  # the rest of the body is never sent

    assert answer.startswith(b"HTTP/1.1 401"), answer
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "Bearer",
        "Bearer garbage",
        "Basic dXNlcjpwYXNz",
        "Bearer " + "a" * 8_000,
        "Bearer " + jwt.encode({"aud": APP_ID}, "k" * 32, algorithm="HS256"),  # no expiry
    ],
)
def test_no_or_garbage_token_is_401(served, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    response = httpx.post(served.url, json=ACTIVITY, headers=headers, timeout=10)

    assert response.status_code == 401


@pytest.mark.parametrize(
    "claims",
    [{"aud": "someone-else"}, {"exp": int(time.time()) - 3600}],
)
def test_a_token_for_another_bot_or_expired_is_refused_unread(served, claims):
    huge = "x" * (20 * 1024 * 1024)
    response = httpx.post(
        served.url,
        content=huge,
        headers={"Authorization": f"Bearer {token(**claims)}", "Content-Type": "application/json"},
        timeout=10,
    )

    assert response.status_code == 401


def test_a_body_bigger_than_teams_sends_is_413(served):
    response = httpx.post(
        served.url,
        content=b"{" + b" " * MAX_ACTIVITY_BYTES + b"}",
        headers={"Authorization": f"Bearer {token()}", "Content-Type": "application/json"},
        timeout=10,
    )

    assert response.status_code == 413


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ({"teams_app_password": None}, "MicrosoftAppPassword: required with MicrosoftAppId"),
        ({"teams_app_type": "SingleTenant"}, "MicrosoftAppTenantId: required for a SingleTenant"),
    ],
)
def test_an_app_that_cannot_authenticate_stops_start_with_a_sentence(tmp_path, settings, said):
    options = {"teams_app_password": "secret", "teams_app_type": "MultiTenant", **settings}

    with (
        pytest.raises(SystemExit, match=said),
        served_teams(tmp_path, teams_app_id=APP_ID, **options),
    ):
        pass
