"""A generic webhook: one signed JSON POST per delivery.

Settings: `url` (where to POST; `base_url` is accepted too), optional `receiver_dedupes = true`
when the receiver drops repeats of an Idempotency-Key (then a lost answer is simply resent).
Secret: CLEARPOST_<CHANNEL>_SIGNING_SECRET.

What the receiver gets (the contract to give whoever writes it):

    POST <url>
    Content-Type: application/json
    Idempotency-Key: <stable for every attempt of this delivery of this revision>
    X-Clearpost-Timestamp: <unix seconds>
    X-Clearpost-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>

    {"event": "post.publish", "post_id": 7, "channel": "hook", "text": "...", "media": [...],
     "media_alt": [...], "link": null, "revision_hash": "...", "idempotency_key": "...",
     "scheduled_at": "...Z"}

`media_alt` holds each media item's description (alt text), in the order of `media`; "" for an
item without one.

The receiver recomputes the signature over the raw body, compares in constant time and refuses
timestamps more than 5 minutes off. Any 2xx is success; a JSON answer may carry `id` and `url`.
`clearpost channels check` sends `{"event": "ping"}`, signed the same way, which publishes
nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from adapters.publishers.base import (
    ChannelConfig,
    CheckFailed,
    HttpPublisher,
    Outcome,
    clean_reason,
    empty_text_problems,
    failed_for_status,
    json_path,
    published,
    send,
)
from bot.domain import Content
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("200", "published", "the URL the receiver returned, if any"),
    Outcome(
        "401", "permanent", "the webhook refused the credentials … Run `clearpost channels check`."
    ),
    Outcome("400", "permanent", "the receiver's own reason (`error` or `message`)"),
    Outcome("429", "transient", "rate limited; the wait from Retry-After"),
    Outcome("5xx", "transient", "the webhook is unavailable; trying again."),
    Outcome("timeout", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("lost", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("malformed", "published", "any 2xx is success; the body is optional"),
)

SIGNATURE_HEADER = "X-Clearpost-Signature"
TIMESTAMP_HEADER = "X-Clearpost-Timestamp"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def reason(response: httpx.Response) -> str | None:
    return clean_reason(json_path(response, "error") or json_path(response, "message"))


class WebhookPublisher(HttpPublisher):
    """Delivers approved posts to one receiver URL, signed with the channel's secret."""

    network = "webhook"
    default_base_url = ""

    def __init__(self, config: ChannelConfig, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(config, transport)
        self.idempotent = (config.option("receiver_dedupes") or "").lower() in ("true", "1", "yes")

    def _url(self) -> str:
        return self.config.option("url") or self.config.require(
            "base_url", "https://hooks.example/clearpost"
        )

    def validate(self, channel: str, content: Content) -> list[str]:
        return empty_text_problems(self.config, content.text_for(channel))

    def payload(self, job: PublishJob) -> dict[str, Any]:
        return {
            "event": "post.publish",
            "post_id": job.post_id,
            "channel": job.channel,
            "text": job.text,
            "media": list(job.media),
            "media_alt": [job.alt_for(i) for i in range(len(job.media))],
            "link": job.link,
            "revision_hash": job.revision_hash,
            "idempotency_key": job.idempotency_key,
            "scheduled_at": job.scheduled_at.isoformat().replace("+00:00", "Z"),
        }

    def _signed_post(self, payload: dict[str, Any], key: str | None) -> httpx.Response:
        secret = self.config.secret("signing_secret", "signing secret")
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(secret, stamp, raw),
        }
        if key:
            headers["Idempotency-Key"] = key
        return self.http.post(self._url(), content=raw, headers=headers)

    def publish(self, job: PublishJob) -> PublishResult:
        payload = self.payload(job)
        self.config.secret("signing_secret", "signing secret")  # fail before sending, not during
        answer = send(
            self.config,
            lambda: self._signed_post(payload, job.idempotency_key),
            idempotent=self.idempotent,
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason)
        given_id, url = json_path(answer, "id"), json_path(answer, "url")
        external = str(given_id) if isinstance(given_id, str | int) else job.idempotency_key
        return published(self.config, external, url if isinstance(url, str) else None)

    def check(self) -> str:
        try:
            answer = self._signed_post({"event": "ping"}, None)
        except httpx.HTTPError as exc:
            raise CheckFailed(f"could not reach the webhook ({type(exc).__name__}).") from None
        if not answer.is_success:
            said = reason(answer)
            raise CheckFailed(
                f"the webhook answered the signed ping with HTTP {answer.status_code}"
                + (f" ({said})" if said else "")
                + "; check the URL and that both sides use the same signing secret."
            )
        return f"receiver at {httpx.URL(self._url()).host} accepted a signed ping"
