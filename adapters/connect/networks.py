"""How each network authorizes an account, as its documentation describes it today (read
2026-11-29). Every URL is the documented default; a channel option of the same name replaces it
(`authorize_url`, `token_url`, `base_url` for the API the identity call goes to, `oauth_url`
for OAuth 1.0a's three endpoints), so tests and proxies can point them at a stand-in.

OAuth 2.0 authorization code (RFC 6749 §4.1):
- X: docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token: GET
  https://x.com/i/oauth2/authorize with PKCE (S256) and `state`; POST api.x.com/2/oauth2/token
  with `code`, `redirect_uri`, `code_verifier` (a public client sends `client_id`, a confidential
  one HTTP Basic); `offline.access` for a refresh token; identity GET /2/users/me.
- LinkedIn: learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow: GET
  www.linkedin.com/oauth/v2/authorization, POST …/oauth/v2/accessToken (id and secret in the
  form); identity GET api.linkedin.com/v2/userinfo (OpenID Connect: `openid profile`);
  `w_member_social` for a member, `w_organization_social` for a Page.
- Facebook / Instagram: developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
  and …/docs/facebook-login/guides/access-tokens/get-long-lived: GET
  www.facebook.com/<version>/dialog/oauth; GET graph.facebook.com/<version>/oauth/access_token
  with the code, then again with `grant_type=fb_exchange_token` for a long-lived user token; GET
  /me/accounts gives each Page's token (which, from a long-lived user token, does not expire) and
  its `instagram_business_account`.
- YouTube: developers.google.com/identity/protocols/oauth2/web-server: GET
  accounts.google.com/o/oauth2/v2/auth with `access_type=offline` and `prompt=consent` (so a
  refresh token is issued on every connect); POST oauth2.googleapis.com/token; identity GET
  /youtube/v3/channels?part=snippet&mine=true.
- Reddit: github.com/reddit-archive/reddit/wiki/OAuth2: GET www.reddit.com/api/v1/authorize with
  `duration=permanent`; POST www.reddit.com/api/v1/access_token with HTTP Basic (id, secret) and a
  descriptive User-Agent; identity GET oauth.reddit.com/api/v1/me.
- Mastodon: docs.joinmastodon.org/client/token and /methods/apps: POST /api/v1/apps on the
  instance registers the client (its id and secret come back), then GET /oauth/authorize and POST
  /oauth/token; identity GET /api/v1/accounts/verify_credentials. Tokens do not expire.
OAuth 1.0a (RFC 5849), three-legged: Tumblr (www.tumblr.com/oauth/request_token, /authorize,
/access_token; identity api.tumblr.com/v2/user/info: tumblr.com/docs/en/api/v2#authentication)
and Plurk (www.plurk.com/OAuth/request_token, /OAuth/authorize, /OAuth/access_token; identity
/APP/Users/me: plurk.com/API).
App passwords: Bluesky (com.atproto.server.createSession with the handle and an app password,
docs.bsky.app/docs/advanced-guides/api-directory), WordPress (an application password,
developer.wordpress.org/rest-api/using-the-rest-api/authentication; GET /wp-json/wp/v2/users/me).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from adapters.credentials.endpoints import TOKEN_ENDPOINTS

ClientAuth = Literal["basic", "body", "basic_if_secret", "query"]


@dataclass(frozen=True)
class OAuth2Network:
    network: str
    authorize_url: str
    token_url: str
    api_url: str  # where the identity call goes (the channel's `base_url` replaces it)
    scopes: tuple[str, ...]  # asked for; a channel's `scopes` option replaces them
    needed: tuple[str, ...]  # refused when the grant names scopes and these are not among them
    client_auth: ClientAuth
    pkce: bool = False
    extra: dict[str, str] = field(default_factory=dict)  # more authorize parameters
    register_app: bool = False  # Mastodon: POST /api/v1/apps first, on the instance


def _auth(network: str) -> ClientAuth:
    """The token endpoint's client authentication, shared with the refresh table."""
    return TOKEN_ENDPOINTS[network].client_auth


GRAPH = "https://graph.facebook.com"
FACEBOOK_SCOPES = ("pages_show_list", "pages_read_engagement", "pages_manage_posts")

OAUTH2: dict[str, OAuth2Network] = {
    "x": OAuth2Network(
        "x",
        "https://x.com/i/oauth2/authorize",
        TOKEN_ENDPOINTS["x"].url,
        "https://api.x.com",
        ("tweet.read", "tweet.write", "users.read", "offline.access", "media.write"),
        ("tweet.write", "users.read", "offline.access", "media.write"),
        _auth("x"),
        pkce=True,
    ),
    "linkedin": OAuth2Network(
        "linkedin",
        "https://www.linkedin.com/oauth/v2/authorization",
        TOKEN_ENDPOINTS["linkedin"].url,
        "https://api.linkedin.com",
        ("openid", "profile", "w_organization_social", "r_organization_social"),
        ("w_organization_social",),
        _auth("linkedin"),
    ),
    "facebook": OAuth2Network(
        "facebook",
        "https://www.facebook.com/{version}/dialog/oauth",
        GRAPH + "/{version}/oauth/access_token",
        GRAPH,
        FACEBOOK_SCOPES,
        (),  # Graph's token answer names no scopes; /me/accounts shows what was granted
        "query",
    ),
    "instagram": OAuth2Network(
        "instagram",
        "https://www.facebook.com/{version}/dialog/oauth",
        GRAPH + "/{version}/oauth/access_token",
        GRAPH,
        (*FACEBOOK_SCOPES, "instagram_basic", "instagram_content_publish", "business_management"),
        (),
        "query",
    ),
    "youtube": OAuth2Network(
        "youtube",
        "https://accounts.google.com/o/oauth2/v2/auth",
        TOKEN_ENDPOINTS["youtube"].url,
        "https://www.googleapis.com",
        (
            "https://www.googleapis.com/auth/youtube.upload",
            "https://www.googleapis.com/auth/youtube.readonly",
        ),
        ("https://www.googleapis.com/auth/youtube.upload",),
        _auth("youtube"),
        extra={"access_type": "offline", "prompt": "consent", "include_granted_scopes": "true"},
    ),
    "reddit": OAuth2Network(
        "reddit",
        "https://www.reddit.com/api/v1/authorize",
        TOKEN_ENDPOINTS["reddit"].url,
        "https://oauth.reddit.com",
        ("identity", "submit"),
        ("identity", "submit"),
        _auth("reddit"),
        extra={"duration": "permanent"},
    ),
    "mastodon": OAuth2Network(
        "mastodon",
        "{instance}/oauth/authorize",
        "{instance}/oauth/token",
        "https://mastodon.social",
        ("write:statuses", "write:media", "read:accounts"),
        ("write:statuses", "write:media"),
        "body",
        register_app=True,
    ),
}


@dataclass(frozen=True)
class OAuth1Network:
    network: str
    oauth_url: str  # request_token, authorize and access_token live under it
    paths: tuple[str, str, str]
    api_url: str
    identity_path: str


OAUTH1: dict[str, OAuth1Network] = {
    "tumblr": OAuth1Network(
        "tumblr",
        "https://www.tumblr.com",
        ("/oauth/request_token", "/oauth/authorize", "/oauth/access_token"),
        "https://api.tumblr.com",
        "/v2/user/info",
    ),
    "plurk": OAuth1Network(
        "plurk",
        "https://www.plurk.com",
        ("/OAuth/request_token", "/OAuth/authorize", "/OAuth/access_token"),
        "https://www.plurk.com",
        "/APP/Users/me",
    ),
}

APP_PASSWORD_NETWORKS = frozenset({"bluesky", "wordpress"})
