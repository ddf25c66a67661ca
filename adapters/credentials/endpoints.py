"""Each network's OAuth 2.0 token endpoint as its documentation describes the refresh request,
and what its tokens do. A channel's `token_url` option (or the stored credential's) replaces the
documented URL, so tests and proxies can point it at a stand-in.

Read 2026-11-29:
- X: docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code and user-access-token:
  POST https://api.x.com/2/oauth2/token, form `refresh_token`, `grant_type=refresh_token`,
  `client_id` (a public client); a confidential client authenticates with HTTP Basic (client id
  and secret). An access token lasts two hours; a refresh token needs `offline.access` and is
  replaced by each refresh (the answer carries the new one; the old one stops working).
- Google (YouTube): developers.google.com/identity/protocols/oauth2/web-server#offline:
  POST https://oauth2.googleapis.com/token with `client_id`, `client_secret`, `refresh_token`,
  `grant_type=refresh_token`; the refresh token stays the same; a revoked or expired one answers
  400 `invalid_grant`.
- LinkedIn: learn.microsoft.com/linkedin/shared/authentication/programmatic-refresh-tokens:
  POST https://www.linkedin.com/oauth/v2/accessToken with `grant_type=refresh_token`,
  `refresh_token`, `client_id`, `client_secret`. Only approved (MDP) partners get refresh tokens;
  access tokens last 60 days, a refresh token 365 days from the first authorization and that
  does not restart on refresh (`refresh_token_expires_in` says how long is left).
- Reddit: github.com/reddit-archive/reddit/wiki/OAuth2: POST
  https://www.reddit.com/api/v1/access_token, HTTP Basic with the client id and secret, form
  `grant_type=refresh_token&refresh_token=…`; access tokens last an hour.
Not refreshed here: Facebook and Instagram long-lived tokens are exchanged, not refreshed (a
person renews them through connect; the expiry sweep warns a week before); Mastodon tokens do not
expire; Tumblr and Plurk use OAuth 1.0a tokens that do not expire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ClientAuth = Literal["basic", "body", "basic_if_secret"]


@dataclass(frozen=True)
class TokenEndpoint:
    url: str
    # How the client proves itself: HTTP Basic, id and secret in the form, or (X) Basic for a
    # confidential client and the id alone in the form for a public one.
    client_auth: ClientAuth
    rotates: bool  # each refresh answers a new refresh token and retires the old one
    source: str


TOKEN_ENDPOINTS: dict[str, TokenEndpoint] = {
    "x": TokenEndpoint(
        "https://api.x.com/2/oauth2/token",
        "basic_if_secret",
        rotates=True,
        source="docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code",
    ),
    "youtube": TokenEndpoint(
        "https://oauth2.googleapis.com/token",
        "body",
        rotates=False,
        source="developers.google.com/identity/protocols/oauth2/web-server#offline",
    ),
    "linkedin": TokenEndpoint(
        "https://www.linkedin.com/oauth/v2/accessToken",
        "body",
        rotates=False,
        source="learn.microsoft.com/linkedin/shared/authentication/programmatic-refresh-tokens",
    ),
    "reddit": TokenEndpoint(
        "https://www.reddit.com/api/v1/access_token",
        "basic",
        rotates=False,
        source="github.com/reddit-archive/reddit/wiki/OAuth2 (Refreshing the token)",
    ),
}


def token_endpoint(network: str) -> TokenEndpoint | None:
    """The network's refresh endpoint, or None when its tokens are not refreshed."""
    return TOKEN_ENDPOINTS.get(network)
