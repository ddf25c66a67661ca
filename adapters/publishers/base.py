"""What every publisher shares: channel settings and secrets, an HTTP client, the outcome mapping,
and the validation sentences.

How an HTTP exchange becomes a PublishResult (each module's OUTCOMES table repeats the rows that
apply to it, and its contract test is parametrized over that table):

    2xx, parsed                                 Published
    2xx the module cannot parse                 unknown (it probably posted; a person checks)
    401 / 403                                   permanent: "Run `clearpost channels check`."
    426 / 410 (the API version we pin retired)  permanent: "Clearpost needs an update."
    other 4xx                                   permanent, with the network's own reason
    429 (or the network's throttling code)      transient, retry_after from the headers
    5xx                                         transient
    connect error / connect or pool timeout     transient (nothing reached the network)
    lost after sending (read timeout, reset)    unknown, or transient when the request carried
                                                an idempotency key the network honours

Secrets never appear in messages or logs; neither does post text.
"""

from __future__ import annotations

import email.utils
import logging
import math
import os
import re
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import urlsplit

import httpx

from bot.channels import NETWORK_NAMES
from bot.errors import ClearpostError
from bot.ports import Failed, Published, SystemClock

if TYPE_CHECKING:
    from storage.credentials import Credential

log = logging.getLogger(__name__)

Kind = Literal["published", "transient", "permanent", "unknown"]


@dataclass(frozen=True)
class Outcome:
    """One row of a module's outcome table: what the network answers, and what we make of it."""

    when: str  # a key the contract tests know how to provoke: "201", "429", "5xx", "lost", ...
    kind: Kind
    reads: str  # what the approval thread reads (a description for the published row)


# -- channel settings and secrets -------------------------------------------------------------


def secret_variable(channel: str, key: str) -> str:
    """`x-main`, `access_token` -> `CLEARPOST_X_MAIN_ACCESS_TOKEN`."""
    return f"CLEARPOST_{_env_part(channel)}_{_env_part(key)}"


def _env_part(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", name).upper()


class MissingCredential(ClearpostError):
    """A secret the channel needs is not in the environment; says which variable to set."""

    def __init__(self, channel: str, variable: str, what: str) -> None:
        self.channel = channel
        self.variable = variable
        super().__init__(f"`{channel}` has no {what}: set {variable} and restart Clearpost.")


class MissingChannelSetting(ClearpostError):
    def __init__(self, channel: str, key: str, example: str) -> None:
        super().__init__(
            f"`{channel}` needs `{key}` in its channel settings, e.g. in clearpost.toml: "
            f'[channels.{channel}] {key} = "{example}".'
        )


class TokenSource(Protocol):
    """Where a channel's access token comes from (adapters/credentials/provider.py: the store,
    refreshed, else the environment) and how a 401 to it is reported back."""

    def access_token(self, key: str = "access_token", what: str = "access token") -> str: ...

    def saw_refusal(self, authorization: str | None) -> None: ...

    def start_call(self) -> None: ...

    def refused_in_call(self) -> bool: ...

    def renew_after_refusal(self) -> bool: ...

    def account_id(self) -> str | None: ...

    def credential(self) -> Credential | None: ...

    def close(self) -> None: ...


# Secrets `clearpost channels connect` stores for networks that sign with more than a bearer
# token (Tumblr, Plurk: OAuth 1.0a) or sign in with an app password (Bluesky, WordPress): the
# publisher's secret key -> the stored Credential's field. A stored one wins over the
# environment, as the OAuth access token does (adapters/credentials/provider.py says why).
STORED_SECRETS = {
    "oauth_token": "access_token",  # Tumblr
    "oauth_token_secret": "token_secret",
    "token": "access_token",  # Plurk
    "token_secret": "token_secret",
    "app_password": "access_token",  # Bluesky
    "application_password": "access_token",  # WordPress
}


@dataclass(frozen=True)
class ChannelConfig:
    """One configured channel: its non-secret settings and where its secrets come from.

    Secrets are looked up when needed, so a missing one fails that channel's publish (permanent,
    naming the variable) instead of stopping Clearpost from starting. An OAuth access token comes
    from `tokens` (set by build_publishers) when there is one: see `access_token`.
    """

    name: str
    network: str
    options: Mapping[str, Any] = field(default_factory=dict)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    tokens: TokenSource | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_settings(
        cls, name: str, channel: Any, environ: Mapping[str, str] | None = None
    ) -> ChannelConfig:
        """From an adapters.settings.ChannelSettings (extra keys are the options)."""
        options = dict(getattr(channel, "model_extra", None) or {})
        return cls(name, channel.network, options, os.environ if environ is None else environ)

    @property
    def label(self) -> str:
        """The network as people call it: X, Facebook, the blog."""
        return NETWORK_NAMES.get(self.network, self.network)

    def option(self, key: str, default: str | None = None) -> str | None:
        value = self.options.get(key)
        return default if value is None else str(value)

    def require(self, key: str, example: str) -> str:
        value = self.option(key)
        if not value:
            raise MissingChannelSetting(self.name, key, example)
        return value

    def base_url(self, default: str) -> str:
        return (self.option("base_url") or default).rstrip("/")

    def timeout(self, default: float = 30.0) -> float:
        return float(self.option("timeout_seconds") or default)

    def secret(self, key: str, what: str | None = None) -> str:
        stored = self._stored_secret(key)
        if stored:
            return stored
        variable = secret_variable(self.name, key)
        value = self.environ.get(variable, "").strip()
        if not value:
            raise MissingCredential(self.name, variable, what or key.replace("_", " "))
        return value

    def has_secret(self, key: str) -> bool:
        if self._stored_secret(key):
            return True
        return bool(self.environ.get(secret_variable(self.name, key), "").strip())

    def _stored_secret(self, key: str) -> str | None:
        if self.tokens is None or key not in STORED_SECRETS:
            return None
        stored = self.tokens.credential()
        return getattr(stored, STORED_SECRETS[key], None) if stored is not None else None

    def access_token(self, key: str = "access_token", what: str = "access token") -> str:
        """The channel's OAuth access token: stored and kept fresh when there is a token source,
        else the environment variable `key` names."""
        if self.tokens is not None:
            return self.tokens.access_token(key, what)
        return self.secret(key, what)


# -- the HTTP client ----------------------------------------------------------------------------


def http_client(
    config: ChannelConfig,
    default_base_url: str,
    *,
    headers: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """A client with bounded timeouts and no redirects (a redirect on a POST is a surprise)."""
    seconds = config.timeout()
    return httpx.Client(
        base_url=config.base_url(default_base_url),
        timeout=httpx.Timeout(seconds, connect=min(seconds, 10.0)),
        headers={"User-Agent": "Clearpost (+https://github.com/clearpost)", **(headers or {})},
        follow_redirects=False,
        transport=transport,
    )


# -- answers and failures -> PublishResult -------------------------------------------------------


def retry_after_seconds(
    headers: Mapping[str, str], now: float | None = None, *, limit: float = 3600.0
) -> float | None:
    """The wait a network asked for: `Retry-After` (seconds or an HTTP date), else X's
    `x-rate-limit-reset` (epoch seconds), else `x-ratelimit-reset` (Mastodon's ISO time or
    Reddit's seconds). None when it said nothing usable."""
    now = time.time() if now is None else now
    raw = headers.get("retry-after")
    if raw:
        raw = raw.strip()
        if raw.isdigit():
            return min(float(raw), limit)
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return min(max(when.timestamp() - now, 0.0), limit)
    reset = headers.get("x-rate-limit-reset")
    if reset and reset.strip().isdigit():
        return min(max(float(reset) - now, 0.0), limit)
    # Mastodon: `X-RateLimit-Reset` is an ISO 8601 time; Reddit: seconds left in the window.
    reset = (headers.get("x-ratelimit-reset") or "").strip()
    if reset.replace(".", "", 1).isdigit():
        return min(float(reset), limit)
    if reset:
        try:
            when = datetime.fromisoformat(reset.replace("Z", "+00:00"))
        except ValueError:
            return None
        if when.tzinfo is not None:
            return min(max(when.timestamp() - now, 0.0), limit)
    return None


def clean_reason(reason: object, limit: int = 200) -> str | None:
    """A network's error text made fit for one line of the thread."""
    if not isinstance(reason, str):
        return None
    text = " ".join(reason.split())
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def json_path(response: httpx.Response, *keys: str | int) -> Any:
    """A value deep in a JSON answer, or None when the answer is not shaped that way."""
    value = json_or_none(response) if response.content else None
    for key in keys:
        if isinstance(value, dict) and isinstance(key, str):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and -len(value) <= key < len(value):
            value = value[key]
        else:
            return None
    return value


class CheckFailed(ClearpostError):
    """`clearpost channels check` could not confirm a channel; the message says what to fix."""


def identity(
    config: ChannelConfig,
    call: Callable[[], httpx.Response],
    reason: Callable[[httpx.Response], str | None] | None = None,
    *,
    fix: str = "renew the credentials",
) -> Any:
    """The JSON of a network's identity endpoint, or CheckFailed saying what to do."""
    try:
        response = call()
    except httpx.HTTPError as exc:
        raise CheckFailed(
            f"could not reach {config.label} at {config.base_url('')} ({type(exc).__name__})."
        ) from None
    said = reason(response) if reason and not response.is_success else None
    detail = f" ({said})" if said else ""
    if response.status_code in (410, 426):
        raise CheckFailed(
            f"{config.label} no longer accepts the API version Clearpost uses "
            f"(HTTP {response.status_code}){detail}: Clearpost needs an update."
        )
    if response.status_code in (401, 403):
        raise CheckFailed(
            f"{config.label} refused the credentials (HTTP {response.status_code}){detail}: {fix}."
        )
    if not response.is_success:
        raise CheckFailed(f"{config.label} answered HTTP {response.status_code}{detail}.")
    body = json_or_none(response)
    if body is None:
        raise CheckFailed(f"{config.label}'s answer was not JSON; is base_url right?")
    return body


def auth_failed(config: ChannelConfig, status: int) -> Failed:
    return Failed(
        "permanent",
        f"{config.label} refused the credentials for `{config.name}` (HTTP {status}). "
        f"Run `clearpost channels check`; to sign in again, `clearpost channels connect "
        f"{config.name}`.",
    )


def rate_limited(config: ChannelConfig, retry_after: float | None) -> Failed:
    wait = f"in {round(retry_after)} s" if retry_after is not None else "later"
    return Failed(
        "transient",
        f"{config.label} is rate limiting `{config.name}`; trying again {wait}.",
        retry_after,
    )


def unavailable(config: ChannelConfig, detail: str) -> Failed:
    return Failed(
        "transient", f"{config.label} is unavailable for `{config.name}` ({detail}); trying again."
    )


def refused(config: ChannelConfig, status: int, reason: str | None) -> Failed:
    said = f": {reason}" if reason else "."
    return Failed(
        "permanent",
        f"{config.label} refused the post for `{config.name}` (HTTP {status}){said}",
    )


def needs_update(config: ChannelConfig, status: int) -> Failed:
    """The network no longer serves the API version Clearpost sends: no post can succeed until
    Clearpost is updated (adapters/publishers/versions.py), so this is not the post's fault."""
    return Failed(
        "permanent",
        f"{config.label} no longer accepts the API version Clearpost uses for `{config.name}` "
        f"(HTTP {status}), so nothing was posted. Clearpost needs an update; after updating, "
        "Retry.",
    )


def may_have_posted(config: ChannelConfig, why: str) -> Failed:
    return Failed(
        "unknown",
        f"{why}, so it may have posted on `{config.name}`. Check {config.label}, then Retry or "
        "Mark as published.",
    )


def failed_for_status(
    config: ChannelConfig,
    response: httpx.Response,
    reason: Callable[[httpx.Response], str | None] | None = None,
    *,
    refused_post: Callable[[httpx.Response], bool] | None = None,
    throttled: Callable[[httpx.Response], bool] | None = None,
    outdated: Callable[[httpx.Response], bool] | None = None,
    now: float | None = None,
) -> Failed:
    """A non-2xx answer: nothing was posted, only the kind of failure differs.

    `refused_post` spots a 401/403 that is about the post, not the credentials (X answers 403
    for duplicate content); `throttled` spots a rate limit sent as another status (Facebook's
    error codes 4, 17, 32, 613 in a 400 or 403 body, Tumblr's 403 code 8023); `outdated` spots
    a retired API version sent as another status (LinkedIn's `NONEXISTENT_VERSION`).
    """
    status = response.status_code
    if status == 429 or (throttled is not None and throttled(response)):
        return rate_limited(config, retry_after_seconds(response.headers, now))
    if status in (410, 426) or (outdated is not None and outdated(response)):
        return needs_update(config, status)
    if status in (401, 403) and not (refused_post is not None and refused_post(response)):
        return auth_failed(config, status)
    if status >= 500 or status in (408, 425):
        return unavailable(config, f"HTTP {status}")
    return refused(config, status, reason(response) if reason else None)


def failed_for_exception(
    config: ChannelConfig, exc: httpx.HTTPError, *, idempotent: bool = False
) -> Failed:
    """Whether the request reached the network decides between transient and unknown."""
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return unavailable(config, "could not connect")
    if idempotent:
        return unavailable(config, "the connection was lost; the retry carries the same key")
    if isinstance(exc, httpx.TimeoutException):
        return may_have_posted(config, f"{config.label} did not answer in time")
    return may_have_posted(config, f"The connection to {config.label} was lost after sending")


def send(
    config: ChannelConfig,
    call: Callable[[], httpx.Response],
    *,
    idempotent: bool = False,
) -> httpx.Response | Failed:
    """Make one HTTP call; a transport failure comes back as the matching Failed."""
    try:
        return call()
    except httpx.HTTPError as exc:
        log.warning("%s: %s during request (%s)", config.name, type(exc).__name__, config.network)
        return failed_for_exception(config, exc, idempotent=idempotent)


def published(config: ChannelConfig, external_id: str, url: str | None) -> Published:
    log.info("%s: published as %s", config.name, external_id)
    return Published(external_id=external_id, url=url)


class HttpPublisher:
    """The common frame of an httpx-based publisher: its channel and one client.

    `transport` is the seam for `--dry-run` (a transport that records and never sends); tests
    point `base_url` at a stand-in instead.
    """

    network: str = ""
    default_base_url: str = ""

    def __init__(self, config: ChannelConfig, transport: httpx.BaseTransport | None = None) -> None:
        if config.tokens is None:  # built alone (a test, a dry run): tokens from the environment
            from adapters.credentials.provider import ChannelTokens

            # Through the same transport: a dry run's token refresh is recorded, never sent.
            tokens = ChannelTokens(config, None, SystemClock(), transport=transport)
            config = replace(config, tokens=tokens)
        self.config = config
        self.http = http_client(config, self.default_base_url, transport=transport)
        # A 401 to the token we handed out lets GuardedPublisher refresh once and retry.
        source = config.tokens
        assert source is not None
        self.http.event_hooks["response"].append(
            lambda response: (
                source.saw_refusal(response.request.headers.get("authorization"))
                if response.status_code == 401
                else None
            )
        )

        self.media_http = httpx.Client(
            timeout=self.http.timeout, follow_redirects=True, transport=transport
        )

    def close(self) -> None:
        self.http.close()
        self.media_http.close()
        if self.config.tokens is not None:
            self.config.tokens.close()

    def fetch_media(self, url: str, number: int) -> tuple[bytes, str] | Failed:
        """The bytes and content type of one attached media URL, for networks that want an
        upload rather than a URL. Nothing is posted yet, so every failure here is safe."""
        limit = int(float(self.config.option("max_media_mb") or 50) * 1024 * 1024)
        try:
            response = self.media_http.get(url)
        except httpx.HTTPError as exc:
            log.warning(
                "%s: media %d fetch failed (%s)", self.config.name, number, type(exc).__name__
            )
            return Failed("transient", f"Media {number} could not be fetched; trying again.")
        if response.status_code != 200:
            kind: Literal["transient", "permanent"] = (
                "transient" if response.status_code >= 500 else "permanent"
            )
            return Failed(
                kind,
                f"Media {number} could not be fetched (HTTP {response.status_code}); "
                "check its address.",
            )
        if len(response.content) > limit:
            return Failed("permanent", f"Media {number} is larger than {limit // 2**20} MB.")
        content_type = response.headers.get("content-type", "application/octet-stream")
        return response.content, content_type.split(";")[0].strip()

    def spool_media(
        self, url: str, number: int, limit_bytes: int
    ) -> tuple[IO[bytes], int] | Failed:
        """One attached media URL streamed into a temporary file (memory up to 8 MB, then disk),
        for uploads too large to hold in memory. Nothing is posted yet: every failure is safe."""
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115 - returned
        size = 0
        try:
            with self.media_http.stream("GET", url) as response:
                if response.status_code != 200:
                    spool.close()
                    kind: Literal["transient", "permanent"] = (
                        "transient" if response.status_code >= 500 else "permanent"
                    )
                    return Failed(
                        kind,
                        f"Media {number} could not be fetched (HTTP {response.status_code}); "
                        "check its address.",
                    )
                for chunk in response.iter_bytes(2**20):
                    size += len(chunk)
                    if size > limit_bytes:
                        spool.close()
                        return Failed(
                            "permanent",
                            f"Media {number} is larger than {limit_bytes // 2**20} MB, the most "
                            f"`{self.config.name}` takes; shorten or compress it.",
                        )
                    spool.write(chunk)
        except httpx.HTTPError as exc:
            spool.close()
            log.warning(
                "%s: media %d fetch failed (%s)", self.config.name, number, type(exc).__name__
            )
            return Failed("transient", f"Media {number} could not be fetched; trying again.")
        spool.seek(0)
        return spool, size


# -- proactive pacing: each network's documented budget, spent in-process ----------------------


RateScope = Literal["user", "app", "channel"]


@dataclass(frozen=True)
class RateLimit:
    """A budget a network documents for creating posts: `calls` per `per_seconds`, counted
    `per` user (the account: every channel posting as it shares the budget), per app (every
    channel using one OAuth client / API project) or per channel (a Slack channel, a webhook).

    Each publisher module lists its own as RATE_LIMITS, each with `source`, the page the figure
    comes from, so the next reader can check it when the network changes it.
    """

    calls: int
    per_seconds: float
    source: str
    per: RateScope = "user"


class RateBudgets:
    """Sliding windows of spent calls, one per budget and whoever shares it (an account, an
    app, a channel), shared by every publisher of one process (build_publishers makes one).

    `take(spends)` checks every (limit, key) pair under one lock: either it spends a slot in
    each and answers None (go ahead), or it answers how many seconds until all have one,
    spending nothing. In-process only: replicas each keep their own count, so the network's 429
    stays the last word; this keeps one Clearpost from earning it.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._spent: dict[tuple[Any, ...], deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, spends: Sequence[tuple[RateLimit, tuple[Any, ...]]]) -> float | None:
        spends = [(limit, key) for limit, key in spends if limit.calls > 0]
        if not spends:
            return None
        with self._lock:
            now = self.clock()
            windows = []
            for limit, key in spends:
                window = self._spent.setdefault((limit, *key), deque())
                while window and window[0] <= now - limit.per_seconds:
                    window.popleft()
                windows.append((limit, window))
            wait = max(_wait(limit, window, now) for limit, window in windows)
            if wait > 0:
                return wait
            for _, window in windows:
                window.append(now)
            return None


def _wait(limit: RateLimit, window: deque[float], now: float) -> float:
    if len(window) < limit.calls:
        return 0.0
    # The slot that must age out before one more call fits in this window.
    frees_at = window[len(window) - limit.calls] + limit.per_seconds
    return max(frees_at - now, 0.001)


class Pacer:
    """One channel's budgets, spent alone (its own RateBudgets): `take()` as RateBudgets."""

    def __init__(
        self, limits: Sequence[RateLimit], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = tuple(limit for limit in limits if limit.calls > 0)
        self.budgets = RateBudgets(clock)

    def take(self) -> float | None:
        return self.budgets.take([(limit, ()) for limit in self.limits])


def paced(config: ChannelConfig, wait: float) -> Failed:
    """Our own budget for the channel is spent: nothing was sent, try again when a slot frees."""
    seconds = max(1, math.ceil(wait))
    return Failed(
        "transient",
        f"Clearpost is pacing `{config.name}` to stay within the rate limit {config.label} "
        f"documents; trying again in {seconds} s.",
        float(seconds),
        sent=False,
    )


# -- validation sentences -------------------------------------------------------------------------

IMAGE_TYPES = {"jpg": "image", "jpeg": "image", "png": "image", "gif": "image", "webp": "image"}
VIDEO_TYPES = {"mp4": "video", "mov": "video", "m4v": "video", "webm": "video"}


def media_kind(url: str) -> str | None:
    """'image', 'video' or None, judged by the URL's file extension."""
    path = urlsplit(url).path.lower()
    ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    return IMAGE_TYPES.get(ext) or VIDEO_TYPES.get(ext)


def too_long(config: ChannelConfig, length: int, limit: int, unit: str = "characters") -> str:
    return (
        f"{config.name}: {length} {unit} as {config.label} counts them, but {config.label} allows "
        f"{limit}. Shorten it or add a `{config.name}` override."
    )


def length_problems(
    config: ChannelConfig, length: int, limit: int | None, unit: str = "characters"
) -> list[str]:
    if limit is not None and length > limit:
        return [too_long(config, length, limit, unit)]
    return []


def with_link(text: str, link: str | None) -> str:
    """The text with the post's link appended, unless the text already carries it."""
    if not link or link in text:
        return text
    return f"{text}\n\n{link}"


def empty_text_problems(config: ChannelConfig, text: str) -> list[str]:
    return [] if text.strip() else [f"{config.name}: the text is empty."]


def media_problems(
    config: ChannelConfig,
    media: Iterable[str],
    *,
    allowed: Iterable[str] = ("image", "video"),
    required: str | None = None,
    max_items: int | None = None,
) -> list[str]:
    """Required media, allowed kinds (by extension) and how many a post may carry."""
    items = list(media)
    allowed = tuple(allowed)
    found: list[str] = []
    if required and not items:
        found.append(f"{config.name}: {config.label} needs {required}; none is attached.")
    if max_items is not None and len(items) > max_items:
        found.append(
            f"{config.name}: {len(items)} media attached, but {config.label} takes at most "
            f"{max_items} per post."
        )
    for number, url in enumerate(items, start=1):
        if not url.lower().startswith(("https://", "http://")):
            found.append(
                f"{config.name}: media {number} is not a web address; {config.label} fetches "
                "media by URL (https://…)."
            )
            continue
        kind = media_kind(url)
        if kind is None or kind not in allowed:
            shown = kind or "an unknown file type"
            found.append(
                f"{config.name}: media {number} is {shown}; {config.label} takes "
                f"{' or '.join(allowed) or 'no media'} here."
            )
    return found


# -- OAuth 1.0a request signing (Tumblr, Plurk) ----------------------------------------------------


class OAuth1Signer(httpx.Auth):
    """Signs each request with OAuth 1.0a, HMAC-SHA1, through oauthlib.

    Form bodies are part of the signature base string (as the spec says); JSON bodies are not.
    """

    def __init__(self, key: str, secret: str, token: str, token_secret: str) -> None:
        import oauthlib.oauth1

        self._client = oauthlib.oauth1.Client(
            key,
            client_secret=secret,
            resource_owner_key=token,
            resource_owner_secret=token_secret,
        )

    def auth_flow(self, request: httpx.Request) -> Any:
        content_type = request.headers.get("content-type", "")
        form = content_type.startswith("application/x-www-form-urlencoded")
        body = request.content.decode() if form and request.content else None
        headers = {"Content-Type": content_type} if body is not None else {}
        _, signed, _ = self._client.sign(str(request.url), request.method, body, headers)
        request.headers["Authorization"] = signed["Authorization"]
        yield request
