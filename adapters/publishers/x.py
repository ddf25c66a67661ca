"""X (API v2): `POST /2/tweets`, images through `POST /2/media/upload`, `GET /2/users/me`.

Auth is an OAuth 2.0 user-context access token (scopes tweet.write, users.read, media.write) in
CLEARPOST_<CHANNEL>_ACCESS_TOKEN. Length is X's weighted count (twitter-text-parser: most CJK
count 2, every URL counts 23). X has no idempotency key, so a request lost after sending is
"unknown". Tweepy is not used because its API host cannot be pointed elsewhere.
"""

from __future__ import annotations

from typing import Any

import httpx
from twitter_text import parse_tweet

from adapters.publishers.base import (
    CheckFailed,
    HttpPublisher,
    Outcome,
    RateLimit,
    clean_reason,
    empty_text_problems,
    failed_for_status,
    identity,
    json_or_none,
    json_path,
    length_problems,
    may_have_posted,
    media_problems,
    published,
    secret_variable,
    send,
    with_link,
)
from bot.domain import Content
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("201", "published", "the link to the post"),
    Outcome("401", "permanent", "X refused the credentials … Run `clearpost channels check`."),
    Outcome("403", "permanent", "X's own reason (duplicate content, missing access)"),
    Outcome("400", "permanent", "X's own reason"),
    Outcome("429", "transient", "rate limited; the wait comes from x-rate-limit-reset"),
    Outcome("5xx", "transient", "X is unavailable; trying again."),
    Outcome("timeout", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("lost", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("malformed", "unknown", "X's answer was not understood; it may have posted."),
)

WEIGHTED_LIMIT = 280
MAX_IMAGES = 4


def reason(response: httpx.Response) -> str | None:
    """X answers problems as RFC 7807 bodies (`detail`, `title`) or an `errors` array."""
    body = json_or_none(response)
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return clean_reason(errors[0].get("detail") or errors[0].get("message"))
    return clean_reason(body.get("detail") or body.get("title"))


def _is_post_refusal(response: httpx.Response) -> bool:
    # X answers 403 both for missing access and for a refused post (duplicate content); either
    # way its own words say which, so show them instead of blaming the token.
    return response.status_code == 403


# Paced before each post (GuardedPublisher); figures from X's manage-Posts introduction,
# developer.x.com/en/docs/x-api/tweets/manage-tweets: "a user rate limit of 200 requests per 15
# minutes for the POST method" and "300 requests per 3 hours, including ... manage Retweets".
RATE_LIMITS: tuple[RateLimit, ...] = (
    RateLimit(200, 15 * 60, "developer.x.com/en/docs/x-api/tweets/manage-tweets (per user)"),
    RateLimit(300, 3 * 3600, "developer.x.com/en/docs/x-api/tweets/manage-tweets (per user)"),
)


class XPublisher(HttpPublisher):
    """Posts to one X account."""

    network = "x"
    rate_limits = RATE_LIMITS
    default_base_url = "https://api.x.com"

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.config.secret('access_token', 'access token')}"}

    def text_of(self, text: str, link: str | None) -> str:
        return with_link(text, link)

    def validate(self, channel: str, content: Content) -> list[str]:
        text = self.text_of(content.text_for(channel), content.link)
        weighted = parse_tweet(text).weightedLength
        return [
            *empty_text_problems(self.config, text),
            *length_problems(self.config, weighted, WEIGHTED_LIMIT, "weighted characters"),
            *media_problems(self.config, content.media, allowed=("image",), max_items=MAX_IMAGES),
        ]

    def publish(self, job: PublishJob) -> PublishResult:
        """Upload images (nothing is public yet), then create the post in one request."""
        auth = self._auth()
        media_ids: list[str] = []
        for number, url in enumerate(job.media, start=1):
            uploaded = self._upload(url, number, auth)
            if isinstance(uploaded, Failed):
                return uploaded
            media_ids.append(uploaded)
        body: dict[str, Any] = {"text": self.text_of(job.text, job.link)}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        answer = send(self.config, lambda: self.http.post("/2/tweets", json=body, headers=auth))
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason, refused_post=_is_post_refusal)
        post_id = json_path(answer, "data", "id")
        if not isinstance(post_id, str):
            return may_have_posted(self.config, "X's answer was not understood")
        web = self.config.option("web_url", "https://x.com")
        return published(self.config, post_id, f"{web}/i/web/status/{post_id}")

    def _upload(self, url: str, number: int, auth: dict[str, str]) -> str | Failed:
        fetched = self.fetch_media(url, number)
        if isinstance(fetched, Failed):
            return fetched
        raw, content_type = fetched
        answer = send(
            self.config,
            lambda: self.http.post(
                "/2/media/upload",
                data={"media_category": "tweet_image"},
                files={"media": (f"media{number}", raw, content_type)},
                headers=auth,
            ),
            idempotent=True,  # an upload alone publishes nothing: safe to repeat
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason)
        media_id = json_path(answer, "data", "id")
        if not isinstance(media_id, str):
            return Failed(
                "transient", f"X's answer to uploading media {number} was not understood."
            )
        return media_id

    def check(self) -> str:
        auth = self._auth()
        body = identity(
            self.config,
            lambda: self.http.get("/2/users/me", headers=auth),
            reason,
            fix=f"create a new user access token and set {self._token_variable()}",
        )
        username = (body.get("data") or {}).get("username") if isinstance(body, dict) else None
        if not username:
            raise CheckFailed("X's /2/users/me answer has no username; is base_url right?")
        return f"@{username}"

    def _token_variable(self) -> str:
        return secret_variable(self.config.name, "access_token")
