"""YouTube: a video upload with the Data API v3 resumable protocol (videos.insert).

Two requests: POST /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status with the
video's metadata opens an upload session (its URL comes back in `Location`), then one PUT of the
bytes to that URL creates the video. The first line of the text is the title (at most 100
characters), the rest plus the link is the description (at most 5,000 bytes); neither may hold
`<` or `>`. The video is fetched from the post's media URL.

Losing the connection while opening the session is safe to retry (no video exists yet); losing
it during the PUT is "outcome unknown", since the upload may have completed. Quota and rate
refusals are 403s with reasons (`quotaExceeded`, `rateLimitExceeded`, ...) and are transient. A
spent daily quota waits for its reset at midnight Pacific time (determine_quota_cost); the
channel's own upload cap, 400 `uploadLimitExceeded`, waits the 24 hours YouTube asks for.

httpx rather than google-api-python-client: the protocol is two requests, and the client
library's own retries and httplib2 transport would hide which of them failed.
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as dt_time
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from adapters.credentials.provider import RefreshUnavailable
from adapters.publishers.base import (
    ChannelConfig,
    HttpPublisher,
    Outcome,
    RateLimit,
    clean_reason,
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
    Outcome("200", "published", "the video's watch link"),
    Outcome("400", "permanent", "YouTube's own reason, e.g. an invalid title"),
    Outcome("401", "permanent", "YouTube refused the token; run `clearpost channels check`"),
    Outcome("quotaExceeded", "transient", "the daily quota is spent; after midnight Pacific"),
    Outcome("uploadLimitExceeded", "transient", "the channel's upload cap; trying in 24 hours"),
    Outcome("429", "transient", "rate limited; the wait comes from `Retry-After`"),
    Outcome("5xx", "transient", "YouTube is unavailable; trying again"),
    Outcome("timeout", "unknown", "the upload may have completed; a person checks"),
    Outcome("lost", "unknown", "the upload may have completed; a person checks"),
    Outcome("malformed", "unknown", "it probably uploaded; a person checks"),
)

TITLE_LIMIT = 100
DESCRIPTION_BYTES = 5000
THROTTLE_REASONS = frozenset(
    {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "uploadLimitExceeded"}
)
PACIFIC = ZoneInfo("America/Los_Angeles")
UPLOAD_LIMIT_WAIT = 86400.0
VIDEO_CONTENT_TYPES = {"mp4": "video/mp4", "mov": "video/quicktime", "m4v": "video/x-m4v"}


def title_and_description(text: str, link: str | None) -> tuple[str, str]:
    title, _, rest = text.strip().partition("\n")
    description = rest.strip()
    if link and link not in description:
        description = f"{description}\n\n{link}".strip()
    return title.strip(), description


def _reasons(response: httpx.Response) -> list[str]:
    body = json_or_none(response)
    error = body.get("error") if isinstance(body, dict) else None
    errors = error.get("errors") if isinstance(error, dict) else None
    if not isinstance(errors, list):
        return []
    return [e.get("reason", "") for e in errors if isinstance(e, dict)]


def _message(response: httpx.Response) -> str | None:
    body = json_or_none(response)
    error = body.get("error") if isinstance(body, dict) else None
    return clean_reason(error.get("message")) if isinstance(error, dict) else None


def _throttled(response: httpx.Response) -> bool:
    return bool(THROTTLE_REASONS.intersection(_reasons(response)))


def seconds_to_quota_reset(now: float) -> float:
    """YouTube's daily quotas reset at midnight Pacific time; until then, plus a minute."""
    here = datetime.fromtimestamp(now, PACIFIC)
    midnight = datetime.combine(here.date() + timedelta(days=1), dt_time(0), PACIFIC)
    return midnight.timestamp() - now + 60.0


def _failure(config: ChannelConfig, response: httpx.Response) -> Failed:
    """A non-2xx answer; a spent quota or upload cap waits for its documented reset."""
    reasons = _reasons(response)
    if "quotaExceeded" in reasons:
        wait = seconds_to_quota_reset(time.time())
        return Failed(
            "transient",
            f"YouTube's daily upload quota for `{config.name}` is spent; trying again after "
            f"midnight Pacific time, in {round(wait / 3600, 1)} h.",
            wait,
        )
    if "uploadLimitExceeded" in reasons:
        return Failed(
            "transient",
            f"YouTube's upload limit for the channel of `{config.name}` is reached; trying again "
            "in 24 hours, as YouTube asks.",
            UPLOAD_LIMIT_WAIT,
        )
    return failed_for_status(config, response, _message, throttled=_throttled)


# developers.google.com/youtube/data/determine_quota_cost (read 2026-11-29): "search.list and
# videos.insert have their own quota buckets", each 100 calls a day by default at a cost of 1 per
# call (no longer 1,600 of the project's 10,000 units). A sliding day, cautious against the
# quota's midnight-Pacific reset. A channel's own 24-hour upload cap answers uploadLimitExceeded.
RATE_LIMITS: tuple[RateLimit, ...] = (
    RateLimit(  # per API project: every channel of one OAuth client shares it
        100,
        86400,
        "developers.google.com/youtube/data/determine_quota_cost: videos.insert bucket",
        per="app",
    ),
)


class YouTubePublisher(HttpPublisher):
    """Uploads a post's video to the channel of the configured Google account.

    Secrets: `CLIENT_ID`, `CLIENT_SECRET`, `REFRESH_TOKEN` (OAuth with the youtube.upload scope).
    Settings: `privacy` (public, unlisted, private; default public), `category_id` (default 22,
    People & Blogs), `base_url` (www.googleapis.com), `token_url`.
    """

    network = "youtube"
    rate_limits = RATE_LIMITS
    default_base_url = "https://www.googleapis.com"
    default_token_url = "https://oauth2.googleapis.com/token"

    def __init__(self, config: ChannelConfig, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(config, transport)
        self._media = httpx.Client(timeout=self.http.timeout, transport=transport)

    def close(self) -> None:
        self._media.close()
        super().close()

    # -- the Publisher port ---------------------------------------------------------------------

    def validate(self, channel: str, content: Content) -> list[str]:
        name = self.config.name
        title, description = title_and_description(content.text_for(channel), content.link)
        found = media_problems(
            self.config, content.media, allowed=("video",), required="a video", max_items=1
        )
        if not title:
            found.append(f"{name}: the first line is the video's title, and it is empty.")
        if len(title) > TITLE_LIMIT:
            found.append(
                f"{name}: the title (first line) has {len(title)} characters, but YouTube allows "
                f"{TITLE_LIMIT}. Shorten it or add a `{name}` override."
            )
        if len(description.encode()) > DESCRIPTION_BYTES:
            found.append(
                f"{name}: the description has {len(description.encode())} bytes, but YouTube "
                f"allows {DESCRIPTION_BYTES}."
            )
        if any(c in title + description for c in "<>"):
            found.append(f"{name}: YouTube refuses < and > in titles and descriptions.")
        return found

    def publish(self, job: PublishJob) -> PublishResult:
        try:
            return self._publish(job)
        except ClearpostError as exc:  # a missing secret: a person must add it
            return Failed("permanent", str(exc))

    def check(self) -> str:
        token = self._access_token()
        if isinstance(token, Failed):
            raise ClearpostError(token.message)
        answer = self.http.get(
            "/youtube/v3/channels",
            params={"part": "snippet", "mine": "true"},
            headers={"Authorization": f"Bearer {token}"},
        )
        body = json_or_none(answer)
        try:
            return f"the YouTube channel {body['items'][0]['snippet']['title']}"
        except (TypeError, KeyError, IndexError):
            raise ClearpostError(
                f"YouTube did not name a channel for `{self.config.name}` "
                f"(HTTP {answer.status_code})."
            ) from None

    # -- the calls ------------------------------------------------------------------------------

    def _publish(self, job: PublishJob) -> PublishResult:
        token = self._access_token()
        if isinstance(token, Failed):
            return token
        video_url = next((u for u in job.media if media_kind(u) == "video"), None)
        if video_url is None:
            return Failed("permanent", f"`{self.config.name}`: YouTube needs a video to upload.")
        with tempfile.TemporaryFile() as video:
            size = self._fetch(video_url, video)
            if isinstance(size, Failed):
                return size
            kind = VIDEO_CONTENT_TYPES.get(video_url.rsplit(".", 1)[-1].lower(), "video/*")
            session = self._open_session(job, token, size, kind)
            if isinstance(session, Failed):
                return session
            video.seek(0)
            answer = send(
                self.config,
                lambda: self.http.put(
                    session,
                    content=video.read(),
                    headers={"Authorization": f"Bearer {token}", "Content-Type": kind},
                ),
            )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return _failure(self.config, answer)
        body = json_or_none(answer)
        video_id = body.get("id") if isinstance(body, dict) else None
        if not isinstance(video_id, str):
            return may_have_posted(self.config, "YouTube's answer could not be read")
        web = self.config.option("web_url", "https://www.youtube.com")
        return published(self.config, video_id, f"{web}/watch?v={video_id}")

    def _open_session(self, job: PublishJob, token: str, size: int, kind: str) -> str | Failed:
        title, description = title_and_description(job.text, job.link)
        metadata: dict[str, Any] = {
            "snippet": {
                "title": title,
                "description": description,
                "categoryId": self.config.option("category_id", "22"),
            },
            "status": {
                "privacyStatus": self.config.option("privacy", "public"),
                "selfDeclaredMadeForKids": False,
            },
        }
        answer = send(
            self.config,
            lambda: self.http.post(
                "/upload/youtube/v3/videos",
                params={"uploadType": "resumable", "part": "snippet,status"},
                json=metadata,
                headers={
                    "Authorization": f"Bearer {token}",
                    "X-Upload-Content-Length": str(size),
                    "X-Upload-Content-Type": kind,
                },
            ),
            idempotent=True,  # an unused upload session creates no video
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return _failure(self.config, answer)
        location = answer.headers.get("location")
        if not location:
            return Failed("transient", "YouTube opened no upload session; trying again.")
        return location

    def _fetch(self, url: str, into: Any) -> int | Failed:
        """Stream the video into a temporary file; returns its size."""
        size = 0
        try:
            with self._media.stream("GET", url) as response:
                if not response.is_success:
                    return Failed(
                        "permanent",
                        f"The video for `{self.config.name}` could not be fetched "
                        f"(HTTP {response.status_code}); fix its address, then Retry.",
                    )
                for chunk in response.iter_bytes():
                    into.write(chunk)
                    size += len(chunk)
        except httpx.HTTPError:
            return Failed("transient", f"The video for `{self.config.name}` could not be fetched.")
        return size

    def _access_token(self) -> str | Failed:
        """From the channel's token source (adapters/credentials/provider.py): the stored token,
        refreshed at Google's token endpoint before it expires, or minted from
        CLEARPOST_<CHANNEL>_REFRESH_TOKEN with the client id and secret."""
        try:
            return self.config.access_token("refresh_token", "YouTube refresh token")
        except RefreshUnavailable as exc:
            return Failed("transient", exc.sentence)
