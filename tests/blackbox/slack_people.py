"""People in a Slack workspace, as Slack delivers what they do to `clearpost serve`: signed
HTTP requests in Slack's documented formats. Buttons are pressed the way Slack would: from the
blocks Clearpost posted to the Web API stand-in, never from Clearpost's own ids.
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

import httpx

from tests.blackbox.serve import eventually
from tests.standins.slack_api import Call, SlackApiStandIn
from tests.support import slack_requests as slack

SECRET = "blackbox-signing-secret-0f9e8d7c"
TOKEN = "xoxb-blackbox-token"
APPROVALS = "C_APPROVALS"
NURSE = "U_NURSE"
OFFICER = "U_OFFICER"


def sign(body: bytes | str, timestamp: int | str, secret: str = SECRET) -> str:
    return slack.sign(body, timestamp, secret)


def slack_env(api: SlackApiStandIn) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api.api_url,
        "SLACK_APPROVAL_CHANNEL": APPROVALS,
        "CLEARPOST_APPROVERS": f"slack:{OFFICER}",
    }


class SlackPeople:
    """Sends what people do in Slack to serve; reads what Clearpost said back on the stand-in."""

    def __init__(self, serve_url: str, api: SlackApiStandIn) -> None:
        self.api = api
        self.http = httpx.Client(base_url=serve_url, timeout=15)
        self._ids = itertools.count(1)

    def close(self) -> None:
        self.http.close()

    # -- sending -----------------------------------------------------------------------------

    def send(
        self, body: bytes | str, content_type: str = slack.FORM, **signing: Any
    ) -> httpx.Response:
        """POST a request signed with SECRET now; `signing` (timestamp, signature, retry_num)
        as `slack_requests.signed_headers` takes it, `signature=""` sending none at all."""
        headers = slack.signed_headers(body, content_type, SECRET, **signing)
        return self.http.post("/slack/events", content=body, headers=headers)

    def command_body(self, user: str, text: str, trigger_id: str | None = None) -> str:
        number = next(self._ids)
        return slack.slash_command(
            user,
            user.lower(),
            text,
            response_url=self.api.response_url(f"cmd{number}"),
            trigger_id=trigger_id or f"trigger.{number}.{time.time_ns()}",
        )

    def propose(self, user: str, line: str) -> httpx.Response:
        return self.send(self.command_body(user, line))

    def press(self, user: str, parent: Call, action_id: str) -> httpx.Response:
        """Press a button on the thread parent as Slack renders it now (its latest update)."""
        ts = parent_ts(parent)
        blocks = latest_blocks(self.api, ts)
        button = find_button(blocks, action_id)
        assert button is not None, f"no {action_id} button on the thread parent"
        number = next(self._ids)
        payload = slack.block_actions(
            slack.slack_user(user, user.lower()),
            button,
            channel=APPROVALS,
            message_ts=ts,
            trigger_id=f"trigger.{number}.{time.time_ns()}",
            response_url=self.api.response_url(f"act{number}"),
            action_ts=f"{time.time():.6f}",
        )
        return self.send(slack.interaction(payload))

    # -- reading -----------------------------------------------------------------------------

    def parents(self) -> list[Call]:
        """Thread parents posted in the approval channel, in order."""
        return [
            c
            for c in self.api.succeeded("chat.postMessage")
            if c.params.get("channel") == APPROVALS and not c.params.get("thread_ts")
        ]

    def wait_parent(self, count: int = 1, timeout: float = 20.0) -> Call:
        found = eventually(
            lambda: (p := self.parents()) and len(p) >= count and p, timeout, "a thread parent"
        )
        return found[count - 1]

    def wait_reply(self, pattern: str, timeout: float = 20.0) -> str:
        """The first text told to the proposer (response URL or ephemeral) matching pattern."""

        def seen() -> str | None:
            return next((t for t in self.api.replies() if re.search(pattern, t)), None)

        return eventually(seen, timeout, f"a reply matching {pattern!r}")

    def thread(self, parent: Call) -> list[str]:
        return self.api.thread_replies(parent_ts(parent))

    def wait_thread(self, parent: Call, pattern: str, timeout: float = 20.0) -> str:
        def seen() -> str | None:
            return next((t for t in self.thread(parent) if re.search(pattern, t)), None)

        return eventually(seen, timeout, f"a thread reply matching {pattern!r}")


class SlackApi(SlackApiStandIn):
    """The Web API stand-in, also keeping the `ts` it gave each posted message (as `_ts` in
    the recorded params), so a test can find the message's later updates and thread."""

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        body = super()._answer(method, params)
        if method == "chat.postMessage" and body.get("ok"):
            params["_ts"] = body["ts"]
        return body


def parent_ts(parent: Call) -> str:
    ts = parent.params.get("_ts")
    assert ts, "this message was not answered with a ts"
    return str(ts)


def latest_blocks(api: SlackApiStandIn, ts: str) -> list[dict[str, Any]]:
    """The parent's blocks as last updated (chat.update), or as first posted."""
    updates = [c for c in api.succeeded("chat.update") if c.params.get("ts") == ts]
    if updates:
        return list(updates[-1].params.get("blocks") or [])
    for call in api.succeeded("chat.postMessage"):
        if call.params.get("_ts") == ts:
            return list(call.params.get("blocks") or [])
    return []


def find_button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any] | None:
    for block in blocks:
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return {**element, "block_id": block.get("block_id")}
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and accessory.get("action_id") == action_id:
            return {**accessory, "block_id": block.get("block_id")}
    return None
