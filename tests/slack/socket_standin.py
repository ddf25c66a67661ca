"""A stand-in for Slack's Socket Mode WebSocket: says hello, pushes envelopes, records the acks.

Served by aiohttp on 127.0.0.1:0; the Web API stand-in hands its URL out from
apps.connections.open. Envelopes follow Slack's documented shape (envelope_id, type, payload,
accepts_response_payload), and the app must answer each with its envelope_id.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from typing import Any

from aiohttp import WSMsgType, web


class SocketModeStandIn:
    def __init__(self) -> None:
        self.app = web.Application()
        self.app.router.add_get("/link", self.connect)
        self.acks: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self._ws: web.WebSocketResponse | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed = threading.Condition()

    async def connect(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._ws, self._loop = ws, asyncio.get_running_loop()
        hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}
        await ws.send_json(hello)
        self.connected.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                with self._changed:
                    self.acks.append(json.loads(message.data))
                    self._changed.notify_all()
        return ws

    def push(self, kind: str, payload: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
        """Send one envelope and wait (bounded) for its ack."""
        assert self.connected.wait(timeout), "the app never connected"
        assert self._ws is not None and self._loop is not None
        envelope_id = uuid.uuid4().hex
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        asyncio.run_coroutine_threadsafe(self._ws.send_json(envelope), self._loop).result(timeout)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for ack in self.acks:
                    if ack.get("envelope_id") == envelope_id:
                        return ack
                left = deadline - time.monotonic()
                assert left > 0, "no ack for the envelope"
                self._changed.wait(left)
