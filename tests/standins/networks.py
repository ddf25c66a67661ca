"""A small frame for stand-in network servers: loopback only, scripted, recording, bounded.

A test scripts the answers for each route, points a publisher's `base_url` at `server.base_url`,
and then reads `server.requests` to see exactly what was sent:

    with StandIn() as server:
        server.script("POST", "/2/tweets", Reply(201, {"data": {"id": "1", "text": "hi"}}))
        ...
        assert server.requests[0].json()["text"] == "hi"

Routes are matched on method and path (exact, or a regular expression passed as re.Pattern).
Scripted replies are used in order; the last one repeats. A route may instead be answered by a
function of the recorded request. An unscripted route answers 404 with a JSON body naming it, so a
wrong path fails loudly. The server answers at most `max_requests` requests and for at most
`lifetime` seconds; after either it answers 503 and stops recording.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    """One scripted answer. `delay` holds the answer back (to provoke a client timeout);
    `drop` reads the request and closes the connection without answering (lost after sending)."""

    status: int = 200
    json: Any = None
    body: bytes | str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False

    def payload(self) -> tuple[bytes, str]:
        if self.body is not None:
            raw = self.body.encode() if isinstance(self.body, str) else self.body
            return raw, "text/plain; charset=utf-8"
        if self.json is None:
            return b"", "application/json"
        return json.dumps(self.json).encode(), "application/json"


@dataclass(frozen=True)
class Recorded:
    """One request as the stand-in received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


Responder = Callable[[Recorded], Reply]
Route = tuple[str, str | re.Pattern[str]]


class StandIn:
    """A threaded HTTP server on 127.0.0.1 and a free port, answering from per-route scripts."""

    def __init__(self, *, max_requests: int = 200, lifetime: float = 60.0) -> None:
        self.requests: list[Recorded] = []
        self.max_requests = max_requests
        self.lifetime = lifetime
        self._scripts: dict[Route, list[Reply]] = {}
        self._responders: dict[Route, Responder] = {}
        self._lock = threading.Lock()
        self._started_at = 0.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._serve, name="standin", daemon=True)

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StandIn:
        self._started_at = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=0.05)

    # -- scripting --------------------------------------------------------------------------

    def script(self, method: str, path: str | re.Pattern[str], *replies: Reply) -> None:
        """Answer `method path` with these replies in order; the last one repeats."""
        with self._lock:
            self._scripts[(method.upper(), path)] = list(replies)

    def respond(self, method: str, path: str | re.Pattern[str], responder: Responder) -> None:
        """Answer `method path` with whatever `responder(request)` returns."""
        with self._lock:
            self._responders[(method.upper(), path)] = responder

    def to(self, method: str, path: str) -> list[Recorded]:
        """The recorded requests to one method and exact path."""
        return [r for r in self.requests if r.method == method.upper() and r.path == path]

    # -- answering --------------------------------------------------------------------------

    def _over_budget(self) -> bool:
        late = time.monotonic() - self._started_at > self.lifetime
        return late or len(self.requests) >= self.max_requests

    def _answer(self, request: Recorded) -> Reply:
        with self._lock:
            if self._over_budget():
                return Reply(503, {"error": "stand-in request budget spent"})
            self.requests.append(request)
            responder = next(
                (
                    fn
                    for (method, pattern), fn in self._responders.items()
                    if method == request.method and _matches(pattern, request.path)
                ),
                None,
            )
            if responder is None:
                for (method, pattern), replies in self._scripts.items():
                    if method == request.method and _matches(pattern, request.path):
                        return replies.pop(0) if len(replies) > 1 else replies[0]
                missing = f"stand-in has no script for {request.method} {request.path}"
                return Reply(404, {"error": missing})
        return responder(request)


def _matches(pattern: str | re.Pattern[str], path: str) -> bool:
    if isinstance(pattern, re.Pattern):
        return pattern.fullmatch(path) is not None
    return pattern == path


def _handler_for(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            recorded = Recorded(
                method=self.command,
                path=url.path,
                query=parse_qs(url.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            reply = standin._answer(recorded)
            if reply.delay:
                time.sleep(min(reply.delay, 10.0))
            if reply.drop:
                # The request arrived; the answer never leaves. The client sees the connection
                # close with no response, as when a network accepts and then the link drops.
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            raw, content_type = reply.payload()
            try:
                self.send_response(reply.status)
                headers = {"Content-Type": content_type, **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                if not any(name.lower() == "content-length" for name in headers):
                    self.send_header("Content-Length", str(len(raw)))  # else a HEAD's own
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout); nothing to tell it

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return  # quiet: the test reads `requests`, not stderr

    return Handler


# Answers that provoke the outcome-table rows every network shares. A module's contract test
# looks each of its OUTCOMES rows up here (or in its own additions) by the row's `when`.
# "timeout" assumes the channel's `timeout_seconds` is below TIMEOUT_DELAY (contracts use 0.5).
TIMEOUT_DELAY = 1.5
COMMON_REPLIES: dict[str, Reply] = {
    "401": Reply(401, {"error": "invalid token"}),
    "403": Reply(403, {"error": "forbidden"}),
    "429": Reply(429, {"error": "slow down"}, headers={"Retry-After": "42"}),
    "5xx": Reply(503, {"error": "unavailable"}),
    "timeout": Reply(200, {}, delay=TIMEOUT_DELAY),
    "lost": Reply(drop=True),
    "malformed": Reply(200, body="<html>surprise</html>"),
}
