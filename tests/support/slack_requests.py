"""What Slack sends to `/slack/events`, in its documented formats: the v0 request signature, and
the payloads people's actions become (slash command, button click, modal submission, events).

Builders return the body (a form or JSON string) or the payload dict; the drivers
(`tests/slack/harness.py`, `tests/blackbox/slack_people.py`, `benchmarks/slack_ack.py`) choose
the ids, the people and the secret, and send them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
TEAM_ID = "T_CLINIC"
APP_ID = "A_CLEARPOST"
VERIFICATION_TOKEN = "legacy-verification-token"  # deprecated by Slack, still sent
GENERAL = "C_GENERAL"


def sign(body: bytes | str, timestamp: int | str, secret: str) -> str:
    """X-Slack-Signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>`, as Slack computes it."""
    raw = body.encode() if isinstance(body, str) else body
    base = b"v0:" + str(timestamp).encode() + b":" + raw
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: bytes | str,
    content_type: str,
    secret: str,
    *,
    timestamp: int | str | None = None,
    signature: str | None = None,
    retry_num: int | None = None,
) -> dict[str, str]:
    """The headers of one request: signed now with `secret` unless `timestamp` or `signature`
    is given (`signature=""` sends none at all); `retry_num` marks one of Slack's retries."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp}
    if signature != "":
        headers["X-Slack-Signature"] = signature or sign(body, stamp, secret)
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


def slash_command(
    user: str,
    user_name: str,
    text: str,
    *,
    command: str = "/propose",
    response_url: str,
    trigger_id: str,
) -> str:
    """The form Slack posts for a slash command typed in #general."""
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "team_domain": "clinic",
            "channel_id": GENERAL,
            "channel_name": "general",
            "user_id": user,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def interaction(payload: dict[str, Any]) -> str:
    """The form Slack posts for an interaction: the payload as JSON in one field."""
    return urlencode({"payload": json.dumps(payload)})


def slack_user(user: str, name: str) -> dict[str, str]:
    return {"id": user, "username": name, "name": name, "team_id": TEAM_ID}


def block_actions(
    user: dict[str, str],
    button: dict[str, Any],
    *,
    channel: str,
    message_ts: str,
    trigger_id: str,
    response_url: str,
    action_ts: str,
) -> dict[str, Any]:
    """A click on `button` (its action_id, block_id and value) in the message at `message_ts`."""
    return {
        "type": "block_actions",
        "user": user,
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
        "trigger_id": trigger_id,
        "team": {"id": TEAM_ID, "domain": "clinic"},
        "channel": {"id": channel, "name": "approvals"},
        "message": {"type": "message", "ts": message_ts, "text": ""},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": button.get("block_id", "b"),
                "value": button.get("value", ""),
                "action_ts": action_ts,
            }
        ],
    }


def view_submission(
    user: dict[str, str],
    view: dict[str, Any],
    values: dict[str, Any],
    *,
    view_id: str,
    trigger_id: str,
) -> dict[str, Any]:
    """Submitting the modal `view` (its callback id and private metadata kept) with `values`."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "clinic"},
        "user": user,
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": {
            "id": view_id,
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view.get("private_metadata", ""),
            "state": {"values": values},
            "hash": "156772938.1827394",
        },
    }


def event_callback(event: dict[str, Any], event_id: str) -> str:
    """The JSON body of an Events API delivery."""
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1764000000,
            "authorizations": [{"team_id": TEAM_ID, "user_id": "U_BOT", "is_bot": True}],
        }
    )


def thread_message(channel: str, user: str, text: str, ts: str, thread_ts: str) -> dict[str, Any]:
    """A `message` event: a reply in the thread under `thread_ts`."""
    return {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "channel_type": "channel",
    }


def file_shared(channel: str, file_id: str, user: str, event_ts: str) -> dict[str, Any]:
    """A `file_shared` event: it carries the file's id and nothing else about it."""
    return {
        "type": "file_shared",
        "channel_id": channel,
        "file_id": file_id,
        "user_id": user,
        "file": {"id": file_id},
        "event_ts": event_ts,
    }
