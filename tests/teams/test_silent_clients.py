"""Slow or silent clients: a request whose promised body never arrives is answered 408 after
REQUEST_SECONDS and let go, and clients that drop their connections leave no ERROR tracebacks.
Before, such connections stayed open with no timeout, and closing 2,000 of them logged 2,000
ERROR tracebacks (ConnectionResetError)."""

from __future__ import annotations

import logging
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import adapters.web

PROMISE = (
    b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: 1000\r\n\r\n{"
)


def server_errors(caplog: Any) -> list[tuple[str, str, str | None]]:
    """ERRORs and tracebacks of the HTTP server (other tests' threads in this worker may log
    their own while this one runs)."""
    return [
        (r.name, r.getMessage(), repr(r.exc_info[1]) if r.exc_info else None)
        for r in caplog.records
        if r.name.startswith(("aiohttp", "adapters.web"))
        and (r.levelno >= logging.ERROR or r.exc_info)
    ]


def connect(url: str) -> socket.socket:
    address = urlsplit(url)
    conn = socket.create_connection((address.hostname, address.port), timeout=5)
    conn.sendall(PROMISE)
    return conn


def test_a_body_that_never_arrives_is_answered_408(teams, monkeypatch, caplog):
    monkeypatch.setattr(adapters.web, "REQUEST_SECONDS", 0.5)
    conns = [connect(teams.url) for _ in range(20)]
    started = time.monotonic()

    answers = [c.recv(100) for c in conns]

    assert all(a.startswith(b"HTTP/1.1 408") for a in answers), answers[:3]
    assert time.monotonic() - started < 5
    for conn in conns:
        conn.close()
    assert not server_errors(caplog)


def test_clients_that_leave_early_are_not_errors(teams, caplog):
    caplog.set_level(logging.DEBUG)
    conns = [connect(teams.url) for _ in range(20)]
    time.sleep(0.3)
    for conn in conns:
        conn.close()
    time.sleep(0.5)

    assert not server_errors(caplog)
