"""`[teams_cloud]`: where the Bot Framework's identity services are, and how long to wait for them.

Unset, everything is Microsoft's public cloud (botbuilder's own constants). A private or national
cloud, or a test with stand-ins on 127.0.0.1, names its own: the Entra ID authority the bot gets its
outgoing tokens from, and the OpenID metadata and issuer of the tokens Teams sends the bot. Set as
`[teams_cloud]` in clearpost.toml or as JSON in CLEARPOST_TEAMS_CLOUD.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

# botframework.connector.auth.AuthenticationConstants, repeated so settings load without botbuilder.
PUBLIC_AUTHORITY = "https://login.microsoftonline.com"
PUBLIC_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
PUBLIC_TOKEN_ISSUER = "https://api.botframework.com"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com"
MULTI_TENANT = "botframework.com"  # the tenant a multi-tenant bot gets its tokens from
MAX_URL = 2048


def _https_url(value: str, *, path: bool) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if len(value) > MAX_URL or parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"{value[:80]!r} is not an https URL (https://host{'/…' if path else ''})")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{value[:80]!r}: give the URL without a query, fragment or user name")
    if not path and parts.path.strip("/"):
        raise ValueError(
            f"{value[:80]!r}: give only https://host; the tenant is added from "
            "MicrosoftAppTenantId (or botframework.com for a multi-tenant bot)"
        )
    return value.rstrip("/") if not path else value


class TeamsCloudSettings(BaseModel):
    """The Bot Framework's identity endpoints (public cloud unless set) and their time limit."""

    model_config = ConfigDict(extra="forbid")

    # The Entra ID host outgoing tokens come from; msal adds the tenant and reads its
    # /v2.0/.well-known/openid-configuration there (and nowhere else: no instance discovery).
    login_authority: str = PUBLIC_AUTHORITY
    # Where the keys that sign Teams' requests to the bot are published, and their issuer.
    openid_metadata_url: str = PUBLIC_OPENID_METADATA_URL
    token_issuer: str = Field(default=PUBLIC_TOKEN_ISSUER, min_length=1, max_length=200)
    # Each request to these services (token, discovery, signing keys) gives up after this long.
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    @field_validator("login_authority")
    @classmethod
    def _authority(cls, value: str) -> str:
        return _https_url(value, path=False)

    @field_validator("openid_metadata_url")
    @classmethod
    def _metadata(cls, value: str) -> str:
        return _https_url(value, path=True)

    def authority(self, tenant: str | None) -> str:
        """The msal authority: the host and the tenant the token is issued in."""
        return f"{self.login_authority}/{tenant or MULTI_TENANT}"

    @property
    def inbound_is_public(self) -> bool:
        return (self.openid_metadata_url, self.token_issuer) == (
            PUBLIC_OPENID_METADATA_URL,
            PUBLIC_TOKEN_ISSUER,
        )
