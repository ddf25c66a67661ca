"""Authorizations under way, kept server-side so whichever replica serves the callback can finish
them: the `state` (random, single use, bound to its channel, expiring) and what the exchange
needs later (PKCE verifier, redirect URI, an OAuth 1.0a request-token secret, a Mastodon app's
client). Each record is sealed with the credential store's cipher before it reaches the
key-value table, since it holds secrets for a few minutes.

    key `connect:pending:<state>`  the sealed record
    key `connect:used:<state>`     inserted once (put_new): the first callback takes the state
    key `connect:outcome:<state>`  what happened, for the waiting CLI: {"ok", "sentence"}
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from bot.errors import ClearpostError
from bot.ports import Clock
from storage.credentials import Cipher
from storage.kv import SqlKeyValueStore

STATE_LIFETIME = timedelta(minutes=10)


class StateRefused(ClearpostError):
    """A callback whose state is unknown, already used, expired or for another network."""


@dataclass(frozen=True)
class Pending:
    state: str
    channel: str
    network: str
    redirect_uri: str
    expires_at: str  # ISO, UTC
    code_verifier: str | None = None
    client_id: str | None = None  # Mastodon: the app registered for this connect
    client_secret: str | None = None
    token_secret: str | None = None  # OAuth 1.0a: the request token's secret
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    sentence: str


class PendingAuthorizations:
    def __init__(self, kv: SqlKeyValueStore, cipher: Cipher, clock: Clock) -> None:
        self.kv = kv
        self.cipher = cipher
        self.clock = clock

    @staticmethod
    def new_state() -> str:
        return secrets.token_urlsafe(32)

    def begin(self, channel: str, network: str, redirect_uri: str, **fields: object) -> Pending:
        """Remember a new authorization; `state` may be given (OAuth 1.0a keys on its token)."""
        state = str(fields.pop("state", None) or self.new_state())
        expires = (self.clock.now() + STATE_LIFETIME).isoformat()
        pending = Pending(state, channel, network, redirect_uri, expires, **fields)  # type: ignore[arg-type]
        sealed = self.cipher.encrypt(json.dumps(asdict(pending)).encode()).decode("ascii")
        self.kv.put(f"connect:pending:{state}", sealed)
        return pending

    def take(self, state: str, network: str) -> Pending:
        """The authorization this callback finishes, once: a second use, an unknown or expired
        state, or one begun for another network is refused with a sentence."""
        sealed = self.kv.get(f"connect:pending:{state}") if state else None
        if sealed is None:
            raise StateRefused(
                "This authorization is not one Clearpost started (unknown state), so nothing "
                "was saved. Run `clearpost channels connect CHANNEL` again."
            )
        try:
            record = json.loads(self.cipher.decrypt(sealed.encode("ascii")))
        except ValueError:
            raise StateRefused(
                "This authorization cannot be read with CLEARPOST_SECRET_KEY (was the key "
                "changed?), so nothing was saved. Run `clearpost channels connect` again."
            ) from None
        pending = Pending(**record)
        if pending.network != network:
            raise StateRefused(
                f"This authorization was started for `{pending.channel}` ({pending.network}), "
                f"not {network}, so nothing was saved."
            )
        if not self.kv.put_new(f"connect:used:{state}", self.clock.now().isoformat()):
            raise StateRefused(
                f"This authorization link for `{pending.channel}` was already used, so nothing "
                f"more was saved. Run `clearpost channels connect {pending.channel}` for a new one."
            )
        if datetime.fromisoformat(pending.expires_at) <= self.clock.now():
            raise StateRefused(
                f"This authorization for `{pending.channel}` expired (links last "
                f"{int(STATE_LIFETIME.total_seconds() // 60)} minutes), so nothing was saved. Run "
                f"`clearpost channels connect {pending.channel}` again."
            )
        return pending

    def finish(self, state: str, outcome: Outcome) -> None:
        self.kv.put(f"connect:outcome:{state}", json.dumps(asdict(outcome)))

    def outcome(self, state: str) -> Outcome | None:
        raw = self.kv.get(f"connect:outcome:{state}")
        return Outcome(**json.loads(raw)) if raw else None
