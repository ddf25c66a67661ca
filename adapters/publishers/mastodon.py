"""Mastodon: `POST /api/v1/statuses` with `Idempotency-Key`, media through `POST /api/v2/media`.

Settings: `base_url` (the instance, e.g. https://mastodon.social), optional `max_characters`
(instances may raise the 500 default), `visibility` (public by default). Secret:
CLEARPOST_<CHANNEL>_ACCESS_TOKEN (scopes write:statuses write:media read:accounts).

Mastodon keeps an Idempotency-Key for an hour and answers a repeat with the first status, so a
request lost after sending is simply sent again (this publisher is `idempotent`). Mastodon.py is
not used: it reports a connection lost before and after sending as the same error.
"""

from __future__ import annotations

import re
import time
from typing import Any

import httpx

from adapters.publishers.alt_text import alt_text_problems
from adapters.publishers.base import (
    CheckFailed,
    HttpPublisher,
    Outcome,
    RateLimit,
    clean_reason,
    empty_text_problems,
    failed_for_status,
    identity,
    json_path,
    length_problems,
    media_problems,
    published,
    secret_variable,
    send,
    unavailable,
    with_link,
)
from bot.domain import Content
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("200", "published", "the link to the status"),
    Outcome(
        "401", "permanent", "Mastodon refused the credentials … Run `clearpost channels check`."
    ),
    Outcome("422", "permanent", "Mastodon's own reason, e.g. the text is too long"),
    Outcome("429", "transient", "rate limited; the wait comes from X-RateLimit-Reset"),
    Outcome("5xx", "transient", "Mastodon is unavailable; trying again."),
    Outcome("timeout", "transient", "sent again with the same Idempotency-Key"),
    Outcome("lost", "transient", "sent again with the same Idempotency-Key"),
    Outcome("malformed", "transient", "sent again; the key returns the first status"),
)

# Mastodon counts every URL as 23 characters and a mention as its local part only.
URL = re.compile(r"https?://\S+")
MENTION_DOMAIN = re.compile(r"(@[A-Za-z0-9_]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
URL_WEIGHT = 23
MAX_MEDIA = 4
MEDIA_POLLS = 10


def counted_length(text: str) -> int:
    shortened = MENTION_DOMAIN.sub(r"\1", URL.sub("x" * URL_WEIGHT, text))
    return len(shortened)


def reason(response: httpx.Response) -> str | None:
    return clean_reason(json_path(response, "error"))


# The most a description holds on Mastodon itself: app/models/media_attachment.rb validates
# `description` at most 1_500 characters for local media (the API docs name the field, not the
# limit). An instance running something else can set `max_alt_characters` on the channel.
ALT_TEXT_LIMIT = 1_500

# docs.joinmastodon.org/api/rate-limits: 300 requests per 5 minutes per account (instances may
# change it). Paced per publish; media uploads (30 per 30 min) are left to the 429 and its reset.
RATE_LIMITS: tuple[RateLimit, ...] = (
    RateLimit(300, 5 * 60, "docs.joinmastodon.org/api/rate-limits (per account)"),
)


class MastodonPublisher(HttpPublisher):
    """Posts statuses to one account on one Mastodon instance."""

    network = "mastodon"
    rate_limits = RATE_LIMITS
    default_base_url = "https://mastodon.social"
    idempotent = True

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.config.access_token()}"}

    def validate(self, channel: str, content: Content) -> list[str]:
        text = with_link(content.text_for(channel), content.link)
        limit = int(self.config.option("max_characters") or 500)
        return [
            *empty_text_problems(self.config, text),
            *length_problems(self.config, counted_length(text), limit),
            *media_problems(self.config, content.media, max_items=MAX_MEDIA),
            *alt_text_problems(
                self.config,
                content.media_alt,
                int(self.config.option("max_alt_characters") or ALT_TEXT_LIMIT),
            ),
        ]

    def publish(self, job: PublishJob) -> PublishResult:
        auth = self._auth()
        media_ids: list[str] = []
        for number, url in enumerate(job.media, start=1):
            uploaded = self._upload(url, number, auth, job.alt_for(number - 1))
            if isinstance(uploaded, Failed):
                return uploaded
            media_ids.append(uploaded)
        body: dict[str, Any] = {
            "status": with_link(job.text, job.link),
            "visibility": self.config.option("visibility", "public"),
        }
        if media_ids:
            body["media_ids"] = media_ids
        headers = {**auth, "Idempotency-Key": job.idempotency_key}
        answer = send(
            self.config,
            lambda: self.http.post("/api/v1/statuses", json=body, headers=headers),
            idempotent=True,
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason)
        status_id, url = json_path(answer, "id"), json_path(answer, "url")
        if not isinstance(status_id, str):
            # Safe to resend: the same key returns the status it may have created.
            return Failed("transient", "Mastodon's answer was not understood; trying again.")
        return published(self.config, status_id, url if isinstance(url, str) else None)

    def _upload(self, url: str, number: int, auth: dict[str, str], alt: str) -> str | Failed:
        """Upload one attachment with its description and wait (bounded) until Mastodon has
        processed it."""
        fetched = self.fetch_media(url, number)
        if isinstance(fetched, Failed):
            return fetched
        raw, content_type = fetched
        # `description`: "a plain-text description of the media, for accessibility purposes".
        described = {"description": alt} if alt else None
        answer = send(
            self.config,
            lambda: self.http.post(
                "/api/v2/media",
                files={"file": (f"media{number}", raw, content_type)},
                data=described,
                headers=auth,
            ),
            idempotent=True,  # an unattached upload publishes nothing
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason)
        media_id = json_path(answer, "id")
        if not isinstance(media_id, str):
            return Failed("transient", f"Mastodon's answer to media {number} was not understood.")
        if answer.status_code == 202:
            return self._wait_processed(media_id, number, auth)
        return media_id

    def _wait_processed(self, media_id: str, number: int, auth: dict[str, str]) -> str | Failed:
        pause = float(self.config.option("media_poll_seconds") or 1.0)
        for _ in range(MEDIA_POLLS):
            time.sleep(pause)
            answer = send(
                self.config, lambda: self.http.get(f"/api/v1/media/{media_id}", headers=auth)
            )
            if isinstance(answer, Failed):
                return answer
            if answer.status_code == 200 and json_path(answer, "url"):
                return media_id
            if answer.status_code not in (200, 206):
                return failed_for_status(self.config, answer, reason)
        return unavailable(self.config, f"media {number} is still processing")

    def check(self) -> str:
        auth = self._auth()
        body = identity(
            self.config,
            lambda: self.http.get("/api/v1/accounts/verify_credentials", headers=auth),
            reason,
            fix="create a new access token under Preferences > Development and set "
            f"{secret_variable(self.config.name, 'access_token')}",
        )
        acct = body.get("acct") if isinstance(body, dict) else None
        if not acct:
            raise CheckFailed("Mastodon's verify_credentials answer has no account name.")
        return f"@{acct} on {self.config.base_url(self.default_base_url)}"
