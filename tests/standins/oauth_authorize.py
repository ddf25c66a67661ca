"""An OAuth 2.0 authorization server (RFC 6749 §4.1, RFC 7636 PKCE) on a StandIn: its authorize
endpoint plays the person's browser session (approves at once, or declines), its token endpoint
grants codes and, through tests/standins/oauth2.py's TokenEndpoint, refreshes.

    auth = AuthorizationServer(server, "/i/oauth2/authorize", "/2/oauth2/token", pkce=True,
                               rotates=True)
    browser_approves(url)          # follows the authorize URL to the callback, returns the page

The authorize endpoint checks `response_type=code`, the client id, the redirect URI and, with
`pkce`, an S256 `code_challenge`; it answers 302 to the redirect URI with `code` and `state`
(or `error=access_denied`). The token endpoint checks the code (once), the same redirect URI,
the client's authentication and the PKCE verifier against the challenge; a grant names `scope`.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.standins.networks import Recorded, Reply, StandIn
from tests.standins.oauth2 import TokenEndpoint


@dataclass
class AuthorizationServer:
    server: StandIn
    authorize_path: str
    token_path: str
    client_id: str = "cid"
    client_secret: str | None = None
    client_auth: str = "body"  # how the token endpoint wants the client: "basic" or "body"
    pkce: bool = False
    rotates: bool = False
    expires_in: int = 7200
    grant_scope: str | None = None  # what the grant says was granted; None: what was asked
    decline: bool = False  # the person clicks "Cancel"
    refuse_codes: bool = False  # the token endpoint answers invalid_grant to every code
    extra_grant: dict[str, Any] = field(default_factory=dict)
    authorizations: list[Recorded] = field(default_factory=list)
    exchanges: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.tokens = TokenEndpoint(
            self.server,
            self.token_path,
            client_id=self.client_id,
            client_secret=self.client_secret,
            client_auth=self.client_auth,
            rotates=self.rotates,
            expires_in=self.expires_in,
        )
        self._codes: dict[str, dict[str, str]] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self.server.respond("GET", self.authorize_path, self._authorize)
        self.server.respond("POST", self.token_path, self._token)

    def _authorize(self, request: Recorded) -> Reply:
        self.authorizations.append(request)
        asked = {k: v[0] for k, v in request.query.items()}
        redirect = asked.get("redirect_uri", "")
        if asked.get("response_type") != "code" or asked.get("client_id") != self.client_id:
            return Reply(400, body="invalid_request")
        if self.pkce and (
            asked.get("code_challenge_method") != "S256" or not asked.get("code_challenge")
        ):
            return Reply(400, body="PKCE with S256 is required")
        if self.decline:
            answer = {"error": "access_denied", "state": asked.get("state", "")}
        else:
            code = f"code-{next(self._numbers)}"
            with self._lock:
                self._codes[code] = asked
            answer = {"code": code, "state": asked.get("state", "")}
        return Reply(302, headers={"Location": f"{redirect}?{urlencode(answer)}"})

    def _token(self, request: Recorded) -> Reply:
        form = request.form()
        if form.get("grant_type") == "refresh_token":
            return self.tokens._answer(request)
        self.exchanges.append(request)
        if not self.tokens._client_ok(request, form):
            return Reply(401, {"error": "invalid_client"})
        with self._lock:
            asked = self._codes.pop(form.get("code", ""), None)  # a code works once
        if self.refuse_codes or asked is None or form.get("redirect_uri") != asked["redirect_uri"]:
            return Reply(400, {"error": "invalid_grant"})
        if self.pkce and _s256(form.get("code_verifier", "")) != asked["code_challenge"]:
            return Reply(400, {"error": "invalid_grant", "error_description": "PKCE"})
        number = next(self._numbers)
        grant: dict[str, Any] = {
            "token_type": "bearer",
            "access_token": f"first-access-{number}",
            "expires_in": self.expires_in,
            "scope": self.grant_scope if self.grant_scope is not None else asked.get("scope"),
            "refresh_token": f"first-refresh-{number}",
            **self.extra_grant,
        }
        self.tokens.refresh_tokens.add(grant["refresh_token"])
        return Reply(200, grant)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
