"""Drives the real `clearpost serve` app the way Slack does: signed HTTP requests in Slack's
documented payload formats (`tests/support/slack_requests.py`), to the aiohttp app on
127.0.0.1:0, with the Web API at a stand-in.

`SlackWorkspace` owns the stand-in, the Core (SQLite file in a temporary directory), the served
app and a signing client; the Slack tests and the e2e driver both use it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from adapters.bootstrap import Core, build_core
from adapters.settings import Settings
from adapters.slack import ids
from adapters.slack.app import SLACK_KEY, SlackRuntime
from adapters.web import chats
from bot.dispatch import Dispatcher
from bot.ports import Publisher
from storage.sqlmodel_deliveries import SqlDispatchUnitOfWorkFactory
from tests.conftest import NOW
from tests.fakes import FixedClock
from tests.standins.slack_api import SharedFile, SlackApiStandIn
from tests.support import slack_requests as slack
from tests.support.served import ServedCore

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-test-token"
APPROVALS = "C_APPROVALS"
GENERAL = slack.GENERAL
NAMES = {
    "U_NURSE": "nora",
    "U_OFFICER": "olga",
    "U_OFFICER2": "oscar",
    "U_STRANGER": "sam",
}


def sign(body: bytes | str, timestamp: int | str, secret: str = SECRET) -> str:
    return slack.sign(body, timestamp, secret)


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

    def __init__(self, tmp_path: Path, screener: Any = None, **settings: Any) -> None:
        self.tmp_path = tmp_path
        self.screener = screener  # None: the practice's own detector
        self.settings_overrides = settings
        self.api = SlackApiStandIn(TOKEN)
        self.clock = FixedClock(NOW)
        self._ids = itertools.count(1)
        self.core: Core
        self.served: ServedCore
        self.http: httpx.Client

    def __enter__(self) -> SlackWorkspace:
        self.api.__enter__()
        settings = settings_for(self.tmp_path, self.api.api_url, **self.settings_overrides)
        self.core = build_core(settings, clock=self.clock, chat=chats(), screener=self.screener)
        self.served = ServedCore(self.core).__enter__()
        self.http = httpx.Client(base_url=self.served.url, timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()
        self.runtime.wait_idle(timeout=10)
        try:
            self.served.__exit__()
        finally:
            self.api.__exit__()
        # Every payload of every Slack test is checked against Slack's limits by the stand-in.
        if exc[0] is None:
            assert self.api.refused == [], f"real Slack would refuse: {self.api.refused}"

    @property
    def runtime(self) -> SlackRuntime:
        return self.served.app[SLACK_KEY]

    @property
    def workflow(self):  # type: ignore[no-untyped-def]
        return self.core.workflow

    # -- sending ---------------------------------------------------------------------------------

    def send(self, body: str, content_type: str, **signing: Any) -> httpx.Response:
        """POST a request signed with SECRET now (`signing`: timestamp, signature, retry_num, as
        `slack_requests.signed_headers` takes them), then wait until the work it started after
        its ack is done."""
        headers = slack.signed_headers(body, content_type, SECRET, **signing)
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
        body = slack.slash_command(
            user,
            NAMES.get(user, user.lower()),
            text,
            command=command,
            response_url=self.api.response_url(self.next_id("cmd")),
            trigger_id=trigger_id or self.next_id("trigger."),
        )
        return self.send(body, slack.FORM, retry_num=retry_num)

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        return self.send(slack.interaction(payload), slack.FORM)

    def message_shortcut(self, user: str, message: dict[str, Any]) -> httpx.Response:
        """The "Propose as a post" message shortcut on `message` in #general."""
        return self.interaction(
            {
                "type": "message_action",
                "callback_id": ids.SHORTCUT_PROPOSE_FROM_MESSAGE,
                "trigger_id": self.next_id("trigger."),
                "response_url": self.api.response_url(self.next_id("shortcut")),
                "team": {"id": "T_CLINIC", "domain": "clinic"},
                "channel": {"id": "C_GENERAL", "name": "general"},
                "user": {
                    "id": user,
                    "username": NAMES.get(user, user),
                    "name": NAMES.get(user, user),
                },
                "message": message,
                "message_ts": message.get("ts", "1.2"),
            }
        )

    def _user(self, user: str) -> dict[str, str]:
        return slack.slack_user(user, NAMES.get(user, user.lower()))

    def click(
        self, user: str, action_id: str, post_id: int, value: str | None = None
    ) -> httpx.Response:
        """A button on the post's thread parent, as it is rendered now (or with `value`)."""
        post = self.workflow.get(post_id)
        thread = post.thread
        if value is None:
            value = f"{post.id}:{post.revision.hash}"
        button = {"action_id": action_id, "block_id": f"post_{post_id}", "value": value}
        payload = slack.block_actions(
            self._user(user),
            button,
            channel=APPROVALS,
            message_ts=thread.ts if thread else "0",
            trigger_id=self.next_id("trigger."),
            response_url=self.api.response_url(self.next_id("act")),
            action_ts="1764000000.000001",
        )
        return self.interaction(payload)

    def submit(
        self, user: str, view: dict[str, Any], values: dict[str, Any], view_id: str | None = None
    ) -> httpx.Response:
        """Submit a modal that Clearpost opened (its callback id and private metadata kept)."""
        payload = slack.view_submission(
            self._user(user),
            view,
            values,
            view_id=view_id or self.next_id("V_"),
            trigger_id=self.next_id("trigger."),
        )
        return self.interaction(payload)

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> httpx.Response:
        body = slack.event_callback(event, event_id or self.next_id("Ev"))
        return self.send(body, slack.JSON, retry_num=retry_num)

    def thread_reply(self, user: str, post_id: int, text: str, **kw: Any) -> httpx.Response:
        thread = self.workflow.get(post_id).thread
        assert thread is not None
        ts = f"1764500{next(self._ids):03d}.000200"
        return self.event(slack.thread_message(thread.channel, user, text, ts, thread.ts), **kw)

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
        event = slack.file_shared(shared.channel, shared.id, shared.user, shared.ts)
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


@contextmanager
def dispatching(slack: SlackWorkspace, publishers: Mapping[str, Publisher]) -> Iterator[Dispatcher]:
    """The real dispatcher on the workspace's database and clock, telling the workflow (and so
    Slack), with these publishers by channel."""
    found = Dispatcher(
        uow=SqlDispatchUnitOfWorkFactory(slack.core.engine),
        publishers=dict(publishers),
        clock=slack.clock,
        tell=slack.workflow.tell,
        zone=slack.workflow.zone,
    )
    try:
        yield found
    finally:
        found.shutdown(timeout=10)


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


def form_values(view: dict[str, Any]) -> dict[str, Any]:
    """The `view.state.values` Slack sends when a person submits a modal Clearpost opened
    without touching anything: each input's initial value, as Slack reports it."""
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind = element["type"]
        state: dict[str, Any] = {"type": kind}
        if kind == "plain_text_input":
            state["value"] = element.get("initial_value")
        elif kind in ("multi_static_select", "checkboxes"):
            state["selected_options"] = element.get("initial_options", [])
        elif kind == "datepicker":
            state["selected_date"] = element.get("initial_date")
        elif kind == "timepicker":
            state["selected_time"] = element.get("initial_time")
        elif kind == "file_input":
            state["files"] = []
        values[block["block_id"]] = {element["action_id"]: state}
    return values
