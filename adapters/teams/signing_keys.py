"""The keys that sign Teams' requests to the bot, fetched with a time limit and off the event loop.

botbuilder 4.17 (`_OpenIdMetadata._refresh` in botframework/connector/auth/jwt_token_extractor.py)
fetches the OpenID metadata and then the keys with `requests.get`, no timeout, inside the
coroutine that checks a token: while the metadata host is slow the event loop serves nobody,
and if it never answers, never again. Its cache of metadata per URL (`JwtTokenExtractor.
metadataCache`) is the one seam: every entry here fetches in a worker thread with the
configured time limit, one fetch per URL at a time however many requests wait for it, and keeps
the last keys it had if a later refresh fails. A first fetch that fails raises a requests error,
which `/api/messages` answers with 503.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import requests
from botframework.connector.auth import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger(__name__)

REFRESH_SECONDS = 24 * 3600  # botbuilder's: keys older than a day are fetched again
MISSING_KEY_SECONDS = 3600  # and an unknown key id fetches them at most once an hour


class SigningKey:
    """What botbuilder's token extractor reads from a key: the key and its endorsements."""

    def __init__(self, public_key: Any, endorsements: list[str]) -> None:
        self.public_key = public_key
        self.endorsements = endorsements


class BoundedOpenIdMetadata:
    """One metadata URL's keys (botbuilder's `_OpenIdMetadata` interface: `await get(kid)`)."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout
        self.keys: list[dict[str, Any]] = []
        self.fetched_at: float | None = None  # time.monotonic() of the last good fetch
        self._fetch_in_flight: asyncio.Future[list[dict[str, Any]]] | None = None

    def _age(self) -> float:
        return float("inf") if self.fetched_at is None else time.monotonic() - self.fetched_at

    async def get(self, key_id: str | None) -> SigningKey | None:
        if self._age() > REFRESH_SECONDS:
            await self._refresh()
        key = self._find(key_id)
        if key is None and self._age() > MISSING_KEY_SECONDS:
            await self._refresh()
            key = self._find(key_id)
        return key

    async def _refresh(self) -> None:
        if self._fetch_in_flight is None or self._fetch_in_flight.done():
            loop = asyncio.get_running_loop()
            self._fetch_in_flight = loop.run_in_executor(None, self._fetch)
            # Waiters may have given up before it ends: its failure is read here, not lost.
            self._fetch_in_flight.add_done_callback(lambda f: f.cancelled() or f.exception())
        try:
            # The thread ends by requests' own timeouts; this bounds the wait for it as a whole.
            keys = await asyncio.wait_for(
                asyncio.shield(self._fetch_in_flight), 2 * self.timeout + 1
            )
        except (requests.RequestException, ValueError, KeyError, TimeoutError) as exc:
            if not self.keys:
                log.warning(
                    "teams: signing keys unavailable from %s (%s)", self.url, type(exc).__name__
                )
                if isinstance(exc, requests.RequestException):
                    raise
                raise requests.ConnectionError(f"signing keys unavailable: {exc!r}") from None
            log.warning(
                "teams: signing keys not refreshed from %s (%s); keeping the last ones",
                self.url,
                type(exc).__name__,
            )
            return
        self.keys, self.fetched_at = keys, time.monotonic()

    def _fetch(self) -> list[dict[str, Any]]:
        limits = (self.timeout, self.timeout)  # connect, then each read
        metadata = requests.get(self.url, timeout=limits)
        metadata.raise_for_status()
        keys = requests.get(metadata.json()["jwks_uri"], timeout=limits)
        keys.raise_for_status()
        found = keys.json()["keys"]
        if not isinstance(found, list):
            raise ValueError("the key set is not a list")
        return found

    def _find(self, key_id: str | None) -> SigningKey | None:
        for key in self.keys:
            if isinstance(key, dict) and key.get("kid") == key_id:
                public_key = RSAAlgorithm.from_jwk(json.dumps(key))
                return SigningKey(public_key, list(key.get("endorsements") or []))
        return None


class BoundedMetadataCache(dict[str, Any]):
    """botbuilder asks `metadataCache.get(url)` and makes its own unbounded entry on a miss:
    here a miss makes a bounded one."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def get(self, url: str, default: Any = None) -> Any:
        if url not in self:
            self[url] = BoundedOpenIdMetadata(url, self.timeout)
        return self[url]


def bound_signing_key_fetches(timeout: float) -> None:
    """Every signing-key fetch botbuilder makes from now on is bounded by `timeout` seconds."""
    JwtTokenExtractor.metadataCache = BoundedMetadataCache(timeout)
