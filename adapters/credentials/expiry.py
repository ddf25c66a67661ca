"""The approval channel hears a week ahead when a channel's account will stop working.

What ends without Clearpost being able to renew it: an access token with no refresh token
(LinkedIn for most apps and Instagram/Facebook user tokens: 60 days) and a refresh token with an
end of its own (LinkedIn's 365 days from the first authorization, which refreshing does not
restart). Refreshable access tokens are renewed by ChannelTokens and are not warned about.

Each end date is warned about once: the store marks it (`mark_expiry_warned`, a compare-and-set),
so neither the next sweep, nor a restart, nor a second replica repeats it; a new connection
clears the mark. The sweep reads no secret, so it runs without the key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.channels import NETWORK_NAMES
from bot.ports import Clock
from storage.credentials import Credential, SqlCredentialStore

log = logging.getLogger(__name__)

WARN_BEFORE = timedelta(days=7)
SWEEP_EVERY = timedelta(hours=1)


def account_end(credential: Credential) -> datetime | None:
    """When this account stops working unless a person connects it again; None: never."""
    if not credential.refreshable:
        return credential.expires_at
    return credential.refresh_expires_at


def expiry_warning(credential: Credential, end: datetime, now: datetime) -> str:
    label = NETWORK_NAMES.get(credential.network, credential.network)
    who = f" ({credential.account_name})" if credential.account_name else ""
    verb = "expired" if end <= now else "expires"
    what = "authorization" if credential.refreshable else "access token"
    return (
        f"The {label} {what} of `{credential.channel}`{who} {verb} on {end:%Y-%m-%d %H:%M} UTC "
        f"and {label} does not let Clearpost renew it. Before then, run `clearpost channels "
        f"connect {credential.channel}`, or posts to `{credential.channel}` will fail."
    )


def warn_of_expiring_accounts(
    store: SqlCredentialStore,
    clock: Clock,
    tell: Callable[[str], None],
    warn_before: timedelta = WARN_BEFORE,
) -> list[str]:
    """Tell each account ending within `warn_before` (or already ended), once; the sentences."""
    now = clock.now()
    told: list[str] = []
    for credential in store.all(secrets=False):
        end = account_end(credential)
        if end is None or end - warn_before > now:
            continue
        if not store.mark_expiry_warned(credential.channel, end):
            continue  # warned already (this process, another replica, or before a restart)
        sentence = expiry_warning(credential, end, now)
        log.info("%s: account ends %s; approval channel warned", credential.channel, end)
        tell(sentence)
        told.append(sentence)
    return told
