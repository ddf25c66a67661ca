"""Bluesky and WordPress accounts connect with an app password the person types at a prompt
(never echoed); it is checked against the network before it is saved.

- Bluesky: POST /xrpc/com.atproto.server.createSession {identifier, password} answers the
  account's `did` and `handle` (docs.bsky.app, com.atproto.server.createSession).
- WordPress: GET /wp-json/wp/v2/users/me?context=edit with HTTP Basic (user, application
  password) answers the user (developer.wordpress.org/rest-api/reference/users/#retrieve-a-user-2).
"""

from __future__ import annotations

import httpx

from adapters.connect.oauth2 import ConnectRefused, http
from adapters.publishers.base import ChannelConfig
from adapters.publishers.bluesky import BlueskyPublisher
from storage.credentials import Credential


def credential_for(
    config: ChannelConfig, password: str, transport: httpx.BaseTransport | None = None
) -> Credential:
    password = password.strip()
    if not password:
        raise ConnectRefused(f"No app password was entered, so `{config.name}` was not connected.")
    with http(config, transport) as client:
        try:
            if config.network == "bluesky":
                account_id, name = _bluesky(config, client, password)
            else:
                account_id, name = _wordpress(config, client, password)
        except httpx.HTTPError as exc:
            raise ConnectRefused(
                f"{config.label} could not be reached ({type(exc).__name__}), so `{config.name}` "
                "was not connected; try again."
            ) from None
    return Credential(
        channel=config.name,
        network=config.network,
        access_token=password,
        account_id=account_id,
        account_name=name,
        kind="app_password",
    )


def _refused(config: ChannelConfig, status: int) -> ConnectRefused:
    return ConnectRefused(
        f"{config.label} refused that app password for `{config.name}` (HTTP {status}), so "
        "nothing was saved; create a new app password for the account and try again."
    )


def _bluesky(config: ChannelConfig, client: httpx.Client, password: str) -> tuple[str, str]:
    handle = config.require("handle", "clinic.bsky.social")
    base = config.base_url(BlueskyPublisher.default_base_url)
    answer = client.post(
        f"{base}/xrpc/com.atproto.server.createSession",
        json={"identifier": handle, "password": password},
    )
    body = answer.json() if answer.is_success else None
    if not isinstance(body, dict) or not body.get("did"):
        raise _refused(config, answer.status_code)
    return str(body["did"]), f"@{body.get('handle') or handle}"


def _wordpress(config: ChannelConfig, client: httpx.Client, password: str) -> tuple[str, str]:
    base = config.require("base_url", "https://blog.clinic.example").rstrip("/")
    user = config.require("username", "clearpost")
    answer = client.get(
        f"{base}/wp-json/wp/v2/users/me",
        params={"context": "edit"},
        auth=httpx.BasicAuth(user, password),
    )
    body = answer.json() if answer.is_success else None
    if not isinstance(body, dict) or "id" not in body:
        raise _refused(config, answer.status_code)
    return str(body["id"]), f"{body.get('name') or user} on {base}"
