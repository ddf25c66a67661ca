"""An OAuth 2.0 token endpoint (RFC 6749 §6, refreshing), mounted on a StandIn route.

It keeps the refresh tokens it issued and answers as the networks document:
- a known refresh token: 200 with a new `access_token`, `expires_in`, `token_type` and, when the
  endpoint rotates (X), a new `refresh_token`, the old one retired at once;
- an unknown, retired or revoked one: 400 `{"error": "invalid_grant"}`;
- the wrong client: 401 `{"error": "invalid_client"}` (Basic, or id in the form, per `client_auth`).

    tokens = TokenEndpoint(server, "/2/oauth2/token", rotates=True, refresh_tokens={"rt-1"})
    ... tokens.refreshes  # the refresh requests it granted, in order
"""

from __future__ import annotations

import base64
import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

from tests.standins.networks import Recorded, Reply, StandIn


@dataclass
class TokenEndpoint:
    server: StandIn
    path: str
    client_id: str = "cid"
    client_secret: str | None = None  # set: the client must authenticate with it
    client_auth: str = "body"  # "basic" or "body"
    rotates: bool = False
    expires_in: int = 7200
    refresh_tokens: set[str] = field(default_factory=set)
    delay: float = 0.0  # hold each answer back (a slow endpoint, to widen a race)
    extra: dict[str, Any] = field(default_factory=dict)  # more fields in each grant
    refreshes: list[Recorded] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self.server.respond("POST", self.path, self._answer)

    def revoke_all(self) -> None:
        with self._lock:
            self.refresh_tokens.clear()

    def _answer(self, request: Recorded) -> Reply:
        form = request.form()
        if not self._client_ok(request, form):
            return Reply(401, {"error": "invalid_client"}, delay=self.delay)
        if form.get("grant_type") != "refresh_token":
            return Reply(400, {"error": "unsupported_grant_type"}, delay=self.delay)
        with self._lock:
            presented = form.get("refresh_token", "")
            if presented not in self.refresh_tokens:
                return Reply(400, {"error": "invalid_grant"}, delay=self.delay)
            number = next(self._numbers)
            grant: dict[str, Any] = {
                "token_type": "bearer",
                "access_token": f"access-{number}",
                "expires_in": self.expires_in,
                **self.extra,
            }
            if self.rotates:
                self.refresh_tokens.discard(presented)
                grant["refresh_token"] = f"refresh-{number}"
                self.refresh_tokens.add(grant["refresh_token"])
            self.refreshes.append(request)
            self.issued.append(grant["access_token"])
        return Reply(200, grant, delay=self.delay)

    def _client_ok(self, request: Recorded, form: dict[str, str]) -> bool:
        if self.client_auth == "basic":
            expected = f"{self.client_id}:{self.client_secret or ''}".encode()
            return request.header("authorization") == "Basic " + base64.b64encode(expected).decode(
                "ascii"
            )
        if form.get("client_id") != self.client_id:
            return False
        return self.client_secret is None or form.get("client_secret") == self.client_secret
