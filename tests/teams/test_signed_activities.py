"""Teams with authentication, tested end to end rather than only local mode: activities signed
the way the Bot Framework signs them (a key pair of our own, published by a local OpenID
metadata stand-in that `[teams_cloud]` points botbuilder's own validation at) are accepted;
expired, wrong-audience, wrong-issuer, wrong-service-URL, unendorsed, tampered and unsigned
ones are refused with 401."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.standins.entra import ISSUER, KID, EntraStandIn
from tests.teams.harness import served_teams

APP_ID = "00000000-0000-0000-0000-0000000000cc"
SERVICE_URL = "http://127.0.0.1:9/"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def entra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EntraStandIn]:
    with EntraStandIn(tmp_path, APP_ID, secret="secret", signing_key=KEY) as standin:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(standin.ca_file))
        yield standin


@pytest.fixture
def served(tmp_path: Path, entra: EntraStandIn) -> Iterator[Any]:
    # botbuilder's own validation, pointed by `[teams_cloud]` at the stand-in's keys and issuer.
    cloud = {"openid_metadata_url": entra.metadata_url, "token_issuer": ISSUER}
    with served_teams(
        tmp_path,
        teams_app_id=APP_ID,
        teams_app_password="secret",
        teams_app_type="MultiTenant",
        teams_cloud=cloud,
    ) as teams:
        yield teams


def token(key: Any = KEY, algorithm: str = "RS256", **claims: Any) -> str:
    payload = {
        "iss": ISSUER,
        "aud": APP_ID,
        "exp": int(time.time()) + 600,
        "nbf": int(time.time()) - 10,
        "serviceurl": SERVICE_URL,
        **claims,
    }
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": KID})


def activity(channel: str = "msteams") -> dict[str, Any]:
    """A conversation update that needs no answer (someone else joined a chat)."""
    return {
        "type": "conversationUpdate",
        "id": f"act-{time.time_ns()}",
        "channelId": channel,
        "serviceUrl": SERVICE_URL,
        "from": {"id": "29:nurse", "aadObjectId": "aad-nurse"},
        "recipient": {"id": "28:clearpost"},
        "conversation": {"id": "a:personal", "conversationType": "personal"},
        "membersAdded": [{"id": "29:someone-else"}],
    }


def post(served: Any, bearer: str, channel: str = "msteams") -> httpx.Response:
    headers = {"Authorization": f"Bearer {bearer}"}
    return httpx.post(served.url, json=activity(channel), headers=headers, timeout=10)


def test_an_activity_signed_like_the_bot_framework_signs_it_is_accepted(served):
    assert post(served, token()).status_code == 202


def tampered() -> str:
    head, payload, signature = token().split(".")
    other = token(aud=APP_ID, serviceurl="http://127.0.0.1:9/x").split(".")[1]
    return ".".join((head, other, signature)) if other != payload else "x"


@pytest.mark.parametrize(
    ("bearer", "channel"),
    [
        (lambda: token(exp=int(time.time()) - 3600), "msteams"),  # expired
        (lambda: token(aud="someone-else"), "msteams"),  # for another bot
        (lambda: token(iss="https://issuer.example"), "msteams"),  # not the Bot Framework
        (lambda: token(serviceurl="http://127.0.0.1:10/"), "msteams"),  # another service URL
        (lambda: token(key=OTHER_KEY), "msteams"),  # signed by a key nobody published
        (tampered, "msteams"),  # claims changed after signing
        (lambda: token(key=None, algorithm="none"), "msteams"),  # unsigned
        (token, "webchat"),  # a channel the key is not endorsed for
    ],
    ids=[
        "expired",
        "wrong-audience",
        "wrong-issuer",
        "wrong-service-url",
        "unknown-key",
        "tampered",
        "unsigned",
        "unendorsed-channel",
    ],
)
def test_anything_else_is_refused_with_401(served, bearer, channel):
    assert post(served, bearer(), channel).status_code == 401
