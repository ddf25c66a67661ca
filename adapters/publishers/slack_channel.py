"""An internal Slack channel (staff announcements): chat.postMessage through slack_sdk's WebClient.

Slack answers most refusals with HTTP 200 and `{"ok": false, "error": "<code>"}`; the code
decides the kind. The client is built with no retry handlers: slack_sdk's default resends on
connection errors, and chat.postMessage has no idempotency key, so a resend could post twice.
"""

from __future__ import annotations

import http.client
import logging
import re
import socket
import urllib.error
from typing import Any

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.publishers.base import (
    ChannelConfig,
    Outcome,
    RateLimit,
    auth_failed,
    empty_text_problems,
    json_or_none,
    length_problems,
    may_have_posted,
    published,
    rate_limited,
    retry_after_seconds,
    unavailable,
)
from bot.domain import Content
from bot.errors import ClearpostError
from bot.ports import Failed, PublishJob, PublishResult

log = logging.getLogger(__name__)

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("200", "published", "the message's permalink"),
    Outcome("invalid_auth", "permanent", "Slack refused the token; run `clearpost channels check`"),
    Outcome("channel_not_found", "permanent", "Slack's error code, e.g. the bot is not invited"),
    Outcome("429", "transient", "rate limited; the wait comes from `Retry-After`"),
    Outcome("5xx", "transient", "Slack is unavailable; trying again"),
    Outcome("timeout", "unknown", "it may have posted; a person checks"),
    Outcome("lost", "unknown", "it may have posted; a person checks"),
    Outcome("malformed", "unknown", "it probably posted; a person checks"),
)

TEXT_LIMIT = 40000
AUTH_ERRORS = frozenset(
    {"not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired"}
    | {"missing_scope", "no_permission", "not_allowed_token_type", "ekm_access_denied"}
)
_ERROR_CODE = re.compile(r"[a-z0-9_]+")
BUSY_ERRORS = frozenset({"ratelimited", "service_unavailable", "internal_error", "fatal_error"})


def message_text(text: str, link: str | None, media: tuple[str, ...]) -> str:
    """The text as posted: the link and media addresses follow on their own lines."""
    extra = [u for u in (link, *media) if u and u not in text]
    return "\n".join([text.rstrip(), *extra]) if extra else text


# api.slack.com/methods/chat.postMessage (Rate limits): about one message per second per channel,
# short bursts tolerated.
RATE_LIMITS: tuple[RateLimit, ...] = (
    RateLimit(
        1, 1, "api.slack.com/methods/chat.postMessage: ~1 per second per channel", per="channel"
    ),
)


class SlackChannelPublisher:
    """Posts to one Slack channel as the bot. Settings: `channel` (its id, e.g. C0123ABCD) and
    `base_url` (Slack's Web API, ending in /api/). Secret: `CLEARPOST_<CHANNEL>_BOT_TOKEN`, else
    the app's own `SLACK_BOT_TOKEN`."""

    network = "slack"
    rate_limits = RATE_LIMITS
    default_base_url = "https://slack.com/api/"

    def __init__(self, config: ChannelConfig, transport: httpx.BaseTransport | None = None) -> None:
        # slack_sdk speaks urllib, not httpx: when a transport is given (the `--dry-run` seam),
        # the same Web API call goes through httpx and that transport instead, so it is recorded
        # and never sent.
        self.config = config
        self.transport = transport

    def _token(self) -> str:
        if self.config.has_secret("bot_token"):
            token = self.config.secret("bot_token")
        else:
            token = self.config.environ.get("SLACK_BOT_TOKEN", "").strip()
            if not token:
                token = self.config.secret("bot_token", "Slack bot token (or SLACK_BOT_TOKEN)")
        return token

    def _client(self) -> WebClient:
        return WebClient(
            token=self._token(),
            base_url=self.config.base_url(self.default_base_url) + "/",
            timeout=max(1, round(self.config.timeout())),
            retry_handlers=[],
        )

    # -- the Publisher port ---------------------------------------------------------------------

    def validate(self, channel: str, content: Content) -> list[str]:
        text = message_text(content.text_for(channel), content.link, content.media)
        return empty_text_problems(self.config, text) + length_problems(
            self.config, len(text), TEXT_LIMIT
        )

    def publish(self, job: PublishJob) -> PublishResult:
        try:
            channel = self.config.require("channel", "C0123ABCD")
            client = self._client()
        except ClearpostError as exc:  # a missing setting or secret: a person must add it
            return Failed("permanent", str(exc))
        message = {
            "channel": channel,
            "text": message_text(job.text, job.link, job.media),
            "unfurl_links": True,
        }
        if self.transport is not None:
            return self._through_transport(message)
        try:
            answer = client.chat_postMessage(**message)
        except SlackApiError as exc:
            return self._refused(exc.response.status_code, exc.response.headers, exc.response)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            return self._lost(exc)
        except ValueError:  # a body slack_sdk could not parse as JSON
            return may_have_posted(self.config, "Slack's answer could not be read")
        ts = answer.get("ts")
        if not isinstance(ts, str):
            return may_have_posted(self.config, "Slack's answer could not be read")
        return published(
            self.config, f"{answer.get('channel', channel)}:{ts}", self._link(client, channel, ts)
        )

    def check(self) -> str:
        try:
            answer = self._client().auth_test()
        except SlackApiError as exc:
            raise ClearpostError(
                f"Slack refused the token for `{self.config.name}`: {exc.response.get('error')}."
            ) from None
        return f"@{answer.get('user')} in {answer.get('team')}"

    def _through_transport(self, message: dict[str, Any]) -> PublishResult:
        base = self.config.base_url(self.default_base_url) + "/"
        with httpx.Client(base_url=base, transport=self.transport) as http:
            answer = http.post(
                "chat.postMessage",
                json=message,
                headers={"Authorization": f"Bearer {self._token()}"},
            )
        body = json_or_none(answer)
        if not isinstance(body, dict):
            return may_have_posted(self.config, "Slack's answer could not be read")
        if answer.status_code != 200 or not body.get("ok"):
            return self._refused(answer.status_code, answer.headers, body)
        return published(self.config, f"{message['channel']}:{body.get('ts')}", None)

    # -- answers -> outcomes ----------------------------------------------------------------------

    def _refused(self, status: int, headers: Any, body: Any) -> Failed:
        code = str(body.get("error", "")) if hasattr(body, "get") else ""
        if status < 300 and not _ERROR_CODE.fullmatch(code):
            # slack_sdk turns a body it cannot parse into an "error" sentence of its own
            return may_have_posted(self.config, "Slack's answer could not be read")
        if status == 429 or code == "ratelimited":
            return rate_limited(self.config, retry_after_seconds(_lower(headers)))
        if code in AUTH_ERRORS or status in (401, 403):
            return auth_failed(self.config, status)
        if status >= 500 or code in BUSY_ERRORS:
            return unavailable(self.config, code or f"HTTP {status}")
        return Failed(
            "permanent", f"Slack refused the post for `{self.config.name}`: {code or status}."
        )

    def _lost(self, exc: BaseException) -> Failed:
        reason = getattr(exc, "reason", exc)
        log.warning("%s: %s during chat.postMessage", self.config.name, type(reason).__name__)
        if isinstance(reason, ConnectionRefusedError | socket.gaierror):
            return unavailable(self.config, "could not connect")
        if isinstance(reason, TimeoutError):
            return may_have_posted(self.config, "Slack did not answer in time")
        return may_have_posted(self.config, "The connection to Slack was lost after sending")

    def _link(self, client: WebClient, channel: str, ts: str) -> str | None:
        """The permalink, for the thread; the message is posted either way."""
        try:
            link = client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
        except (SlackApiError, urllib.error.URLError, OSError, ValueError):
            return None
        return link if isinstance(link, str) else None


def _lower(headers: Any) -> dict[str, str]:
    return {
        str(k).lower(): str(v[0] if isinstance(v, list) else v) for k, v in dict(headers).items()
    }
