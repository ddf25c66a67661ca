"""What `clearpost channels check` says about a channel's credentials: where the token comes
from, whose account it is, what it may do, until when, and what to do when it will stop."""

from __future__ import annotations

from datetime import datetime

from adapters.credentials.endpoints import token_endpoint
from adapters.credentials.expiry import WARN_BEFORE, account_end
from adapters.publishers.base import ChannelConfig, secret_variable
from storage.credentials import Credential

# Networks whose publisher takes an OAuth access token (config.access_token).
OAUTH_NETWORKS = frozenset(
    {"x", "linkedin", "youtube", "reddit", "facebook", "instagram", "mastodon"}
)


def credential_lines(
    config: ChannelConfig, stored: Credential | None, now: datetime
) -> tuple[bool, list[str]]:
    """(nothing to fix, the indented lines under the channel's check line)."""
    name, label = config.name, config.label
    connect = f"`clearpost channels connect {name}`"
    if stored is None:
        if config.network not in OAUTH_NETWORKS:
            return True, []
        key = "refresh_token" if config.has_secret("refresh_token") else "access_token"
        return True, [
            f"      token from {secret_variable(name, key)} (not stored: its identity, scopes "
            f"and expiry are unknown to Clearpost; {connect} stores it and keeps it fresh)"
        ]
    who = stored.account_name or "an unnamed account"
    if stored.account_id:
        who += f" (id {stored.account_id})"
    lines = [f"      stored credential: {who}; scopes: {' '.join(stored.scopes) or 'not stated'}"]
    good = True
    if stored.refresh_error:
        good = False
        lines.append(
            f"      ✗ {label} refused the last refresh ({stored.refresh_error}): run {connect}"
        )
    if stored.expires_at is None:
        lines.append("      access token: does not expire")
    elif stored.refreshable and token_endpoint(config.network) is not None:
        lines.append(
            f"      access token: until {stored.expires_at:%Y-%m-%d %H:%M} UTC, renewed "
            "automatically before then"
        )
    else:
        lines.append(
            f"      access token: until {stored.expires_at:%Y-%m-%d %H:%M} UTC; {label} does "
            f"not let Clearpost renew it"
        )
    end = account_end(stored)
    if stored.refreshable and stored.refresh_expires_at is not None:
        lines.append(f"      authorization: until {stored.refresh_expires_at:%Y-%m-%d %H:%M} UTC")
    if end is not None and end <= now:
        good = False
        lines.append(f"      ✗ it ended on {end:%Y-%m-%d %H:%M} UTC: run {connect}")
    elif end is not None and end - WARN_BEFORE <= now:
        lines.append(f"      ⚠ it ends within a week: run {connect} before {end:%Y-%m-%d}")
    return good, lines
