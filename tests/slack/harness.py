"""Drives the real `clearpost serve` app the way Slack does: signed HTTP requests in Slack's
documented payload formats, to the aiohttp app on 127.0.0.1:0, with the Web API at a stand-in.

`SlackWorkspace` owns the stand-in, the Core (SQLite file in a temporary directory), the served
app and a signing client; the Slack tests and the e2e driver both use it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from aiohttp import web

from adapters.bootstrap import Core, build_core
from adapters.settings import Settings
from adapters.slack import ids
from adapters.slack.app import SLACK_KEY, SlackRuntime
from adapters.web import build_web_app
from tests.conftest import NOW
from tests.fakes import FixedClock, assert_none_published, publish_nothing_unscripted
from tests.standins.slack_api import SharedFile, SlackApiStandIn

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test-token"
APPROVALS = "C_APPROVALS"
GENERAL = "C_GENERAL"
NAMES = {
    "U_NURSE": "nora",
    "U_OFFICER": "olga",
    "U_OFFICER2": "oscar",
    "U_STRANGER": "sam",
}


class ServedApp:
    """An aiohttp application served on 127.0.0.1:0 from its own event loop thread."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner = web.AppRunner(app)
        self.url = ""

    def __enter__(self) -> ServedApp:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=10)
        return self

    async def _start(self) -> None:
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


def sign(body: str, timestamp: int, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def settings_for(tmp_path: Path, api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'clearpost.db'}",
        "timezone": "America/New_York",
        "approvers": ["slack:U_OFFICER", "slack:U_OFFICER2"],
        "channels": {
            "x-main": {"network": "x"},
            "facebook-clinic": {"network": "facebook"},
            "blog": {"network": "wordpress"},
        },
        "slack_bot_token": TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": api_url,
        "slack_approval_channel": APPROVALS,
        "slack_app_token": None,
    }
    values.update(overrides)
    return Settings(**values)


class SlackWorkspace:
    """One Slack workspace talking to one Clearpost: people send requests, the stand-in hears
    what Clearpost says back."""

    def __init__(self, tmp_path: Path, **settings: Any) -> None:
        self.tmp_path = tmp_path
        self.settings_overrides = settings
        self.api = SlackApiStandIn(TOKEN)
        self.clock = FixedClock(NOW)
        self._ids = itertools.count(1)
        self.core: Core
        self.served: ServedApp
        self.http: httpx.Client

    def __enter__(self) -> SlackWorkspace:
        self.api.__enter__()
        settings = settings_for(self.tmp_path, self.api.api_url, **self.settings_overrides)
        self.core = build_core(settings, clock=self.clock)
        # No scheduler here: a test dispatches itself, on its own clock, with scripted networks.
        self.unscripted = publish_nothing_unscripted(self.core.publishers)
        self.served = ServedApp(build_web_app(self.core, dispatch=False)).__enter__()
        self.http = httpx.Client(base_url=self.served.url, timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()
        self.runtime.wait_idle(timeout=10)
        self.served.__exit__()
        self.core.shutdown()
        self.api.__exit__()
        assert_none_published(self.unscripted)

    @property
    def runtime(self) -> SlackRuntime:
        return self.served.app[SLACK_KEY]

    @property
    def workflow(self):  # type: ignore[no-untyped-def]
        return self.core.workflow

    # -- sending ---------------------------------------------------------------------------------

    def send(
        self,
        body: str,
        content_type: str,
        *,
        retry_num: int | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        """POST a signed request, then wait until the work it started after its ack is done."""
        ts = timestamp if timestamp is not None else int(time.time())
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature or sign(body, ts),
        }
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        response = self.http.post("/slack/events", content=body, headers=headers)
        assert self.runtime.wait_idle(timeout=20), "work after the ack did not finish"
        return response

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def command(
        self,
        user: str,
        text: str,
        command: str = ids.COMMAND_PROPOSE,
        *,
        trigger_id: str | None = None,
        retry_num: int | None = None,
    ) -> httpx.Response:
        form = {
            "token": "legacy-verification-token",
            "team_id": "T_CLINIC",
            "team_domain": "clinic",
            "channel_id": GENERAL,
            "channel_name": "general",
            "user_id": user,
            "user_name": NAMES.get(user, user.lower()),
            "command": command,
            "text": text,
            "api_app_id": "A_CLEARPOST",
            "response_url": self.api.response_url(self.next_id("cmd")),
            "trigger_id": trigger_id or self.next_id("trigger."),
        }
        return self.send(urlencode(form), "application/x-www-form-urlencoded", retry_num=retry_num)

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)})
        return self.send(body, "application/x-www-form-urlencoded")

    def _user(self, user: str) -> dict[str, str]:
        name = NAMES.get(user, user.lower())
        return {"id": user, "username": name, "name": name, "team_id": "T_CLINIC"}

    def click(
        self, user: str, action_id: str, post_id: int, value: str | None = None
    ) -> httpx.Response:
        """A button on the post's thread parent, as it is rendered now (or with `value`)."""
        post = self.workflow.get(post_id)
        thread = post.thread
        message_ts = thread.ts if thread else "0"
        if value is None:
            value = f"{post.id}:{post.revision.hash}"
        payload = {
            "type": "block_actions",
            "user": self._user(user),
            "api_app_id": "A_CLEARPOST",
            "token": "legacy-verification-token",
            "container": {"type": "message", "message_ts": message_ts, "channel_id": APPROVALS},
            "trigger_id": self.next_id("trigger."),
            "team": {"id": "T_CLINIC", "domain": "clinic"},
            "channel": {"id": APPROVALS, "name": "approvals"},
            "message": {"type": "message", "ts": message_ts, "text": ""},
            "response_url": self.api.response_url(self.next_id("act")),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": f"post_{post_id}",
                    "value": value,
                    "action_ts": "1764000000.000001",
                }
            ],
        }
        return self.interaction(payload)

    def submit(
        self, user: str, view: dict[str, Any], values: dict[str, Any], view_id: str | None = None
    ) -> httpx.Response:
        """Submit a modal that Clearpost opened (its callback id and private metadata kept)."""
        payload = {
            "type": "view_submission",
            "team": {"id": "T_CLINIC", "domain": "clinic"},
            "user": self._user(user),
            "api_app_id": "A_CLEARPOST",
            "token": "legacy-verification-token",
            "trigger_id": self.next_id("trigger."),
            "view": {
                "id": view_id or self.next_id("V_"),
                "type": "modal",
                "callback_id": view["callback_id"],
                "private_metadata": view.get("private_metadata", ""),
                "state": {"values": values},
                "hash": "156772938.1827394",
            },
        }
        return self.interaction(payload)

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> httpx.Response:
        body = json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": "T_CLINIC",
                "api_app_id": "A_CLEARPOST",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or self.next_id("Ev"),
                "event_time": 1764000000,
                "authorizations": [{"team_id": "T_CLINIC", "user_id": "U_BOT", "is_bot": True}],
            }
        )
        return self.send(body, "application/json", retry_num=retry_num)

    def thread_reply(self, user: str, post_id: int, text: str, **kw: Any) -> httpx.Response:
        thread = self.workflow.get(post_id).thread
        assert thread is not None
        event = {
            "type": "message",
            "channel": thread.channel,
            "user": user,
            "text": text,
            "ts": f"1764500{next(self._ids):03d}.000200",
            "thread_ts": thread.ts,
            "channel_type": "channel",
        }
        return self.event(event, **kw)

    def share_file(
        self,
        user: str,
        name: str,
        content: bytes,
        *,
        channel: str | None = None,
        filetype: str | None = None,
        size: int | None = None,
    ) -> SharedFile:
        """A person uploads a file (by default in their DM with the bot) and Slack sends
        file_shared, which carries the file's id and nothing else about it."""
        where = channel or "D" + user[1:]
        shared = self.api.share_file(user, where, name, content, filetype=filetype, size=size)
        self.file_shared(shared)
        return shared

    def file_shared(self, shared: SharedFile, *, retry_num: int | None = None) -> httpx.Response:
        event = {
            "type": "file_shared",
            "channel_id": shared.channel,
            "file_id": shared.id,
            "user_id": shared.user,
            "file": {"id": shared.id},
            "event_ts": shared.ts,
        }
        return self.event(event, event_id=f"Ev{shared.id}", retry_num=retry_num)

    # -- reading ---------------------------------------------------------------------------------

    def last_view(self) -> dict[str, Any]:
        opened = self.api.called("views.open")
        assert opened, "no modal was opened"
        return dict(opened[-1].params["view"])

    def last_reply(self) -> str:
        replies = self.api.replies()
        assert replies, "nobody was told anything"
        return replies[-1]

    def propose(self, user: str, line: str) -> int:
        """The one-line /propose; returns the post number from the confirmation."""
        self.command(user, line)
        match = re.search(r"post #(\d+)", self.last_reply())
        assert match, self.last_reply()
        return int(match.group(1))


def proposal_values(
    channels: list[str],
    date: str | None,
    time_of_day: str | None,
    text: str,
    media_urls: str | None = None,
    notes: str | None = None,
    urgent: bool = False,
) -> dict[str, Any]:
    """The `view.state.values` Slack sends for the proposal modal."""
    option = lambda v: {"text": {"type": "plain_text", "text": v}, "value": v}  # noqa: E731
    return {
        ids.FIELD_CHANNELS: {
            ids.FIELD_CHANNELS: {
                "type": "multi_static_select",
                "selected_options": [option(c) for c in channels],
            }
        },
        ids.FIELD_DATE: {ids.FIELD_DATE: {"type": "datepicker", "selected_date": date}},
        ids.FIELD_TIME: {ids.FIELD_TIME: {"type": "timepicker", "selected_time": time_of_day}},
        ids.FIELD_TEXT: {ids.FIELD_TEXT: {"type": "plain_text_input", "value": text}},
        ids.FIELD_MEDIA_FILES: {ids.FIELD_MEDIA_FILES: {"type": "file_input", "files": []}},
        ids.FIELD_MEDIA_URLS: {
            ids.FIELD_MEDIA_URLS: {"type": "plain_text_input", "value": media_urls}
        },
        ids.FIELD_NOTES: {ids.FIELD_NOTES: {"type": "plain_text_input", "value": notes}},
        ids.FIELD_URGENT: {
            ids.FIELD_URGENT: {
                "type": "checkboxes",
                "selected_options": [option("urgent")] if urgent else [],
            }
        },
    }


def reason_values(reason: str) -> dict[str, Any]:
    return {ids.FIELD_REASON: {ids.FIELD_REASON: {"type": "plain_text_input", "value": reason}}}
