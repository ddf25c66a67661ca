"""Reddit: a submission to one subreddit with POST /api/submit (OAuth bearer, `api_type=json`).

The first line of the text is the title (Reddit requires one, at most 300 characters); the rest is
the body of a self post. With a link the submission is a link post, which has no body. Attached
media are listed as links at the end of the body (Reddit's own image upload is not used).

Reddit answers most refusals with HTTP 200 and `{"json": {"errors": [[code, message, field]]}}`;
`RATELIMIT` there is a per-account posting limit whose wait is in `json.ratelimit` (seconds).
The request-rate limit is HTTP 429 with `X-Ratelimit-Reset` in seconds from now. Reddit has no
idempotency key, so a connection lost after sending is "outcome unknown".

We use httpx rather than PRAW because PRAW retries failed submissions itself, which could post
twice; here each call is one attempt and the dispatcher decides on retries.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from adapters.credentials.provider import RefreshUnavailable
from adapters.publishers.base import (
    ChannelConfig,
    HttpPublisher,
    Outcome,
    RateLimit,
    clean_reason,
    empty_text_problems,
    failed_for_status,
    json_or_none,
    length_problems,
    may_have_posted,
    published,
    rate_limited,
    retry_after_seconds,
    send,
)
from bot.domain import Content
from bot.errors import ClearpostError
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("200", "published", "the submission's link"),
    Outcome("errors", "permanent", "Reddit's own reason from its error array"),
    Outcome("RATELIMIT", "transient", "rate limited; the wait comes from `json.ratelimit`"),
    Outcome("401", "permanent", "Reddit refused the token; run `clearpost channels check`"),
    Outcome("429", "transient", "rate limited; the wait comes from `X-Ratelimit-Reset`"),
    Outcome("5xx", "transient", "Reddit is unavailable; trying again"),
    Outcome("timeout", "unknown", "it may have posted; a person checks"),
    Outcome("lost", "unknown", "it may have posted; a person checks"),
    Outcome("malformed", "unknown", "it probably posted; a person checks"),
)

TITLE_LIMIT = 300
BODY_LIMIT = 40000
USER_AGENT = "python:clearpost:0.1 (approved posts of a healthcare practice)"


def title_and_body(text: str, link: str | None, media: tuple[str, ...]) -> tuple[str, str]:
    """First line -> title; the rest (plus media links) -> the self post's body."""
    title, _, rest = text.strip().partition("\n")
    body = rest.strip()
    if media and not link:
        body = "\n\n".join([body, *media]) if body else "\n\n".join(media)
    return title.strip(), body


def _wait_from_headers(headers: httpx.Headers) -> float | None:
    wait = retry_after_seconds(headers)
    if wait is None:
        reset = headers.get("x-ratelimit-reset", "")  # seconds from now, unlike X's epoch
        try:
            wait = float(reset)
        except ValueError:
            return None
    return wait


# Reddit's Data API wiki (support.reddithelp.com "Data API Wiki"): 100 queries per minute per
# OAuth client id, averaged over 10 minutes; the x-ratelimit-* headers remain the last word.
RATE_LIMITS: tuple[RateLimit, ...] = (
    RateLimit(100, 60, "Reddit Data API Wiki: 100 QPM per OAuth client id", per="app"),
)


class RedditPublisher(HttpPublisher):
    """Submits to `subreddit` as the account of a Reddit "script" or installed app.

    Secrets: `CLIENT_ID`, `CLIENT_SECRET`, and either `REFRESH_TOKEN` or `USERNAME` + `PASSWORD`.
    Settings: `subreddit`, `base_url` (oauth.reddit.com), `auth_url` (the token endpoint).
    """

    network = "reddit"
    rate_limits = RATE_LIMITS
    default_base_url = "https://oauth.reddit.com"
    default_auth_url = "https://www.reddit.com/api/v1/access_token"

    def __init__(self, config: ChannelConfig, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(config, transport)
        self.http.headers["User-Agent"] = config.option("user_agent", USER_AGENT)
        self._token: str | None = None
        self._token_until = 0.0

    # -- the Publisher port ---------------------------------------------------------------------

    def validate(self, channel: str, content: Content) -> list[str]:
        title, body = title_and_body(content.text_for(channel), content.link, content.media)
        found = empty_text_problems(self.config, title)
        found += [
            p.replace("characters", "title characters", 1)
            for p in length_problems(self.config, len(title), TITLE_LIMIT)
        ]
        found += length_problems(self.config, len(body), BODY_LIMIT)
        if content.link and body:
            found.append(
                f"{self.config.name}: a Reddit link post has only a title; the text after the "
                "first line would not appear. Remove it or add an override."
            )
        return found

    def publish(self, job: PublishJob) -> PublishResult:
        try:
            return self._publish(job)
        except ClearpostError as exc:  # a missing setting or secret: a person must add it
            return Failed("permanent", str(exc))

    def check(self) -> str:
        token = self._access_token(fresh=True)
        if isinstance(token, Failed):
            raise ClearpostError(token.message)
        answer = self.http.get("/api/v1/me", headers={"Authorization": f"bearer {token}"})
        body = json_or_none(answer)
        if not answer.is_success or not isinstance(body, dict) or "name" not in body:
            raise ClearpostError(f"Reddit's identity endpoint answered HTTP {answer.status_code}.")
        return f"u/{body['name']} posting to r/{self.config.require('subreddit', 'clinic')}"

    # -- the calls ------------------------------------------------------------------------------

    def _publish(self, job: PublishJob) -> PublishResult:
        subreddit = self.config.require("subreddit", "yourclinic")
        token = self._access_token()
        if isinstance(token, Failed):
            return token
        title, body = title_and_body(job.text, job.link, job.media)
        form = {"api_type": "json", "sr": subreddit, "title": title, "resubmit": "true"}
        if job.link:
            form.update(kind="link", url=job.link)
        else:
            form.update(kind="self", text=body)
        answer = send(
            self.config,
            lambda: self.http.post(
                "/api/submit", data=form, headers={"Authorization": f"bearer {token}"}
            ),
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            if answer.status_code == 401:
                self._token = None  # revoked or expired early: the next attempt asks again
            if answer.status_code == 429:
                return rate_limited(self.config, _wait_from_headers(answer.headers))
            return failed_for_status(self.config, answer, _http_reason)
        return self._result(json_or_none(answer))

    def _result(self, body: Any) -> PublishResult:
        outer = body.get("json") if isinstance(body, dict) else None
        if not isinstance(outer, dict):
            return may_have_posted(self.config, "Reddit's answer could not be read")
        errors = outer.get("errors") or []
        if errors:
            first = errors[0] if isinstance(errors[0], list) else [str(errors[0])]
            if first and first[0] == "RATELIMIT":
                wait = outer.get("ratelimit")
                return rate_limited(self.config, float(wait) if wait is not None else None)
            reason = clean_reason(first[1] if len(first) > 1 else first[0]) or "no reason given"
            return Failed(
                "permanent",
                f"Reddit refused the post for `{self.config.name}`: {reason.rstrip('.')}.",
            )
        data = outer.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return may_have_posted(self.config, "Reddit's answer could not be read")
        return published(self.config, data["name"], data.get("url"))

    def _access_token(self, fresh: bool = False) -> str | Failed:
        """An application-only bearer token for the account, kept until shortly before expiry."""
        if not self.config.has_secret("username"):
            # A web app's refresh token: stored and refreshed by the channel's token source.
            try:
                return self.config.access_token("refresh_token", "Reddit refresh token")
            except RefreshUnavailable as exc:
                return Failed("transient", exc.sentence)
        if not fresh and self._token and time.monotonic() < self._token_until:
            return self._token
        client = (self.config.secret("client_id"), self.config.secret("client_secret"))
        grant = {  # a script app signs in with the account's own password
            "grant_type": "password",
            "username": self.config.secret("username", "Reddit username"),
            "password": self.config.secret("password", "Reddit password"),
        }
        url = self.config.option("auth_url", self.default_auth_url)
        answer = send(
            self.config, lambda: self.http.post(str(url), data=grant, auth=client), idempotent=True
        )
        if isinstance(answer, Failed):
            return answer
        body = json_or_none(answer)
        if answer.status_code in (400, 401, 403) or (isinstance(body, dict) and "error" in body):
            return failed_for_status(self.config, httpx.Response(401))
        if not answer.is_success:
            return failed_for_status(self.config, answer)
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            return Failed("transient", "Reddit's token answer could not be read; trying again.")
        self._token = body["access_token"]
        self._token_until = time.monotonic() + float(body.get("expires_in", 3600)) - 60
        return self._token


def _http_reason(response: httpx.Response) -> str | None:
    body = json_or_none(response)
    if isinstance(body, dict):
        return clean_reason(body.get("reason")) or clean_reason(body.get("message"))
    return None
