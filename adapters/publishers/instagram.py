"""Instagram business account (Graph API): a media container, then `media_publish`.

Settings: `ig_user_id` (the Instagram business account id), optional `graph_version`, `base_url`.
Secret: CLEARPOST_<CHANNEL>_ACCESS_TOKEN with instagram_basic and instagram_content_publish.

Every post needs exactly one image (JPEG, as the API requires) or video (published as a reel).
Creating a container publishes nothing, so failures up to `media_publish` are safe to retry; a
`media_publish` whose answer is lost is unknown. Videos are processed before they can be
published: the container's `status_code` is polled a bounded number of times per attempt
(CONTAINER_POLLS); a reel still processing then is a transient failure, and the dispatcher's
retry polls the same container (remembered by the job's idempotency key in this process; an
unpublished container EXPIREs after 24 h) instead of having Instagram fetch and process the
video again. Another replica, or a restart, creates a new container: wasteful, never a double
post, since a container publishes nothing by itself.

A full publishing quota (50 posts in a moving 24 h) is Graph error code 9 with subcode 2207042
("Max publishing limit reached"): transient, retried after QUOTA_RETRY_SECONDS, not a refusal.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict

import httpx

from adapters.publishers.alt_text import video_alt_problems
from adapters.publishers.base import (
    ChannelConfig,
    CheckFailed,
    Outcome,
    RateLimit,
    empty_text_problems,
    json_path,
    length_problems,
    media_kind,
    media_problems,
    published,
    send,
    with_link,
)
from adapters.publishers.facebook import GraphPublisher
from bot.domain import Content
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("200", "published", "the permalink of the post"),
    Outcome(
        "401", "permanent", "Instagram refused the credentials … Run `clearpost channels check`."
    ),
    Outcome("code 190", "permanent", "Instagram refused the credentials … (expired token)"),
    Outcome("code 9004", "permanent", "Instagram's own reason (the image could not be fetched)"),
    Outcome("code 4", "transient", "rate limited"),
    Outcome(
        "code 9 subcode 2207042",
        "transient",
        "Instagram's publishing limit (50 posts in 24 hours) is reached; trying again in 1 hour",
    ),
    Outcome("5xx", "transient", "Instagram is unavailable; trying again."),
    Outcome("timeout", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("lost", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("malformed", "unknown", "Instagram's answer was not understood; it may have posted."),
)

CAPTION_LIMIT = 2200
HASHTAG_LIMIT = 30
HASHTAG = re.compile(r"(?<!\w)#\w+")
CONTAINER_POLLS = 12
CONTAINER_LIFETIME = 23 * 3600.0  # Instagram expires an unpublished container after 24 h
REMEMBERED_CONTAINERS = 256
QUOTA_CODE, QUOTA_SUBCODE = 9, 2207042
QUOTA_RETRY_SECONDS = 3600.0  # the window moves: a slot frees as the oldest post ages out

# developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/
# content_publishing_limit: API-published posts are capped per 24-hour moving period; Meta's
# example answers quota_total 50, quota_duration 86400. Carousels count as one.
RATE_LIMITS: tuple[RateLimit, ...] = (
    RateLimit(50, 86400, "Instagram content_publishing_limit (per IG user, moving 24 h)"),
)


class InstagramPublisher(GraphPublisher):
    """Posts one image or one reel to one Instagram business account."""

    network = "instagram"
    rate_limits = RATE_LIMITS
    token_key = "access_token"

    def validate(self, channel: str, content: Content) -> list[str]:
        caption = with_link(content.text_for(channel), content.link)
        found = [
            *length_problems(self.config, len(caption), CAPTION_LIMIT),
            *media_problems(
                self.config, content.media, required="an image or a video", max_items=1
            ),
        ]
        if not content.media:
            found += empty_text_problems(self.config, caption)
        tags = len(HASHTAG.findall(caption))
        if tags > HASHTAG_LIMIT:
            found.append(
                f"{self.config.name}: {tags} hashtags, but Instagram allows {HASHTAG_LIMIT}."
            )
        for number, url in enumerate(content.media, start=1):
            path = url.lower().split("?", 1)[0]
            if media_kind(url) == "image" and not path.endswith((".jpg", ".jpeg")):
                found.append(
                    f"{self.config.name}: media {number} must be a JPEG for Instagram; "
                    "convert it to .jpg."
                )
        return found + video_alt_problems(self.config, content.media, content.media_alt)

    def __init__(self, config: ChannelConfig, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(config, transport)
        # idempotency key -> (container id, when created): a retry polls the same container.
        self._containers: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._containers_lock = threading.Lock()

    def _failure(self, response: httpx.Response) -> Failed:
        error = json_path(response, "error")
        if (
            isinstance(error, dict)
            and error.get("code") == QUOTA_CODE
            and error.get("error_subcode") == QUOTA_SUBCODE
        ):
            return Failed(
                "transient",
                f"Instagram's publishing limit for `{self.config.name}` (50 posts in 24 hours) "
                "is reached; trying again in 1 hour.",
                QUOTA_RETRY_SECONDS,
            )
        return super()._failure(response)

    def publish(self, job: PublishJob) -> PublishResult:
        account = self.config.require("ig_user_id", "17841400000000000")
        if not job.media:
            return Failed("permanent", f"Instagram needs an image or a video for `{job.channel}`.")
        container_id = self._remembered(job.idempotency_key)
        if container_id is None:
            caption = with_link(job.text, job.link)
            if media_kind(job.media[0]) == "video":
                data = {"media_type": "REELS", "video_url": job.media[0], "caption": caption}
            else:
                data = {"image_url": job.media[0], "caption": caption}
                if job.alt_for(0):  # `alt_text`: image posts only, not reels (since 2025-03-24)
                    data["alt_text"] = job.alt_for(0)
            container = self._post(f"{account}/media", data, idempotent=True)
            if isinstance(container, Failed):
                return container
            container_id = container["id"]
            self._remember(job.idempotency_key, container_id)
        ready = self._wait_ready(container_id)
        if isinstance(ready, Failed):
            if ready.kind != "transient":
                self._forget(job.idempotency_key)
            return ready
        media = self._post(
            f"{account}/media_publish", {"creation_id": container_id}, idempotent=False
        )
        if isinstance(media, Failed):
            if media.kind != "transient":  # refused, or it may have posted: a person decides
                self._forget(job.idempotency_key)
            return media
        self._forget(job.idempotency_key)
        return published(self.config, media["id"], self._permalink(media["id"]))

    def _remembered(self, key: str) -> str | None:
        with self._containers_lock:
            found = self._containers.get(key)
            if found is None:
                return None
            if time.monotonic() - found[1] > CONTAINER_LIFETIME:
                del self._containers[key]
                return None
            return found[0]

    def _remember(self, key: str, container_id: str) -> None:
        with self._containers_lock:
            self._containers[key] = (container_id, time.monotonic())
            while len(self._containers) > REMEMBERED_CONTAINERS:
                self._containers.popitem(last=False)

    def _forget(self, key: str) -> None:
        with self._containers_lock:
            self._containers.pop(key, None)

    def _wait_ready(self, container: str) -> None | Failed:
        pause = float(self.config.option("media_poll_seconds") or 2.0)
        auth = self._auth()
        for attempt in range(CONTAINER_POLLS):
            answer = send(
                self.config,
                lambda: self.http.get(
                    self._path(container), params={"fields": "status_code"}, headers=auth
                ),
            )
            if isinstance(answer, Failed):
                return answer
            if not answer.is_success:
                return self._failure(answer)
            status = json_path(answer, "status_code")
            if status in ("FINISHED", "PUBLISHED"):
                return None
            if status in ("ERROR", "EXPIRED"):
                return Failed(
                    "permanent",
                    f"Instagram could not process the media for `{self.config.name}` "
                    f"({status}); check its format and size.",
                )
            if attempt + 1 < CONTAINER_POLLS:
                time.sleep(pause)
        return Failed(
            "transient",
            f"Instagram is still processing the video for `{self.config.name}`; Clearpost will "
            "check the same upload again.",
        )

    def _permalink(self, media_id: str) -> str | None:
        """Best effort: the post exists either way, so a failure here only loses the link."""
        auth = self._auth()
        try:
            answer = self.http.get(
                self._path(media_id), params={"fields": "permalink"}, headers=auth
            )
        except httpx.HTTPError:
            return None
        link = json_path(answer, "permalink") if answer.is_success else None
        return link if isinstance(link, str) else None

    def check(self) -> str:
        account = self.config.require("ig_user_id", "17841400000000000")
        body = self._identity(account, "id,username")
        if not body.get("username"):
            raise CheckFailed("Instagram's answer has no username; is ig_user_id right?")
        return f"@{body['username']} ({account})"
