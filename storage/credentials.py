"""Each channel's account credentials in the `channel_credential` table, secrets encrypted.

The interface `clearpost channels connect` and the token providers use:

    store = SqlCredentialStore(engine, cipher, clock)
    store.save(Credential(...))          # after an authorization (connect): insert or replace
    store.get("x-main")                  # -> Credential | None, secrets decrypted
    store.all()                          # every stored credential (channels check, expiry sweep)
    store.renew("x-main", stale, renew)  # one refresh across replicas (below)
    store.record_refresh_error(...)      # a refused refresh, kept until the next save
    store.mark_expiry_warned(...)        # True once per expiry date, across replicas and restarts
    store.delete("x-main")
    store.reseal()                       # after a key rotation: every row sealed with the new key

Secrets (access token, refresh token, OAuth 1.0a token secret) are sealed together as one JSON
document by `cipher` (adapters/credentials/keys.py: Fernet through MultiFernet, so keys rotate)
and bound to their channel, so a row copied onto another channel does not open. Identity,
scopes and expiry stay in clear: `channels check` and the expiry sweep read them, and they are
not secrets.

Refresh with several replicas: `renew` first takes the row's write lock (an `UPDATE … SET
version = version` on the row: a row lock on PostgreSQL, the database's write lock on SQLite),
then re-reads the row. A second replica asking at the same moment waits on that lock, re-reads
the token the first one saved, finds it fresh and sends nothing: one refresh request, and a
rotated refresh token is never spent twice. The refresh request runs inside that transaction,
so its HTTP timeout must stay below SQLite's busy timeout (storage/engine.py, 15 s).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.errors import ClearpostError
from bot.ports import Clock, SystemClock
from storage.tables import ChannelCredentialRow

_SECRET_FIELDS = ("access_token", "refresh_token", "token_secret")
SEALED = "<sealed>"  # a token left unopened by `all(secrets=False)`


class Cipher(Protocol):
    """Authenticated encryption of a small document (Fernet / MultiFernet has this shape);
    `decrypt` raises ValueError when the token was not sealed with any key it holds."""

    def encrypt(self, data: bytes) -> bytes: ...

    def decrypt(self, token: bytes) -> bytes: ...


class UnreadableCredential(ClearpostError):
    def __init__(self, channel: str) -> None:
        self.channel = channel
        super().__init__(
            f"The stored credentials of `{channel}` cannot be decrypted with "
            "CLEARPOST_SECRET_KEY: set the key they were saved with (after a rotation, list "
            f"the new key first and the old one after it), or run `clearpost channels connect "
            f"{channel}` again."
        )


@dataclass(frozen=True)
class Credential:
    """One channel's account: who it is, what it may do, and until when.

    `expires_at` None means the access token does not expire (Mastodon, a Facebook Page token);
    `refresh_token` None means it cannot be refreshed, only renewed by a person (LinkedIn for
    most apps, Instagram's long-lived token): the expiry sweep warns a week before.
    `kind` says how it was obtained: oauth2, oauth1, app_password, long_lived.
    """

    channel: str
    network: str
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    token_secret: str | None = field(default=None, repr=False)  # OAuth 1.0a
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    scopes: tuple[str, ...] = ()
    account_id: str | None = None
    account_name: str | None = None  # a display name or @handle, as the network shows it
    token_url: str | None = None  # where this token is refreshed, when not the network's default
    kind: str = "oauth2"
    version: int = 0  # the store's; bumped on every write
    updated_at: datetime | None = None
    refresh_error: str | None = None  # the last refused refresh (e.g. invalid_grant), until saved
    expiry_warned_for: datetime | None = None  # the expiry the approval channel was warned of

    @property
    def refreshable(self) -> bool:
        return bool(self.refresh_token)

    def expires_within(self, now: datetime, margin: timedelta) -> bool:
        return self.expires_at is not None and self.expires_at - margin <= now


class SqlCredentialStore:
    """Credentials per channel over SQLModel; each call is its own short transaction."""

    def __init__(self, engine: Engine, cipher: Cipher, clock: Clock | None = None) -> None:
        self.engine = engine
        self.cipher = cipher
        self.clock = clock or SystemClock()

    # -- reads -------------------------------------------------------------------------------

    def get(self, channel: str, *, secrets: bool = True) -> Credential | None:
        """The channel's credential; `secrets=False` as in all()."""
        with Session(self.engine) as session:
            row = session.execute(
                select(ChannelCredentialRow).where(ChannelCredentialRow.channel == channel)
            ).scalar_one_or_none()
            if row is None:
                return None
            return self._open(row) if secrets else self._summary(row)

    def all(self, *, secrets: bool = True) -> list[Credential]:
        """Every stored credential by channel. `secrets=False` leaves the tokens sealed (empty
        SEALED): identity, scopes and expiry need no key (channels check, the expiry sweep)."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(ChannelCredentialRow).order_by(ChannelCredentialRow.channel)
            ).scalars()
            return [self._open(row) if secrets else self._summary(row) for row in rows]

    # -- writes ------------------------------------------------------------------------------

    def save(self, credential: Credential) -> Credential:
        """Insert or replace a channel's credentials (after connect, or a person's renewal);
        clears a recorded refresh error and expiry warning, since the token is new."""
        values = self._values(credential, refresh_error=None, expiry_warned_for=None)
        with Session(self.engine) as session:
            changed = session.execute(
                update(ChannelCredentialRow)
                .where(ChannelCredentialRow.channel == credential.channel)
                .values(**values, version=ChannelCredentialRow.version + 1)
            ).rowcount
            if not changed:
                session.execute(insert(ChannelCredentialRow).values(**values, version=1))
            session.commit()
        saved = self.get(credential.channel)
        assert saved is not None
        return saved

    def seed(self, credential: Credential) -> bool:
        """Insert only if the channel has no row yet (an env-variable token moving into the
        store on its first refresh); False when one was already there."""
        values = self._values(credential, refresh_error=None, expiry_warned_for=None)
        with Session(self.engine) as session:
            try:
                session.execute(insert(ChannelCredentialRow).values(**values, version=1))
                session.commit()
            except IntegrityError:  # another replica seeded it first: theirs is as good
                session.rollback()
                return False
            return True

    def renew(
        self,
        channel: str,
        stale: Callable[[Credential], bool],
        renew: Callable[[Credential], Credential],
    ) -> Credential:
        """Under the row's lock: re-read; if `stale(current)` still holds, save `renew(current)`
        (the refresh request) with the version bumped, else return what another replica saved.
        An exception from `renew` rolls back and leaves the row as it was."""
        with Session(self.engine) as session:
            # The lock: PostgreSQL locks the row until commit; SQLite takes the write lock.
            locked = session.execute(
                update(ChannelCredentialRow)
                .where(ChannelCredentialRow.channel == channel)
                .values(version=ChannelCredentialRow.version)
            ).rowcount
            if not locked:
                raise LookupError(f"no stored credentials for {channel}")
            row = session.execute(
                select(ChannelCredentialRow).where(ChannelCredentialRow.channel == channel)
            ).scalar_one()
            current = self._open(row)
            if not stale(current):
                session.rollback()
                return current
            fresh = renew(current)
            # A refresh keeps the expiry warning: LinkedIn's refresh token still ends when it did.
            values = self._values(fresh, refresh_error=None)
            session.execute(
                update(ChannelCredentialRow)
                .where(
                    ChannelCredentialRow.channel == channel,
                    ChannelCredentialRow.version == current.version,
                )
                .values(**values, version=current.version + 1)
            )
            session.commit()
        saved = self.get(channel)
        assert saved is not None
        return saved

    def record_refresh_error(self, channel: str, error: str) -> bool:
        """Keep why a refresh was refused; True only when this error is new for the row, so the
        approval channel hears of it once, not on every attempt or from every replica."""
        with Session(self.engine) as session:
            changed = session.execute(
                update(ChannelCredentialRow)
                .where(
                    ChannelCredentialRow.channel == channel,
                    or_(
                        ChannelCredentialRow.refresh_error.is_(None),  # type: ignore[union-attr]
                        ChannelCredentialRow.refresh_error != error[:512],
                    ),
                )
                .values(refresh_error=error[:512], updated_at=self.clock.now())
            ).rowcount
            session.commit()
            return bool(changed)

    def mark_expiry_warned(self, channel: str, expires_at: datetime) -> bool:
        """True for exactly one caller per channel and end date (the access token's, or the
        refresh token's): the one who warns. A new connection (save) clears the mark."""
        with Session(self.engine) as session:
            changed = session.execute(
                update(ChannelCredentialRow)
                .where(
                    ChannelCredentialRow.channel == channel,
                    or_(
                        ChannelCredentialRow.expiry_warned_for.is_(None),  # type: ignore[union-attr]
                        ChannelCredentialRow.expiry_warned_for != expires_at,
                    ),
                )
                .values(expiry_warned_for=expires_at)
            ).rowcount
            session.commit()
            return bool(changed)

    def reseal(self) -> int:
        """Seal every row again with the cipher's first key (after a key rotation); how many."""
        with Session(self.engine) as session:
            rows = session.execute(select(ChannelCredentialRow)).scalars().all()
            for row in rows:
                try:
                    opened = self.cipher.decrypt(row.sealed.encode("ascii"))
                except ValueError:
                    raise UnreadableCredential(row.channel) from None
                row.sealed = self.cipher.encrypt(opened).decode("ascii")
            session.commit()
            return len(rows)

    def delete(self, channel: str) -> bool:
        with Session(self.engine) as session:
            gone = session.execute(
                delete(ChannelCredentialRow).where(ChannelCredentialRow.channel == channel)
            ).rowcount
            session.commit()
            return bool(gone)

    # -- sealing -----------------------------------------------------------------------------

    def _values(self, credential: Credential, **extra: Any) -> dict[str, Any]:
        secrets = {name: getattr(credential, name) for name in _SECRET_FIELDS}
        document = json.dumps({"channel": credential.channel, **secrets}).encode()
        return {
            "channel": credential.channel,
            "network": credential.network,
            "kind": credential.kind,
            "sealed": self.cipher.encrypt(document).decode("ascii"),
            "expires_at": credential.expires_at,
            "refresh_expires_at": credential.refresh_expires_at,
            "scopes": " ".join(credential.scopes),
            "account_id": credential.account_id,
            "account_name": credential.account_name,
            "token_url": credential.token_url,
            "refreshable": credential.refreshable,
            "updated_at": self.clock.now(),
            **extra,
        }

    def _summary(self, row: ChannelCredentialRow) -> Credential:
        return Credential(
            channel=row.channel,
            network=row.network,
            access_token=SEALED,
            refresh_token=SEALED if row.refreshable else None,
            expires_at=row.expires_at,
            refresh_expires_at=row.refresh_expires_at,
            scopes=tuple(row.scopes.split()),
            account_id=row.account_id,
            account_name=row.account_name,
            token_url=row.token_url,
            kind=row.kind,
            version=row.version,
            updated_at=row.updated_at,
            refresh_error=row.refresh_error,
            expiry_warned_for=row.expiry_warned_for,
        )

    def _open(self, row: ChannelCredentialRow) -> Credential:
        try:
            document = json.loads(self.cipher.decrypt(row.sealed.encode("ascii")))
        except ValueError:
            raise UnreadableCredential(row.channel) from None
        if not isinstance(document, dict) or document.get("channel") != row.channel:
            raise UnreadableCredential(row.channel)
        return replace(
            self._summary(row),
            access_token=document.get("access_token") or "",
            refresh_token=document.get("refresh_token"),
            token_secret=document.get("token_secret"),
        )
