"""A stand-in for the Bot Framework connector REST API (v3), recording every outgoing activity.

It follows the documented contract for what Clearpost calls:

    POST /v3/conversations                               create a conversation -> {"id"}
    POST /v3/conversations/{conversation}/activities     send -> {"id"}
    POST /v3/conversations/{conversation}/activities/{a} reply -> {"id"}
    PUT  /v3/conversations/{conversation}/activities/{a} update -> {"id"}

A channel thread is the conversation `<channel>;messageid=<root id>`, as in Teams. `fail_next`
makes the next calls answer an error (e.g. 429 with Retry-After) to test the bot's retries. An
activity over the documented size limit (about 100 KB counted as UTF-16) is refused with 413
`MessageSizeTooBig`, as Teams does.

It also plays the user's OneDrive for the Teams bot file API:

    PUT /upload/{file}   an upload session (`uploadInfo.uploadUrl`): each fragment carries
                         `Content-Range: bytes a-b/total` and must start where the last ended;
                         202 {"nextExpectedRanges"} until the last byte, then 201 (a driveItem)
    GET /files/{file}    a file a person sent to the bot (`downloadUrl`), set with `serve_file`
Bound to 127.0.0.1 on port 0; `wait_for` polls a bounded number of times.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

MESSAGE_SIZE_LIMIT = 100 * 1024  # bytes of UTF-16 (learn.microsoft.com, format-your-bot-messages)


@dataclass
class Call:
    method: str
    path: str
    conversation: str
    activity_id: str | None  # the activity replied to or updated
    body: dict[str, Any]
    status: int
    authorization: str | None = None  # the Authorization header the bot sent

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in self.body.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return attachment.get("content")
        return None

    @property
    def card_text(self) -> str:
        """Every string in the card, joined: what a person could read on it."""
        found: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in {"text", "title", "value", "placeholder"} and isinstance(value, str):
                        found.append(value)
                    else:
                        walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(self.card)
        return "\n".join(found)


@dataclass
class _Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class BotConnectorStandIn:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.attempts = 0  # every request, failed ones included
        self._faults: list[_Fault] = []
        self._upload_faults: list[_Fault] = []
        self.uploads: dict[str, bytes] = {}  # completed uploads by file name
        self.upload_requests: list[tuple[str, str]] = []  # (file, Content-Range) of each PUT
        self.downloads: list[str] = []  # files fetched
        self.members: list[dict[str, Any]] = []  # TeamsChannelAccount records of the team
        self.member_reads: list[str] = []  # member ids asked for
        self._partial: dict[str, bytearray] = {}
        self._served: dict[str, tuple[int, bytes]] = {}
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> BotConnectorStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> BotConnectorStandIn:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- test controls -------------------------------------------------------------------------

    def fail_next(self, status: int, times: int = 1, retry_after: str | None = None) -> None:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        with self._lock:
            self._faults.extend(_Fault(status, headers) for _ in range(times))

    def upload_url(self, name: str) -> str:
        return f"{self.url}upload/{name}"

    def fail_next_upload(self, status: int, times: int = 1) -> None:
        with self._lock:
            self._upload_faults.extend(_Fault(status) for _ in range(times))

    def serve_file(self, name: str, data: bytes, status: int = 200) -> str:
        """Offer `data` as a file a person sent to the bot; returns its downloadUrl."""
        with self._lock:
            self._served[name] = (status, data)
        return f"{self.url}files/{name}"

    def sent(self, where: Callable[[Call], bool] | None = None) -> list[Call]:
        with self._lock:
            calls = [c for c in self.calls if c.status < 300]
        return [c for c in calls if where is None or where(c)]

    def wait_for(
        self, where: Callable[[Call], bool], count: int = 1, timeout: float = 10.0
    ) -> list[Call]:
        """The matching calls once there are `count` of them; AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        for _ in range(int(timeout / 0.02) + 1):
            found = self.sent(where)
            if len(found) >= count or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        if len(found) < count:
            raise AssertionError(f"expected {count} matching calls, saw {len(found)}")
        return found

    # -- the server ----------------------------------------------------------------------------

    def _upload(self, name: str, content_range: str, body: bytes) -> tuple[int, Any]:
        with self._lock:
            self.upload_requests.append((name, content_range))
            fault = self._upload_faults.pop(0) if self._upload_faults else None
            if fault:
                return fault.status, {"error": {"code": "serviceNotAvailable"}}
            match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", content_range)
            received = self._partial.setdefault(name, bytearray())
            if match is None:
                return 400, {"error": {"code": "invalidRequest", "message": "Content-Range"}}
            start, end, total = (int(g) for g in match.groups())
            if start != len(received) or end - start + 1 != len(body) or end >= total:
                return 416, {"error": {"code": "invalidRange"}}
            received.extend(body)
            if len(received) < total:
                return 202, {"nextExpectedRanges": [f"{len(received)}-"]}
            self.uploads[name] = bytes(self._partial.pop(name))
            return 201, {"id": f"item-{name}", "name": name, "size": total}

    def _member(self, member_id: str) -> tuple[int, bytes]:
        """GET /v3/conversations/{id}/members/{memberId}: the member's TeamsChannelAccount (with
        email and userPrincipalName), found by its 29: id or its aadObjectId."""
        with self._lock:
            self.member_reads.append(member_id)
            found = next(
                (m for m in self.members if member_id in (m.get("id"), m.get("aadObjectId"))),
                None,
            )
        if found is None:
            error = {"error": {"code": "MemberNotFoundInConversation", "message": "not found"}}
            return 404, json.dumps(error).encode()
        return 200, json.dumps(found).encode()

    def _file(self, name: str) -> tuple[int, bytes]:
        with self._lock:
            self.downloads.append(name)
            return self._served.get(name, (404, b""))

    def _handle(
        self, method: str, raw_path: str, body: bytes, authorization: str | None = None
    ) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            self.attempts += 1
            fault = self._faults.pop(0) if self._faults else None
        parts = [unquote(p) for p in raw_path.split("?")[0].strip("/").split("/")]
        payload = json.loads(body or b"{}")
        if parts[:2] != ["v3", "conversations"]:
            return 404, {}, {"error": {"code": "NotFound", "message": "unknown path"}}
        conversation = parts[2] if len(parts) > 2 else ""
        activity_id = parts[4] if len(parts) > 4 else None
        status = fault.status if fault else 200 if method == "PUT" else 201
        text = json.dumps(payload, ensure_ascii=False)
        too_big = len(parts) > 2 and len(text.encode("utf-16-le")) > MESSAGE_SIZE_LIMIT
        if too_big and not fault:
            fault, status = _Fault(413), 413
        with self._lock:
            self.calls.append(
                Call(method, raw_path, conversation, activity_id, payload, status, authorization)
            )
            new_id = str(next(self._ids))
        if fault:
            codes = {429: "Throttled", 413: "MessageSizeTooBig"}
            error = {"error": {"code": codes.get(status, "ServiceError")}}
            return status, fault.headers, error
        if len(parts) == 2:  # create conversation
            return status, {}, {"id": f"a:personal-{new_id}", "activityId": new_id}
        if method == "PUT":
            return status, {}, {"id": activity_id}
        return status, {}, {"id": new_id}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = unquote(self.path.split("?")[0])
                headers: dict[str, str] = {}
                content_type = "application/json"
                if self.command == "PUT" and path.startswith("/upload/"):
                    content_range = self.headers.get("Content-Range") or ""
                    status, answer = outer._upload(path[8:], content_range, body)
                    data = json.dumps(answer).encode()
                elif self.command == "GET" and "/members/" in path:
                    status, data = outer._member(path.rsplit("/", 1)[1])
                elif self.command == "GET" and path.startswith("/files/"):
                    status, data = outer._file(path[7:])
                    content_type = "application/octet-stream"
                elif self.command == "GET":
                    status, data = 404, b"{}"
                else:
                    status, headers, answer = outer._handle(
                        self.command, self.path, body, self.headers.get("Authorization")
                    )
                    data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _serve  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        return Handler
