"""The bot's outgoing Bot Framework tokens: Entra ID client credentials (an app password, or a
certificate's signed assertion) through msal, from the authority in `[teams_cloud]`.

botbuilder 4.17 builds a new msal application for every connector client (a token request per
turn), lets msal ask login.microsoftonline.com about any other authority (instance discovery),
sets no timeout, and asks for the token inside msrest's request pipeline, on the event loop. Here
one msal application serves every turn (its cache holds the token until it expires), discovery is
only the authority's own OpenID configuration, every request has the configured time limit, and
the token is fetched in a worker thread before the connector needs it. A refusal is said once in
a sentence and not asked again for a minute.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from pathlib import Path
from typing import Any

from botframework.connector.auth import AppCredentials, ServiceClientCredentialsFactory
from msal import ConfidentialClientApplication

from adapters.settings import Settings
from adapters.teams.cloud import BOT_FRAMEWORK_SCOPE

log = logging.getLogger(__name__)

SHA1_HEX = re.compile(r"[0-9A-Fa-f]{40}")
REFUSAL_PAUSE_SECONDS = 60.0  # after a refusal, later calls fail at once instead of asking again


class CredentialsRefused(Exception):
    """Entra ID refused the bot's credentials: a setting to fix, not something to retry."""


class EntraCredentialsFactory(ServiceClientCredentialsFactory):
    """botbuilder's credentials factory for one bot identity (its connector clients ask it)."""

    def __init__(
        self, app_id: str, secret: str | dict[str, str], authority: str, timeout: float
    ) -> None:
        self.app_id = app_id
        self.authority = authority
        self.timeout = timeout
        self._secret = secret
        self.kind = "certificate" if isinstance(secret, dict) else "app password"
        self._app: ConfidentialClientApplication | None = None
        self._lock = threading.Lock()  # one token request at a time; the rest read the cache
        self._refused: tuple[float, str] | None = None

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return not self.app_id

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        # login_endpoint and validate_authority are botbuilder's idea of the cloud; ours is
        # the configured authority.
        if not await self.is_valid_app_id(app_id):
            raise CredentialsRefused(f"Teams asked for credentials of another app ({app_id}).")
        credentials = _EntraAppCredentials(self, app_id, oauth_scope or BOT_FRAMEWORK_SCOPE)
        scope = credentials.oauth_scope
        try:
            # Off the loop now, so that msrest's synchronous request for it is a cache hit.
            await asyncio.get_running_loop().run_in_executor(None, self.token, scope)
        except Exception as exc:
            # Raised only if this turn sends something (many need no token); not asked again.
            credentials.failure = exc
        return credentials

    def token(self, scope: str) -> str:
        """An access token for `scope`, from msal's cache or from Entra ID; CredentialsRefused
        with a sentence when Entra ID says no; network errors (OSError) as they come."""
        scopes = [scope if scope.endswith("/.default") else scope.rstrip("/") + "/.default"]
        with self._lock:
            if self._refused and time.monotonic() - self._refused[0] < REFUSAL_PAUSE_SECONDS:
                raise CredentialsRefused(self._refused[1])
            app = self._app or self._build()
            result: dict[str, Any] = app.acquire_token_for_client(scopes=scopes)  # cache first
            if "access_token" in result:
                self._refused = None
                return str(result["access_token"])
            return self._refuse(str(result.get("error") or "no token"))

    def _build(self) -> ConfidentialClientApplication:
        try:
            self._app = ConfidentialClientApplication(
                self.app_id,
                client_credential=self._secret,
                authority=self.authority,
                instance_discovery=False,  # the authority is configured, not discovered
                timeout=self.timeout,
            )
        except ValueError as exc:  # a 4xx from the authority's discovery, or an unusable key
            return self._refuse(str(exc).splitlines()[0][:200])
        return self._app

    def _refuse(self, error: str) -> Any:
        sentence = (
            f"Entra ID refused the Teams bot's {self.kind} ({error}) at {self.authority}. "
            "Check MicrosoftAppId, "
            + (
                "MicrosoftAppCertificateThumbprint and MicrosoftAppCertificateKeyFile"
                if self.kind == "certificate"
                else "MicrosoftAppPassword"
            )
            + " and MicrosoftAppTenantId; nothing can be sent to Teams until then."
        )
        log.error("teams: %s", sentence)
        self._refused = (time.monotonic(), sentence)
        raise CredentialsRefused(sentence)


class _EntraAppCredentials(AppCredentials):  # type: ignore[misc]
    """What msrest signs each connector request with: a bearer token from the factory."""

    def __init__(self, factory: EntraCredentialsFactory, app_id: str, scope: str) -> None:
        super().__init__(app_id=app_id, oauth_scope=scope)
        self.oauth_endpoint = factory.authority
        self.failure: Exception | None = None  # why the token could not be had before the turn
        self._factory = factory

    def get_access_token(self, force_refresh: bool = False) -> str:
        if self.failure is not None:
            raise self.failure
        return self._factory.token(self.oauth_scope)


def credentials_factory(settings: Settings) -> EntraCredentialsFactory | None:
    """The bot's credentials (a certificate when configured, else the app password), or None
    without an app id (local mode: nothing is signed)."""
    app_id = settings.teams_app_id
    if not app_id:
        return None
    cloud = settings.teams_cloud
    thumbprint, key_file = (
        settings.teams_certificate_thumbprint,
        settings.teams_certificate_key_file,
    )
    single = settings.teams_app_type.lower() == "singletenant"
    if thumbprint and key_file:
        if not SHA1_HEX.fullmatch(thumbprint):
            raise SystemExit(
                "MicrosoftAppCertificateThumbprint: give the certificate's SHA-1 thumbprint as "
                "Azure shows it, 40 hexadecimal digits without spaces or colons."
            )
        certificate = {"thumbprint": thumbprint, "private_key": _private_key(key_file)}
        authority = cloud.authority(settings.teams_tenant_id)
        return EntraCredentialsFactory(app_id, certificate, authority, cloud.timeout_seconds)
    if settings.teams_app_password is None:
        return None
    authority = cloud.authority(settings.teams_tenant_id if single else None)
    password = settings.teams_app_password.get_secret_value()
    return EntraCredentialsFactory(app_id, password, authority, cloud.timeout_seconds)


def _private_key(key_file: str) -> str:
    try:
        private_key = Path(key_file).read_text()
    except OSError as exc:
        raise SystemExit(
            f"MicrosoftAppCertificateKeyFile: cannot read {key_file} ({exc.strerror}). Give the "
            "path of the certificate's PEM private key."
        ) from None
    if "PRIVATE KEY" not in private_key:
        raise SystemExit(
            f"MicrosoftAppCertificateKeyFile: {key_file} holds no PEM private key "
            "(-----BEGIN PRIVATE KEY-----)."
        )
    return private_key
