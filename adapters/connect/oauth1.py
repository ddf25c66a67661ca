"""OAuth 1.0a three-legged (RFC 5849 §2) for Tumblr and Plurk: a request token bound to our
callback, the person authorizes it, the verifier turns it into an access token and secret.
Signed with oauthlib (HMAC-SHA1), as the publishers sign their calls.
"""

from __future__ import annotations

from collections.abc import Generator
from urllib.parse import parse_qsl, urlencode

import httpx
import oauthlib.oauth1

from adapters.connect.networks import OAUTH1, OAuth1Network
from adapters.connect.oauth2 import ConnectRefused, http
from adapters.connect.pending import Pending
from adapters.publishers.base import ChannelConfig, OAuth1Signer
from storage.credentials import Credential


class _Signed(httpx.Auth):
    """One OAuth 1.0a request of the token dance: a callback, a token, a verifier as needed."""

    def __init__(self, config: ChannelConfig, **fields: str | None) -> None:
        key, secret = _consumer(config)
        self._client = oauthlib.oauth1.Client(
            key,
            client_secret=secret,
            resource_owner_key=fields.get("token"),
            resource_owner_secret=fields.get("token_secret"),
            callback_uri=fields.get("callback"),
            verifier=fields.get("verifier"),
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        _, signed, _ = self._client.sign(str(request.url), request.method)
        request.headers["Authorization"] = signed["Authorization"]
        yield request


def _consumer(config: ChannelConfig) -> tuple[str, str]:
    if config.network == "plurk":
        return config.secret("app_key", "Plurk app key"), config.secret(
            "app_secret", "Plurk app secret"
        )
    return config.secret("consumer_key", "Tumblr consumer key"), config.secret(
        "consumer_secret", "Tumblr consumer secret"
    )


def _url(config: ChannelConfig, spec: OAuth1Network, step: int) -> str:
    return (config.option("oauth_url") or spec.oauth_url).rstrip("/") + spec.paths[step]


def _form(config: ChannelConfig, answer: httpx.Response, step: str) -> dict[str, str]:
    fields = dict(parse_qsl(answer.text)) if answer.is_success else {}
    if not fields.get("oauth_token") or not fields.get("oauth_token_secret"):
        raise ConnectRefused(
            f"{config.label} refused the {step} for `{config.name}` (HTTP {answer.status_code}), "
            "so nothing was saved; check the channel's consumer key and secret and its "
            "registered callback URL, then try again."
        )
    return fields


def request_token(
    config: ChannelConfig, callback: str, transport: httpx.BaseTransport | None
) -> tuple[str, str, str]:
    """(request token, its secret, the URL the person opens to authorize it)."""
    spec = OAUTH1[config.network]
    with http(config, transport) as client:
        try:
            answer = client.post(_url(config, spec, 0), auth=_Signed(config, callback=callback))
        except httpx.HTTPError as exc:
            raise ConnectRefused(
                f"{config.label} could not be reached ({type(exc).__name__}); try again."
            ) from None
    fields = _form(config, answer, "request token")
    token = fields["oauth_token"]
    return (
        token,
        fields["oauth_token_secret"],
        f"{_url(config, spec, 1)}?{urlencode({'oauth_token': token})}",
    )


def credential_for(
    config: ChannelConfig,
    pending: Pending,
    verifier: str,
    transport: httpx.BaseTransport | None = None,
) -> Credential:
    spec = OAUTH1[config.network]
    with http(config, transport) as client:
        try:
            answer = client.post(
                _url(config, spec, 2),
                auth=_Signed(
                    config,
                    token=pending.state,
                    token_secret=pending.token_secret,
                    verifier=verifier,
                ),
            )
            fields = _form(config, answer, "access token")
            key, secret = _consumer(config)
            signer = OAuth1Signer(key, secret, fields["oauth_token"], fields["oauth_token_secret"])
            api = config.base_url(spec.api_url)
            who = client.get(api + spec.identity_path, auth=signer)
            body = who.json() if who.is_success else None
        except httpx.HTTPError as exc:
            raise ConnectRefused(
                f"{config.label} could not be reached ({type(exc).__name__}), so `{config.name}` "
                "was not connected; try again."
            ) from None
        except ValueError:
            body = None
    try:
        if config.network == "tumblr":
            user = body["response"]["user"]  # type: ignore[index]
            account_id, name = str(user["name"]), str(user["name"])
        else:
            account_id, name = str(body["id"]), str(body.get("nick_name") or body["id"])  # type: ignore[index,union-attr]
    except (KeyError, TypeError):
        raise ConnectRefused(
            f"{config.label} did not say whose account `{config.name}` was authorized for "
            f"(HTTP {who.status_code}), so nothing was saved; try again."
        ) from None
    return Credential(
        channel=config.name,
        network=config.network,
        access_token=fields["oauth_token"],
        token_secret=fields["oauth_token_secret"],
        account_id=account_id,
        account_name=name,
        kind="oauth1",
    )
