"""A stand-in for the Slack Web API (and response URLs) that records every call.

It follows the documented contract as slack-sdk uses it: `POST /api/<method>` with a bearer token,
a form or JSON body, and `{"ok": true, ...}` or `{"ok": false, "error": "..."}` with HTTP 200;
rate limits are HTTP 429 with `Retry-After`. Response URLs (`/response/<id>`) and the upload URL
of files_upload_v2 (`/upload/<file id>`) are served too. Bound to 127.0.0.1 on port 0.

Files people share (`share_file`) are described by files.info and downloaded with GET from their
`url_private_download` (`/download/<file id>/<name>`), which needs the bot token as a bearer token;
without it Slack answers 200 with an HTML sign-in page, and so does this stand-in.

Faults are queued per method: `fail("chat.postMessage", "not_in_channel")` makes the next call
answer that error; `rate_limit("chat.postMessage", retry_after=1)` answers one 429.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote

from tests.support.slack_limits import payload_problems, slack_error

BOT_USER = "U_BOT"
TEAM = "T_CLINIC"
JSON_FIELDS = {"blocks", "view", "attachments", "metadata", "files"}


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", or "response_url" / "upload"
    params: dict[str, Any]
    path: str
    status: int
    received: float = 0.0  # time.monotonic() when the request arrived
    answered: float = 0.0  # ... and when its answer was ready (after any delay)


@dataclass(frozen=True)
class SharedFile:
    id: str
    name: str
    filetype: str
    content: bytes
    user: str
    channel: str
    ts: str
    size: int  # what files.info reports; normally len(content)


@dataclass
class Fault:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class SlackApiStandIn:
    def __init__(self, token: str = "xoxb-test-token") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.usergroups: dict[str, list[str]] = {}  # handle -> member ids
        self.socket_url: str | None = None  # what apps.connections.open hands out
        self.files: dict[str, SharedFile] = {}  # shared by people: files.info and downloads
        self.uploaded: dict[str, bytes] = {}  # file id -> bytes sent through files_upload_v2
        self.forbidden: set[str] = set()  # file ids whose download Slack answers 403
        self.delays: dict[str, float] = {}  # method -> seconds to wait before answering
        # What real Slack would refuse in a payload (tests/support/slack_limits.py): answered
        # as Slack does (invalid_blocks, msg_blocks_too_long), and kept here so a test can say
        # what was wrong; what Slack only advises against is answered ok and kept here too.
        self.refused: list[tuple[str, list[str]]] = []
        self.people: dict[str, dict[str, Any]] = {}  # user id -> users.info `user` object
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.base}/response/{name}"

    def __enter__(self) -> SlackApiStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- arranging faults ----------------------------------------------------------------------

    def fail(self, method: str, error: str, times: int = 1) -> None:
        for _ in range(times):
            self.faults[method].append(Fault(200, {"ok": False, "error": error}))

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        for _ in range(times):
            self.faults[method].append(
                Fault(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})
            )

    def server_error(self, method: str, times: int = 1) -> None:
        for _ in range(times):
            self.faults[method].append(Fault(503, {"ok": False, "error": "service_unavailable"}))

    def share_file(
        self,
        user: str,
        channel: str,
        name: str,
        content: bytes,
        filetype: str | None = None,
        size: int | None = None,
    ) -> SharedFile:
        """A file a person shared in `channel`, as files.info will describe it."""
        file_id = f"F{next(self._ts):06d}"
        shared = SharedFile(
            id=file_id,
            name=name,
            filetype=filetype or name.rpartition(".")[2].lower(),
            content=content,
            user=user,
            channel=channel,
            ts=f"1764600{next(self._ts):03d}.000300",
            size=len(content) if size is None else size,
        )
        with self._lock:
            self.files[file_id] = shared
        return shared

    # -- reading what happened -----------------------------------------------------------------

    def called(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def succeeded(self, method: str) -> list[Call]:
        return [c for c in self.called(method) if c.status == 200]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Bounded wait until `count` calls of `method` arrived; returns them (maybe fewer)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    return found
                self._lock.wait(timeout=left)

    def replies(self) -> list[str]:
        """Texts sent to the person: response URLs and ephemeral messages, in order."""
        with self._lock:
            return [
                str(c.params.get("text", ""))
                for c in self.calls
                if c.method in ("response_url", "chat.postEphemeral")
            ]

    def thread_replies(self, thread_ts: str) -> list[str]:
        return [
            str(c.params.get("text", ""))
            for c in self.succeeded("chat.postMessage")
            if c.params.get("thread_ts") == thread_ts
        ]

    def direct_messages(self, user_id: str) -> list[str]:
        return [
            str(c.params.get("text", ""))
            for c in self.succeeded("chat.postMessage")
            if c.params.get("channel") == user_id
        ]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    # -- answering -----------------------------------------------------------------------------

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel") or "")
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://clinic.slack.com/",
                "team": "Clinic",
                "user": "clearpost",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": "B_BOT",
            }
        if method == "apps.connections.open":
            if self.socket_url is None:
                return {"ok": False, "error": "socket_mode_not_enabled"}
            return {"ok": True, "url": self.socket_url}
        if method == "chat.postMessage":
            ts = f"1764000{next(self._ts):03d}.000100"
            if channel.startswith("U"):
                channel = "D" + channel[1:]  # a message to a user lands in their DM
            return {"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts}}
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": params.get("ts")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1764999{next(self._ts):03d}.000100"}
        if method == "chat.getPermalink":
            ts = str(params.get("message_ts", "")).replace(".", "")
            return {"ok": True, "permalink": f"https://clinic.slack.com/archives/{channel}/p{ts}"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", ""))[1:]}}
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            return {"ok": True, "view": {"id": f"V{next(self._ts):06d}"}}
        if method == "usergroups.list":
            groups = [{"id": f"S_{h.upper()}", "handle": h} for h in self.usergroups]
            return {"ok": True, "usergroups": groups}
        if method == "usergroups.users.list":
            wanted = str(params.get("usergroup"))
            for handle, members in self.usergroups.items():
                if wanted == f"S_{handle.upper()}":
                    return {"ok": True, "users": members}
            return {"ok": False, "error": "no_such_subteam"}
        if method == "users.info":
            user = self.people.get(str(params.get("user")))
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": user}
        if method == "files.info":
            shared = self.files.get(str(params.get("file")))
            if shared is None:
                return {"ok": False, "error": "file_not_found"}
            return {"ok": True, "file": self._file_object(shared)}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):06d}"
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = params.get("files") or []
            return {
                "ok": True,
                "files": [{"id": f.get("id"), "title": f.get("title")} for f in files],
            }
        return {"ok": False, "error": "unknown_method"}

    def _file_object(self, shared: SharedFile) -> dict[str, Any]:
        # The name is percent-encoded in the URL, as Slack does.
        url = f"{self.base}/download/{shared.id}/{quote(shared.name, safe='')}"
        return {
            "id": shared.id,
            "name": shared.name,
            "title": shared.name,
            "filetype": shared.filetype,
            "mimetype": "application/octet-stream",
            "size": shared.size,
            "user": shared.user,
            "url_private": url,
            "url_private_download": url,
            "shares": {"private": {shared.channel: [{"ts": shared.ts}]}},
        }

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return  # quiet: tests read the recorded calls instead

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.startswith("/upload/"):
                    with standin._lock:
                        standin.uploaded[self.path.split("/")[2]] = raw
                    standin._record(Call("upload", {"bytes": len(raw)}, self.path, 200))
                    self._send(200, b"OK", "text/plain")
                    return
                received = time.monotonic()
                params = _decode(raw, self.headers.get("Content-Type") or "")
                if self.path.startswith("/response/"):
                    problems = payload_problems("response_url", params)
                    if problems:
                        with standin._lock:
                            standin.refused.append(("response_url", problems))
                    standin._record(Call("response_url", params, self.path, 200, received))
                    self._send(200, b"ok", "text/plain")
                    return
                method = self.path.removeprefix("/api/").split("?")[0]
                auth = self.headers.get("Authorization") or ""
                # Socket Mode opens its connection with the app-level token (xapp-), not the bot's.
                app_level = method == "apps.connections.open" and auth.startswith("Bearer xapp-")
                if auth != f"Bearer {standin.token}" and not app_level:
                    body, status, headers = {"ok": False, "error": "not_authed"}, 200, {}
                else:
                    with standin._lock:
                        queued = standin.faults[method]
                        fault = queued.popleft() if queued else None
                    problems = payload_problems(method, params)
                    if fault is not None:
                        body, status, headers = fault.body, fault.status, fault.headers
                    elif slack_error(problems):
                        with standin._lock:
                            standin.refused.append((method, problems))
                        error = slack_error(problems)
                        body, status, headers = {"ok": False, "error": error}, 200, {}
                    else:
                        if problems:  # accepted by Slack, but against its advice: noted
                            with standin._lock:
                                standin.refused.append((method, problems))
                        body, status, headers = standin._answer(method, params), 200, {}
                time.sleep(standin.delays.get(method, 0.0))
                answered = time.monotonic()
                standin._record(Call(method, params, self.path, status, received, answered))
                self._send(status, json.dumps(body).encode(), "application/json", headers)

            def do_GET(self) -> None:  # noqa: N802
                parts = self.path.split("/")
                shared = standin.files.get(parts[2]) if len(parts) > 2 else None
                if not self.path.startswith("/download/") or shared is None:
                    standin._record(Call("download", {}, self.path, 404))
                    self._send(404, b"Not found", "text/plain")
                    return
                if shared.id in standin.forbidden:
                    standin._record(Call("download", {"forbidden": True}, self.path, 403))
                    self._send(403, b"Forbidden", "text/plain")
                    return
                if self.headers.get("Authorization") != f"Bearer {standin.token}":
                    standin._record(Call("download", {"authorized": False}, self.path, 200))
                    self._send(200, b"<!DOCTYPE html><html>Sign in</html>", "text/html")
                    return
                standin._record(Call("download", {"authorized": True}, self.path, 200))
                self._send(200, shared.content, "application/octet-stream")

            def _send(
                self,
                status: int,
                payload: bytes,
                content_type: str,
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

        return Handler


def _decode(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8") if raw else ""
    if "json" in content_type:
        found = json.loads(text or "{}")
        params = found if isinstance(found, dict) else {}
    else:
        params = dict(parse_qsl(text, keep_blank_values=True))
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass
    return params
