"""The OAuth 2.0 authorization-code flow (adapters/connect/networks.py says each network's
endpoints): the authorization URL, the code exchanged for tokens, the account's identity, and
the Credential to save. Requests are built and answers read with oauthlib, like the refresh in
adapters/credentials/provider.py; each step's refusal is one ConnectRefused sentence, raised
before anything is saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from oauthlib.common import add_params_to_uri
from oauthlib.oauth2 import OAuth2Error, WebApplicationClient
from oauthlib.oauth2.rfc6749.parameters import parse_token_response

from adapters.connect.networks import OAUTH2, OAuth2Network
from adapters.connect.pending import Pending
from adapters.credentials.provider import expiry_after
from adapters.publishers.base import ChannelConfig
from adapters.publishers.reddit import USER_AGENT as REDDIT_USER_AGENT
from adapters.publishers.versions import GRAPH
from bot.errors import ClearpostError
from storage.credentials import Credential


class ConnectRefused(ClearpostError):
    """A step of connecting failed; nothing was saved. str() says what and what to do."""


@dataclass(frozen=True)
class Endpoints:
    """One channel's endpoints: the documented ones, or its options' stand-ins."""

    authorize: str
    token: str
    api: str


def endpoints(config: ChannelConfig, spec: OAuth2Network) -> Endpoints:
    instance = config.base_url(spec.api_url)
    version = config.option("graph_version", GRAPH.version) or GRAPH.version

    def fill(url: str) -> str:
        return url.format(instance=instance, version=version)

    return Endpoints(
        config.option("authorize_url") or fill(spec.authorize_url),
        config.option("token_url") or fill(spec.token_url),
        instance,
    )


def scopes_for(config: ChannelConfig, spec: OAuth2Network) -> tuple[str, ...]:
    asked = config.option("scopes")
    if asked:
        return tuple(asked.replace(",", " ").split())
    if spec.network == "linkedin" and not config.option("organization_id"):
        return ("openid", "profile", "w_member_social")  # posting as the member
    return spec.scopes


def needed_scopes(config: ChannelConfig, spec: OAuth2Network) -> tuple[str, ...]:
    if spec.network == "linkedin" and not config.option("organization_id"):
        return ("w_member_social",)
    return spec.needed


def client_id(config: ChannelConfig, pending: Pending | None = None) -> str:
    if pending is not None and pending.client_id:
        return pending.client_id
    return config.option("client_id") or config.secret(
        "client_id", f"{config.label} OAuth client id"
    )


def client_secret(config: ChannelConfig, pending: Pending | None = None) -> str | None:
    if pending is not None and pending.client_secret:
        return pending.client_secret
    return config.secret("client_secret") if config.has_secret("client_secret") else None


def http(config: ChannelConfig, transport: httpx.BaseTransport | None) -> httpx.Client:
    agent = config.option("user_agent") or (
        REDDIT_USER_AGENT if config.network == "reddit" else "Clearpost"
    )
    return httpx.Client(
        timeout=httpx.Timeout(10.0, connect=5.0),
        follow_redirects=False,
        transport=transport,
        headers={"User-Agent": agent},
    )


# -- step 1: the authorization URL ---------------------------------------------------------------


def register_mastodon_app(
    config: ChannelConfig, client: httpx.Client, redirect_uri: str, scopes: tuple[str, ...]
) -> tuple[str, str]:
    """POST /api/v1/apps on the instance (docs.joinmastodon.org/methods/apps): its client id and
    secret, registered for this redirect URI and these scopes."""
    url = config.base_url(OAUTH2["mastodon"].api_url) + "/api/v1/apps"
    form = {
        "client_name": config.option("client_name", "Clearpost") or "Clearpost",
        "redirect_uris": redirect_uri,
        "scopes": " ".join(scopes),
        "website": config.option("website", "") or "",
    }
    try:
        answer = client.post(url, data={k: v for k, v in form.items() if v})
        body = answer.json() if answer.is_success else None
    except (httpx.HTTPError, ValueError):
        body = None
    if not isinstance(body, dict) or not body.get("client_id") or not body.get("client_secret"):
        raise ConnectRefused(
            f"The Mastodon instance at {config.base_url('')} did not register Clearpost as an "
            f"app for `{config.name}`; check the channel's base_url, then try again."
        )
    return str(body["client_id"]), str(body["client_secret"])


def authorization_url(
    config: ChannelConfig, spec: OAuth2Network, pending: Pending, scopes: tuple[str, ...]
) -> str:
    oauth = WebApplicationClient(client_id(config, pending))
    params: list[tuple[str, str]] = [
        ("response_type", "code"),
        ("client_id", oauth.client_id),
        ("redirect_uri", pending.redirect_uri),
        ("scope", " ".join(scopes)),
        ("state", pending.state),
        *spec.extra.items(),
    ]
    if pending.code_verifier:
        challenge = oauth.create_code_challenge(pending.code_verifier, "S256")
        params += [("code_challenge", challenge), ("code_challenge_method", "S256")]
    # oauthlib's prepare_request_uri refuses plain http, which a stand-in on 127.0.0.1 is.
    return str(add_params_to_uri(endpoints(config, spec).authorize, params))


def new_verifier() -> str:
    return str(WebApplicationClient("").create_code_verifier(64))


# -- step 2: the code for tokens -----------------------------------------------------------------


def exchange(
    config: ChannelConfig, spec: OAuth2Network, pending: Pending, code: str, client: httpx.Client
) -> dict[str, Any]:
    """The token endpoint's grant for this code, or ConnectRefused with its error."""
    cid, secret = client_id(config, pending), client_secret(config, pending)
    url = endpoints(config, spec).token
    oauth = WebApplicationClient(cid)
    basic = spec.client_auth == "basic" or (spec.client_auth == "basic_if_secret" and secret)
    fields: dict[str, Any] = (
        {"code_verifier": pending.code_verifier} if pending.code_verifier else {}
    )
    if not basic and secret is not None:
        fields["client_secret"] = secret
    body = oauth.prepare_request_body(
        code=code, redirect_uri=pending.redirect_uri, include_client_id=not basic, **fields
    )
    try:
        if spec.client_auth == "query":  # Graph documents a GET with the fields in the query
            answer = client.get(url, params=httpx.QueryParams(body))
        else:
            auth = httpx.BasicAuth(cid, secret or "") if basic else httpx.USE_CLIENT_DEFAULT
            answer = client.post(
                url,
                content=body,
                auth=auth,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
    except httpx.HTTPError as exc:
        raise ConnectRefused(
            f"{config.label}'s token endpoint could not be reached ({type(exc).__name__}), so "
            f"`{config.name}` was not connected; try again."
        ) from None
    return grant_of(config, answer)


def grant_of(config: ChannelConfig, answer: httpx.Response) -> dict[str, Any]:
    try:
        token = dict(parse_token_response(answer.text))
    except OAuth2Error as error:
        raise ConnectRefused(
            f"{config.label} refused the authorization code for `{config.name}` "
            f"({error.error}, HTTP {answer.status_code}), so nothing was saved. Run "
            f"`clearpost channels connect {config.name}` again."
        ) from None
    except (ValueError, Warning, KeyError):
        token = {}
    if not answer.is_success or not token.get("access_token"):
        raise ConnectRefused(
            f"{config.label}'s token endpoint answered HTTP {answer.status_code} without a token "
            f"for `{config.name}`, so nothing was saved; check the channel's client id and "
            "secret, then try again."
        )
    return token


def granted_scopes(token: dict[str, Any], asked: tuple[str, ...]) -> tuple[str, ...]:
    scope = token.get("scope")
    if scope is None:
        return asked  # RFC 6749 §5.1: omitted means as asked
    if isinstance(scope, list | tuple):
        return tuple(str(s) for s in scope)
    return tuple(re.split(r"[\s,]+", str(scope).strip()))


def check_scopes(config: ChannelConfig, granted: tuple[str, ...], needed: tuple[str, ...]) -> None:
    missing = [s for s in needed if s not in granted]
    if missing:
        raise ConnectRefused(
            f"`{config.name}` was authorized without {', '.join(missing)}, which Clearpost needs "
            f"to post to {config.label}, so nothing was saved. Run `clearpost channels connect "
            f"{config.name}` again and leave every permission ticked."
        )


# -- step 3: who the account is ------------------------------------------------------------------

Identity = tuple[str, str]  # account id, the name people know it by


def _get(config: ChannelConfig, client: httpx.Client, url: str, token: str, **params: str) -> Any:
    try:
        answer = client.get(url, params=params, headers={"Authorization": f"Bearer {token}"})
        body = answer.json() if answer.is_success else None
    except (httpx.HTTPError, ValueError):
        body, answer = None, None
    if body is None:
        status = f"HTTP {answer.status_code}" if answer is not None else "no answer"
        raise ConnectRefused(
            f"{config.label} did not say whose account `{config.name}` was authorized for "
            f"({status}), so nothing was saved; try `clearpost channels connect {config.name}` "
            "again."
        )
    return body


def _identity_x(config: ChannelConfig, c: httpx.Client, api: str, token: str) -> Identity:
    data = _get(config, c, f"{api}/2/users/me", token).get("data") or {}
    return str(data["id"]), f"@{data['username']}"


def _identity_linkedin(config: ChannelConfig, c: httpx.Client, api: str, token: str) -> Identity:
    body = _get(config, c, f"{api}/v2/userinfo", token)
    return str(body["sub"]), str(body.get("name") or body["sub"])


def _identity_youtube(config: ChannelConfig, c: httpx.Client, api: str, token: str) -> Identity:
    body = _get(config, c, f"{api}/youtube/v3/channels", token, part="snippet", mine="true")
    item = body["items"][0]
    return str(item["id"]), str(item["snippet"]["title"])


def _identity_reddit(config: ChannelConfig, c: httpx.Client, api: str, token: str) -> Identity:
    body = _get(config, c, f"{api}/api/v1/me", token)
    return str(body.get("id") or body["name"]), f"u/{body['name']}"


def _identity_mastodon(config: ChannelConfig, c: httpx.Client, api: str, token: str) -> Identity:
    body = _get(config, c, f"{api}/api/v1/accounts/verify_credentials", token)
    return str(body["id"]), f"@{body['acct']}"


IDENTITY: dict[str, Callable[[ChannelConfig, httpx.Client, str, str], Identity]] = {
    "x": _identity_x,
    "linkedin": _identity_linkedin,
    "youtube": _identity_youtube,
    "reddit": _identity_reddit,
    "mastodon": _identity_mastodon,
}


def page_credential(
    config: ChannelConfig, spec: OAuth2Network, pending: Pending, token: str, c: httpx.Client
) -> tuple[str, Identity]:
    """Facebook Login's user token -> a long-lived user token -> the Page's token (which then
    does not expire) and, for Instagram, the Page's Instagram business account."""
    ends = endpoints(config, spec)
    answer = c.get(
        ends.token,
        params={
            "grant_type": "fb_exchange_token",
            "client_id": client_id(config),
            "client_secret": client_secret(config) or "",
            "fb_exchange_token": token,
        },
    )
    long_lived = grant_of(config, answer)["access_token"]
    version = config.option("graph_version", GRAPH.version)
    fields = "id,name,access_token,instagram_business_account{id,username}"
    pages = _get(config, c, f"{ends.api}/{version}/me/accounts", long_lived, fields=fields)
    wanted = config.option("page_id")
    found = [p for p in pages.get("data") or [] if not wanted or str(p.get("id")) == wanted]
    if len(found) != 1 or not found[0].get("access_token"):
        names = ", ".join(f"{p.get('name')} ({p.get('id')})" for p in pages.get("data") or [])
        raise ConnectRefused(
            f"`{config.name}` needs one Facebook Page, but the authorization gave "
            f"{names or 'none'}; set the channel's page_id to one of them (and grant it), then "
            f"run `clearpost channels connect {config.name}` again. Nothing was saved."
        )
    page = found[0]
    if config.network == "instagram":
        account = page.get("instagram_business_account") or {}
        if not account.get("id"):
            raise ConnectRefused(
                f"The Page {page.get('name')} has no Instagram professional account linked, so "
                f"`{config.name}` cannot post to Instagram; link one in the Page's settings, "
                "then connect again. Nothing was saved."
            )
        name = f"@{account['username']}" if account.get("username") else str(account["id"])
        return str(page["access_token"]), (str(account["id"]), name)
    return str(page["access_token"]), (str(page["id"]), str(page.get("name") or page["id"]))


def credential_for(
    config: ChannelConfig,
    pending: Pending,
    code: str,
    now: datetime,
    transport: httpx.BaseTransport | None = None,
) -> Credential:
    """Exchange, check the scopes, ask who it is: the Credential to save, or ConnectRefused."""
    spec = OAUTH2[config.network]
    asked = tuple(pending.extra.get("scopes", "").split()) or scopes_for(config, spec)
    with http(config, transport) as client:
        token = exchange(config, spec, pending, code, client)
        granted = granted_scopes(token, asked)
        check_scopes(config, granted, needed_scopes(config, spec))
        access = str(token["access_token"])
        expires_at = expiry_after(now, token.get("expires_in"))
        try:
            if config.network in ("facebook", "instagram"):
                access, (account_id, name) = page_credential(config, spec, pending, access, client)
                expires_at = None  # a Page token from a long-lived user token does not expire
            else:
                api = endpoints(config, spec).api
                account_id, name = IDENTITY[config.network](config, client, api, access)
        except (KeyError, IndexError, TypeError, AttributeError):
            raise ConnectRefused(
                f"{config.label}'s answer about the account of `{config.name}` could not be "
                "read, so nothing was saved; try again."
            ) from None
        except httpx.HTTPError as exc:
            raise ConnectRefused(
                f"{config.label} could not be reached to name the account of `{config.name}` "
                f"({type(exc).__name__}), so nothing was saved; try again."
            ) from None
    return Credential(
        channel=config.name,
        network=config.network,
        access_token=access,
        refresh_token=token.get("refresh_token"),
        expires_at=expires_at,
        refresh_expires_at=expiry_after(now, token.get("refresh_token_expires_in")),
        scopes=granted,
        account_id=account_id,
        account_name=name,
        token_url=config.option("token_url"),
        kind="oauth2" if config.network not in ("facebook", "instagram") else "long_lived",
    )
