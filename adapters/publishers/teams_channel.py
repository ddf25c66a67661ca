"""An internal Teams channel (staff announcements): an Adaptive Card POSTed to the channel's
Workflows webhook ("Post to a channel when a webhook request is received") or legacy Incoming
Webhook.

Workflows accept with 202 and no body; the legacy connector answers 200 with the body "1", and
some of its failures also come as 200 with an error sentence instead of "1". Neither returns a
message id or link, nor takes an idempotency key: a connection lost after sending is "unknown".
The webhook URL carries its own signature, so it is a secret: `CLEARPOST_<CHANNEL>_WEBHOOK_URL`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx

from adapters.publishers.base import (
    ChannelConfig,
    HttpPublisher,
    Outcome,
    RateLimit,
    clean_reason,
    empty_text_problems,
    failed_for_status,
    length_problems,
    media_kind,
    published,
    send,
)
from bot.domain import Content
from bot.errors import ClearpostError
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("202", "published", "published (a webhook returns no link)"),
    Outcome("200", "published", "published (legacy connector answered 1)"),
    Outcome("200-error", "permanent", "the connector's own sentence"),
    Outcome("400", "permanent", "Teams' own reason, e.g. a bad card"),
    Outcome("401", "permanent", "the webhook refused us; run `clearpost channels check`"),
    Outcome("429", "transient", "rate limited; the wait comes from `Retry-After`"),
    Outcome("5xx", "transient", "Teams is unavailable; trying again"),
    Outcome("timeout", "unknown", "it may have posted; a person checks"),
    Outcome("lost", "unknown", "it may have posted; a person checks"),
)

_INNER_STATUS = re.compile(r"returned HTTP error (429|5\d\d)\b")
TEXT_LIMIT = 28000  # Teams refuses messages over about 28 KB


def announcement_card(text: str, link: str | None, media: tuple[str, ...]) -> dict[str, Any]:
    """The Adaptive Card for one announcement: the text, its images, and a button to the link."""
    body: list[dict[str, Any]] = [{"type": "TextBlock", "text": text, "wrap": True}]
    for url in media:
        if media_kind(url) == "image":
            body.append({"type": "Image", "url": url, "size": "Stretch"})
        else:
            body.append({"type": "TextBlock", "text": f"[{url}]({url})", "wrap": True})
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open", "url": link}]
    return card


def webhook_message(text: str, link: str | None, media: tuple[str, ...]) -> dict[str, Any]:
    """The envelope both Workflows and the legacy connector accept."""
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": announcement_card(text, link, media),
            }
        ],
    }


# learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
# ("Rate limiting for connectors"): per webhook, 4 per second, 60 per 30 s, 100 per hour,
# 150 per 2 hours and 1,800 per day.
_TEAMS = "learn.microsoft.com .../connectors-using#rate-limiting-for-connectors"
RATE_LIMITS: tuple[RateLimit, ...] = (
    RateLimit(4, 1, _TEAMS),
    RateLimit(60, 30, _TEAMS),
    RateLimit(100, 3600, _TEAMS),
    RateLimit(150, 7200, _TEAMS),
    RateLimit(1800, 86400, _TEAMS),
)


class TeamsChannelPublisher(HttpPublisher):
    """Posts one card per delivery to a Teams channel's webhook."""

    network = "teams"
    rate_limits = RATE_LIMITS
    default_base_url = ""  # the whole webhook URL is the (secret) setting

    def __init__(self, config: ChannelConfig, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(config, transport)

    # -- the Publisher port ---------------------------------------------------------------------

    def validate(self, channel: str, content: Content) -> list[str]:
        text = content.text_for(channel)
        return empty_text_problems(self.config, text) + length_problems(
            self.config, len(text.encode()), TEXT_LIMIT, "bytes"
        )

    def publish(self, job: PublishJob) -> PublishResult:
        try:
            url = self._webhook_url()
        except ClearpostError as exc:  # a missing secret: a person must add it
            return Failed("permanent", str(exc))
        message = webhook_message(job.text, job.link, job.media)
        answer = send(self.config, lambda: self.http.post(url, json=message))
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, _reason)
        said = answer.text.strip()
        if answer.status_code == 200 and said not in ("", "1"):
            # The legacy connector reports some failures inside a 200, naming Teams' own status.
            inner = _INNER_STATUS.search(said)
            if inner:
                return failed_for_status(self.config, httpx.Response(int(inner.group(1))))
            return Failed(
                "permanent",
                f"Teams refused the post for `{self.config.name}`: {clean_reason(said)}",
            )
        return published(self.config, f"teams:{job.idempotency_key}", None)

    def check(self) -> str:
        """A webhook has no identity endpoint, and calling it would post: check the URL only."""
        url = self._webhook_url()
        parts = urlsplit(url)
        if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "localhost"):
            raise ClearpostError(f"`{self.config.name}`: the webhook URL must start with https://.")
        return f"a webhook at {parts.hostname} (not called: a test would post to the channel)"

    def _webhook_url(self) -> str:
        return self.config.secret("webhook_url", "Teams webhook URL")


def _reason(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return clean_reason(response.text)
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return clean_reason(error.get("message"))
        return clean_reason(body.get("message")) or clean_reason(error)
    return None
