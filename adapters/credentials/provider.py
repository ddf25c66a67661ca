"""Where a channel's access token comes from, kept fresh: `ChannelTokens`.

Which source wins: **the store**. Once a channel has a stored credential (`clearpost channels
connect`, or an environment token that was refreshed once), the stored one is used and the
channel's `CLEARPOST_<CHANNEL>_ACCESS_TOKEN` / `_REFRESH_TOKEN` are ignored (`channels check`
says which source is in use). Why: a refreshed token, and X's rotated refresh token above all,
exist only in the store; an environment variable cannot be rewritten, so preferring it would
send a refresh token X has already retired. Without a stored credential the environment works
as before: a plain access token is used as it is; with a refresh token beside it, the first
refresh seeds the store (when Clearpost has one) and the store wins from then on.

Refresh: before the token expires (REFRESH_MARGIN ahead), and once when the network answers 401
to the token we handed out (`saw_refusal`, then `renew_after_refusal`); never in a loop. The
refresh goes through SqlCredentialStore.renew, so replicas send one request between them, and
a rotated refresh token is saved in the same transaction as the access token it came with.

Refresh requests are built and read with oauthlib (already a dependency, used for OAuth 1.0a
signing): `prepare_refresh_body` writes the RFC 6749 §6 form and `parse_token_response` turns an
`error` answer into its typed exception (invalid_grant, invalid_client, …). Authlib would bring
its own httpx client with automatic refresh, but that refresh is in-process only: the
cross-replica lock has to be ours anyway, and a second HTTP stack would hide which request failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import httpx
from oauthlib.oauth2 import MissingTokenError, OAuth2Error, WebApplicationClient
from oauthlib.oauth2.rfc6749.parameters import parse_token_response

from adapters.credentials.endpoints import TokenEndpoint, token_endpoint
from adapters.credentials.keys import MissingSecretKey
from adapters.publishers.base import ChannelConfig, MissingCredential, secret_variable
from bot.errors import ClearpostError
from bot.ports import Clock
from storage.credentials import Credential, SqlCredentialStore

log = logging.getLogger(__name__)

REFRESH_MARGIN = timedelta(minutes=5)
# Below SQLite's busy timeout (storage/engine.py: 15 s): a replica waiting on the refresh lock
# must not give up before the refresh it waits for has had its chance.
REFRESH_TIMEOUT_S = 10.0

# Tells the approval channel one sentence (adapters/credentials/alerts.py builds it).
Tell = Callable[[str], None]


def reconnect_fix(channel: str) -> str:
    return f"run `clearpost channels connect {channel}`"


class RefreshRefused(ClearpostError):
    """The network will not renew this token (revoked, expired, wrong client): a person must
    connect the channel again. The message names the command."""

    def __init__(self, config: ChannelConfig, code: str, status: int) -> None:
        self.code = code
        super().__init__(
            f"{config.label} refused to renew the access token of `{config.name}` "
            f"({code}, HTTP {status}), so nothing was posted: the account was disconnected or "
            f"the token revoked. To fix it, {reconnect_fix(config.name)}, then Retry."
        )


class TokenExpired(ClearpostError):
    def __init__(self, config: ChannelConfig, when: datetime) -> None:
        super().__init__(
            f"The access token of `{config.name}` expired on {when:%Y-%m-%d %H:%M} UTC and "
            f"{config.label} does not let Clearpost renew it, so nothing was posted. To fix it, "
            f"{reconnect_fix(config.name)}, then Retry."
        )


class RefreshUnavailable(Exception):
    """The token endpoint could not be reached or answered 5xx/429: try again later."""

    def __init__(self, config: ChannelConfig, detail: str) -> None:
        self.sentence = (
            f"{config.label} could not renew the access token of `{config.name}` ({detail}); "
            "trying again."
        )
        super().__init__(self.sentence)


class ChannelTokens:
    """One channel's access token: from the store (refreshed as needed), else the environment."""

    def __init__(
        self,
        config: ChannelConfig,
        store: SqlCredentialStore | None,
        clock: Clock,
        *,
        tell: Tell | None = None,
        transport: httpx.BaseTransport | None = None,
        margin: timedelta = REFRESH_MARGIN,
    ) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.tell = tell
        self.margin = margin
        self.endpoint: TokenEndpoint | None = token_endpoint(config.network)
        self.http = httpx.Client(
            timeout=httpx.Timeout(REFRESH_TIMEOUT_S, connect=5.0),
            follow_redirects=False,
            transport=transport,
            headers={"User-Agent": config.option("user_agent") or "Clearpost"},
        )
        self._memory: Credential | None = None  # an env-seeded credential when there is no store
        self._lock = threading.Lock()  # the store-less path's one refresh at a time
        self._call = threading.local()  # the token handed out in this thread, and its refusal
        self._told: set[str] = set()  # store-less: refusals already told

    # -- what publishers call ------------------------------------------------------------------

    def access_token(self, key: str = "access_token", what: str = "access token") -> str:
        """A token good for at least the margin, refreshing first when it is not. Raises
        MissingCredential, TokenExpired or RefreshRefused (a person must act) or
        RefreshUnavailable (try later)."""
        credential = self.credential()
        if credential is None:
            token = self._env(key)
            if token is None:
                raise MissingCredential(
                    self.config.name, secret_variable(self.config.name, key), what
                )
            return self._hand_out(token)
        if credential.expires_within(self.clock.now(), self.margin):
            if credential.refreshable and self.endpoint is not None:
                credential = self._refresh(
                    lambda c: c.expires_within(self.clock.now(), self.margin)
                )
            elif credential.expires_at is not None and credential.expires_at <= self.clock.now():
                raise TokenExpired(self.config, credential.expires_at)
        return self._hand_out(credential.access_token)

    def _near_expiry(self, credential: Credential) -> bool:
        return credential.expires_within(self.clock.now(), self.margin)

    def saw_refusal(self, authorization: str | None) -> None:
        """The network answered 401 to a request of this thread (an httpx response hook)."""
        handed = getattr(self._call, "token", None)
        if handed and authorization and authorization.split(" ", 1)[-1] == handed:
            self._call.refused = handed

    def start_call(self) -> None:
        self._call.refused = None

    def refused_in_call(self) -> bool:
        return bool(getattr(self._call, "refused", None))

    def renew_after_refusal(self) -> bool:
        """After a 401 to the token we handed out: refresh once, unless another replica already
        has. False when there is nothing to refresh with (the caller's failure stands)."""
        refused = getattr(self._call, "refused", None)
        credential = self.credential()
        if refused is None or credential is None or not credential.refreshable:
            return False
        if self.endpoint is None:
            return False
        self._refresh(lambda c: c.access_token == refused)
        log.info("%s: access token refreshed after a 401", self.config.name)
        return True

    def account_id(self) -> str | None:
        """The account the stored credential belongs to (shared rate budgets key on it)."""
        if self.store is None:
            return None
        stored = self.store.get(self.config.name, secrets=False)
        return stored.account_id if stored is not None else None

    def credential(self) -> Credential | None:
        """The stored credential, or the environment's refresh token made into one."""
        if self._memory is not None:
            return self._memory
        stored = self.store.get(self.config.name) if self.store is not None else None
        if stored is not None:
            return stored
        refresh = self._env("refresh_token")
        if refresh is None or self.endpoint is None:
            return None
        access = self._env("access_token")
        seeded = Credential(
            channel=self.config.name,
            network=self.config.network,
            access_token=access or "",
            refresh_token=refresh,
            # An env access token's expiry is unknown: use it until a 401. None at all: refresh.
            expires_at=None if access else self.clock.now(),
        )
        if self.store is not None:
            try:
                self.store.seed(seeded)
                return self.store.get(self.config.name)
            except MissingSecretKey:
                log.warning(
                    "%s: CLEARPOST_SECRET_KEY is not set; refreshed tokens are kept in memory "
                    "only and lost on restart",
                    self.config.name,
                )
        if self._memory is None:
            self._memory = seeded
        return self._memory

    def close(self) -> None:
        self.http.close()

    # -- refreshing ----------------------------------------------------------------------------

    def _refresh(self, stale: Callable[[Credential], bool]) -> Credential:
        try:
            if self.store is not None and self._memory is None:
                return self.store.renew(self.config.name, stale, self._request)
            with self._lock:
                assert self._memory is not None
                if stale(self._memory):
                    self._memory = self._request(self._memory)
                return self._memory
        except RefreshRefused as refused:
            self._refusal_noticed(refused)
            raise

    def _refusal_noticed(self, refused: RefreshRefused) -> None:
        """Tell the approval channel at once, and once: the store remembers across replicas
        and restarts that this refusal was told."""
        if self.store is not None and self._memory is None:
            first = self.store.record_refresh_error(self.config.name, refused.code)
        else:
            first = refused.code not in self._told
            self._told.add(refused.code)
        log.warning("%s: token refresh refused (%s)", self.config.name, refused.code)
        if first and self.tell is not None:
            self.tell(
                str(refused).replace(", then Retry.", ".").replace(", so nothing was posted:", ":")
            )

    def _request(self, current: Credential) -> Credential:
        """One refresh request as the network documents it; the answer made a Credential."""
        assert self.endpoint is not None and current.refresh_token
        url = (
            current.token_url
            or self.config.option("token_url")
            or self.config.option("auth_url")  # Reddit's name for it
            or self.endpoint.url
        )
        client_id = self.config.option("client_id") or self.config.secret(
            "client_id", f"{self.config.label} OAuth client id"
        )
        secret = self._env("client_secret")
        client = WebApplicationClient(client_id)
        basic = self.endpoint.client_auth == "basic" or (
            self.endpoint.client_auth == "basic_if_secret" and secret is not None
        )
        if self.endpoint.client_auth == "basic" and secret is None:
            secret = self.config.secret("client_secret", f"{self.config.label} client secret")
        if basic:
            form = client.prepare_refresh_body(refresh_token=current.refresh_token)
            auth: httpx.Auth | None = httpx.BasicAuth(client_id, secret or "")
        else:  # Google, LinkedIn: both in the form; X's public client: the id alone
            extra = {"client_secret": secret} if secret is not None else {}
            form = client.prepare_refresh_body(
                refresh_token=current.refresh_token, client_id=client_id, **extra
            )
            auth = None
        try:
            answer = self.http.post(
                url,
                content=form,
                auth=auth or httpx.USE_CLIENT_DEFAULT,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        except httpx.HTTPError as exc:
            raise RefreshUnavailable(self.config, type(exc).__name__) from None
        return self._answered(current, answer)

    def _answered(self, current: Credential, answer: httpx.Response) -> Credential:
        if answer.status_code >= 500 or answer.status_code == 429:
            raise RefreshUnavailable(self.config, f"HTTP {answer.status_code}")
        try:
            token = parse_token_response(answer.text)
        except MissingTokenError:
            if answer.is_success:
                raise RefreshUnavailable(self.config, "its answer had no access token") from None
            raise RefreshRefused(
                self.config, f"HTTP {answer.status_code}", answer.status_code
            ) from None
        except OAuth2Error as error:  # an `error` answer, possibly with HTTP 200 (Reddit)
            raise RefreshRefused(self.config, error.error, answer.status_code) from None
        except (ValueError, Warning):
            if not answer.is_success:
                raise RefreshRefused(
                    self.config, f"HTTP {answer.status_code}", answer.status_code
                ) from None
            raise RefreshUnavailable(self.config, "its answer could not be read") from None
        if not answer.is_success:
            raise RefreshRefused(self.config, f"HTTP {answer.status_code}", answer.status_code)
        now = self.clock.now()
        rotated = token.get("refresh_token")
        if self.endpoint is not None and self.endpoint.rotates and not rotated:
            log.warning("%s: refresh answered no new refresh token", self.config.name)
        return replace(
            current,
            access_token=token["access_token"],
            refresh_token=rotated or current.refresh_token,
            expires_at=expiry_after(now, token.get("expires_in")),
            refresh_expires_at=expiry_after(now, token.get("refresh_token_expires_in"))
            or current.refresh_expires_at,
            scopes=tuple(token.get("scope") or current.scopes),
        )

    # -- the environment -----------------------------------------------------------------------

    def _env(self, key: str) -> str | None:
        return self.config.secret(key) if self.config.has_secret(key) else None

    def _hand_out(self, token: str) -> str:
        self._call.token = token
        return token


def expiry_after(now: datetime, seconds: object) -> datetime | None:
    """`now` plus a token answer's `expires_in`; None when the answer gives no usable number."""
    try:
        return now + timedelta(seconds=float(seconds)) if seconds is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


@dataclass
class TokenWiring:
    """What every channel's ChannelTokens shares in one process (bootstrap builds it)."""

    store: SqlCredentialStore | None
    clock: Clock
    tell: Tell | None = None
    transport: httpx.BaseTransport | None = None  # the token endpoints' (tests: none needed)

    def for_channel(self, config: ChannelConfig) -> ChannelTokens:
        return ChannelTokens(
            config, self.store, self.clock, tell=self.tell, transport=self.transport
        )
