"""An internal Teams channel (staff announcements): an Adaptive Card POSTed to the channel's
Workflows webhook (the Workflows app's "Post to a channel when a webhook request is received",
which gives a URL on logic.azure.com or *.api.powerplatform.com carrying its own `sig`).

Office 365 connector webhooks (Incoming Webhook, `*.webhook.office.com`) were retired in 2026:
such a URL is refused before anything is sent, saying how to create a Workflows webhook. The
Workflows trigger takes the same envelope, `{"type": "message", "attachments": [{"contentType":
"application/vnd.microsoft.card.adaptive", "content": <card>}]}`, answers 202 with no body
(or 200 when the flow has a Response action) and returns no message id or link. 202 means the
flow accepted the request, not that the post appeared: a flow that fails later tells its owner,
not us. The posted message is limited to about 28 KB, everything in it counted (learn.microsoft.
com/connectors/teams, "Known issues and limitations": over it the flow fails with "Request
Entity too large"); validate() measures the whole message, not only the text. No idempotency
key: a connection lost after sending is "unknown". The URL is a secret:
`CLEARPOST_<CHANNEL>_WEBHOOK_URL`.
"""

from __future__ import annotations

import json
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
    secret_variable,
    send,
)
from bot.domain import Content
from bot.errors import ClearpostError
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("202", "published", "published (the flow accepted it; a webhook returns no link)"),
    Outcome("200", "published", "published (a flow with a Response action)"),
    Outcome("400", "permanent", "Teams' own reason, e.g. a bad card"),
    Outcome("413", "permanent", "the message is larger than Teams takes (about 28 KB)"),
    Outcome("connector URL", "permanent", "connector webhooks were retired: make a Workflows one"),
    Outcome("401", "permanent", "the webhook refused us; run `clearpost channels check`"),
    Outcome("429", "transient", "rate limited; the wait comes from `Retry-After`"),
    Outcome("5xx", "transient", "Teams is unavailable; trying again"),
    Outcome("timeout", "unknown", "it may have posted; a person checks"),
    Outcome("lost", "unknown", "it may have posted; a person checks"),
)

MESSAGE_LIMIT = 28000  # bytes of the whole message; Teams refuses more ("about 28 KB")
RETIRED_HOSTS = ("webhook.office.com", "outlook.office.com", "outlook.office365.com")
WORKFLOWS_HELP = (
    "Office 365 connector webhooks were retired in 2026. In the channel, open Workflows, "
    'choose "Post to a channel when a webhook request is received", and set '
)


def announcement_card(
    text: str, link: str | None, media: tuple[str, ...], media_alt: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The Adaptive Card for one announcement: the text, its images (each with its description as
    the Image element's `altText`), and a button to the link."""
    body: list[dict[str, Any]] = [{"type": "TextBlock", "text": text, "wrap": True}]
    for index, url in enumerate(media):
        alt = media_alt[index] if index < len(media_alt) else ""
        if media_kind(url) == "image":
            image = {"type": "Image", "url": url, "size": "Stretch"}
            body.append({**image, "altText": alt} if alt else image)
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


def webhook_message(
    text: str, link: str | None, media: tuple[str, ...], media_alt: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The envelope the Workflows webhook trigger takes: a message with one card attachment."""
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": announcement_card(text, link, media, media_alt),
            }
        ],
    }


def message_bytes(message: dict[str, Any]) -> int:
    """The size of the message as sent (httpx's compact JSON, UTF-8)."""
    return len(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode())


# learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook
# (read 2026-11-29): more than four requests in a second and the webhook throttles. The hourly
# and daily figures we had (100 an hour, 1,800 a day) were the retired connectors' own; no
# Workflows page we read documents others, so Power Automate's 429 stays the last word.
_TEAMS = "learn.microsoft.com .../add-incoming-webhook: 4 requests per second"
RATE_LIMITS: tuple[RateLimit, ...] = (RateLimit(4, 1, _TEAMS, per="channel"),)


def retired_connector(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == retired or host.endswith("." + retired) for retired in RETIRED_HOSTS)


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
        size = message_bytes(webhook_message(text, content.link, content.media, content.media_alt))
        return empty_text_problems(self.config, text) + length_problems(
            self.config, size, MESSAGE_LIMIT, "bytes (the whole card)"
        )

    def publish(self, job: PublishJob) -> PublishResult:
        try:
            url = self._webhook_url()
        except ClearpostError as exc:  # a missing secret: a person must add it
            return Failed("permanent", str(exc))
        if retired_connector(url):
            return Failed("permanent", self._connector_retired())
        message = webhook_message(job.text, job.link, job.media, job.media_alt)
        answer = send(self.config, lambda: self.http.post(url, json=message))
        if isinstance(answer, Failed):
            return answer
        if answer.status_code == 413:
            return Failed(
                "permanent",
                f"Teams refused the post for `{self.config.name}` (HTTP 413): the message is "
                f"larger than Teams takes (about {MESSAGE_LIMIT // 1000} KB); shorten it or "
                "attach fewer images.",
            )
        if not answer.is_success:
            return failed_for_status(self.config, answer, _reason)
        return published(self.config, f"teams:{job.idempotency_key}", None)

    def check(self) -> str:
        """A webhook has no identity endpoint, and calling it would post: check the URL only."""
        url = self._webhook_url()
        parts = urlsplit(url)
        if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "localhost"):
            raise ClearpostError(f"`{self.config.name}`: the webhook URL must start with https://.")
        if retired_connector(url):
            raise ClearpostError(self._connector_retired())
        return f"a webhook at {parts.hostname} (not called: a test would post to the channel)"

    def _connector_retired(self) -> str:
        variable = secret_variable(self.config.name, "webhook_url")
        return (
            f"`{self.config.name}` points at an Office 365 connector webhook. {WORKFLOWS_HELP}"
            f"{variable} to the URL it gives."
        )

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
