"""Tumblr: an NPF post with POST /v2/blog/{blog}/posts, signed with OAuth 1.0a.

The post's content blocks are the text (one text block per paragraph: an NPF text block is a
paragraph, and holds at most TEXT_BLOCK_LIMIT characters, counted in code points), one image block
per image URL (Tumblr fetches it), one video block per video URL, and a link block for the link.
Tumblr answers errors as `{"meta": {...}, "errors": [{"title", "code", "detail"}]}`. The daily
posting limit (250 posts a day per account, across all its blogs) arrives as 403 with error code
8023, not as a credentials problem: it is transient and retried after the next UTC midnight.
Tumblr takes no idempotency key, so a connection lost after sending is "outcome unknown".
"""

from __future__ import annotations

import re
import time
from typing import Any

import httpx

from adapters.publishers.alt_text import alt_text_problems, video_alt_problems
from adapters.publishers.base import (
    ChannelConfig,
    HttpPublisher,
    OAuth1Signer,
    Outcome,
    RateLimit,
    clean_reason,
    empty_text_problems,
    failed_for_status,
    json_or_none,
    may_have_posted,
    media_kind,
    media_problems,
    published,
    send,
)
from bot.domain import Content
from bot.errors import ClearpostError
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("201", "published", "the post's tumblr.com link"),
    Outcome("400", "permanent", "Tumblr's own reason from `errors[0].detail`"),
    Outcome("401", "permanent", "Tumblr refused the keys; run `clearpost channels check`"),
    Outcome("403 code 8023", "transient", "the daily posting limit; trying after midnight UTC"),
    Outcome("429", "transient", "rate limited; trying again later"),
    Outcome("5xx", "transient", "Tumblr is unavailable; trying again"),
    Outcome("timeout", "unknown", "it may have posted; a person checks"),
    Outcome("lost", "unknown", "it may have posted; a person checks"),
    Outcome("malformed", "unknown", "it probably posted; a person checks"),
)

MEDIA_LIMIT = 10
TEXT_BLOCK_LIMIT = 4096
# NPF spec, image blocks: `alt_text` "Text used to describe the image, for screen readers. 4096
# character maximum." (tumblr/docs npf-spec.md, read 2026-11-29)
ALT_TEXT_LIMIT = 4096
DAILY_LIMIT_CODE = 8023
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (split at blank lines), each one NPF text block."""
    found = [part.strip("\n") for part in PARAGRAPH_BREAK.split(text)]
    return [part for part in found if part.strip()] or [text]


def npf_content(
    text: str, link: str | None, media: tuple[str, ...], media_alt: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The NPF content blocks of one post, in reading order; an image block carries its
    description as `alt_text` (NPF spec, image blocks; video blocks have no such field)."""
    blocks: list[dict[str, Any]] = [{"type": "text", "text": part} for part in paragraphs(text)]
    for index, url in enumerate(media):
        alt = media_alt[index] if index < len(media_alt) else ""
        if media_kind(url) == "video":
            blocks.append({"type": "video", "url": url})
        else:
            blocks.append(
                {"type": "image", "media": [{"url": url}], **({"alt_text": alt} if alt else {})}
            )
    if link:
        blocks.append({"type": "link", "url": link})
    return blocks


def _reason(response: httpx.Response) -> str | None:
    body = json_or_none(response)
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return clean_reason(errors[0].get("detail")) or clean_reason(errors[0].get("title"))
        meta = body.get("meta")
        if isinstance(meta, dict):
            return clean_reason(meta.get("msg"))
    return None


def _error_codes(response: httpx.Response) -> set[object]:
    body = json_or_none(response)
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return set()
    return {error.get("code") for error in errors if isinstance(error, dict)}


def _daily_limit(response: httpx.Response) -> bool:
    return response.status_code == 403 and DAILY_LIMIT_CODE in _error_codes(response)


def seconds_to_next_utc_day(now: float) -> float:
    """Tumblr counts posts per calendar day; until the next UTC midnight, plus a minute."""
    return 86400.0 - (now % 86400.0) + 60.0


# tumblr.com/docs/en/api/v2 (Rate limits): 250 posts a day per user, whichever of their blogs
# they go to. The pacer is per channel, so two channels on one account each think they have 250:
# the 403 code 8023 stays the last word.
RATE_LIMITS: tuple[RateLimit, ...] = (
    RateLimit(250, 86400, "tumblr.com/docs/en/api/v2: 250 posts per day per user (all blogs)"),
)


class TumblrPublisher(HttpPublisher):
    """Posts to `blog` (its name or host, e.g. `clinic` or `clinic.tumblr.com`).

    Secrets: `CONSUMER_KEY`, `CONSUMER_SECRET`, `OAUTH_TOKEN`, `OAUTH_TOKEN_SECRET` (from Tumblr's
    app registration and its API console)."""

    network = "tumblr"
    rate_limits = RATE_LIMITS
    default_base_url = "https://api.tumblr.com"

    def __init__(self, config: ChannelConfig, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(config, transport)

    def _signer(self) -> OAuth1Signer:
        return OAuth1Signer(
            self.config.secret("consumer_key", "Tumblr consumer key"),
            self.config.secret("consumer_secret", "Tumblr consumer secret"),
            self.config.secret("oauth_token", "Tumblr OAuth token"),
            self.config.secret("oauth_token_secret", "Tumblr OAuth token secret"),
        )

    # -- the Publisher port ---------------------------------------------------------------------

    def validate(self, channel: str, content: Content) -> list[str]:
        text = content.text_for(channel)
        too_long = [
            f"{self.config.name}: paragraph {number} is {len(part)} characters, but a Tumblr "
            f"text block holds {TEXT_BLOCK_LIMIT}. Split it with a blank line or shorten it."
            for number, part in enumerate(paragraphs(text), start=1)
            if len(part) > TEXT_BLOCK_LIMIT
        ]
        return [
            *empty_text_problems(self.config, text),
            *too_long,
            *media_problems(self.config, content.media, max_items=MEDIA_LIMIT),
            *alt_text_problems(self.config, content.media_alt, ALT_TEXT_LIMIT),
            *video_alt_problems(self.config, content.media, content.media_alt),
        ]

    def publish(self, job: PublishJob) -> PublishResult:
        try:
            blog = self.config.require("blog", "clinic.tumblr.com")
            signer = self._signer()
        except ClearpostError as exc:  # a missing setting or secret: a person must add it
            return Failed("permanent", str(exc))
        content = npf_content(job.text, job.link, job.media, job.media_alt)
        payload = {"content": content, "state": "published"}
        answer = send(
            self.config,
            lambda: self.http.post(f"/v2/blog/{blog}/posts", json=payload, auth=signer),
        )
        if isinstance(answer, Failed):
            return answer
        if _daily_limit(answer):
            wait = seconds_to_next_utc_day(time.time())
            return Failed(
                "transient",
                f"Tumblr's daily posting limit for `{self.config.name}` is reached (250 posts a "
                f"day per account); trying again after midnight UTC, in {round(wait / 3600, 1)} h.",
                wait,
            )
        if not answer.is_success:
            return failed_for_status(self.config, answer, _reason)
        body = json_or_none(answer)
        response = body.get("response") if isinstance(body, dict) else None
        post_id = response.get("id") if isinstance(response, dict) else None
        if not isinstance(post_id, str | int):
            return may_have_posted(self.config, "Tumblr's answer could not be read")
        name = blog.removesuffix(".tumblr.com")
        web = self.config.option("web_url", "https://www.tumblr.com")
        return published(self.config, str(post_id), f"{web}/{name}/{post_id}")

    def check(self) -> str:
        answer = self.http.get("/v2/user/info", auth=self._signer())
        body = json_or_none(answer)
        try:
            name = body["response"]["user"]["name"]
        except (TypeError, KeyError):
            raise ClearpostError(
                f"Tumblr refused the keys for `{self.config.name}` (HTTP {answer.status_code})."
            ) from None
        return f"{name}, posting to {self.config.require('blog', 'clinic.tumblr.com')}"
