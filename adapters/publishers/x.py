"""X (API v2): `POST /2/tweets`, images through `POST /2/media/upload`, `GET /2/users/me`.

A video goes through X's chunked upload (docs.x.com/x-api/media/quickstart/media-upload-chunked):
`POST /2/media/upload/initialize` (JSON), `POST /2/media/upload/{id}/append` per 4 MB segment,
`POST /2/media/upload/{id}/finalize`, then `GET /2/media/upload?command=STATUS` while X processes
it (bounded by VIDEO_POLLS), and only then the post. Nothing is public until the post, so every
upload step is safe to repeat. Limits from docs.x.com/x-api/media/quickstart/best-practices: one
video per post and nothing beside it, MP4 or MOV, 0.5 s to 20 minutes (125 for Premium: set
`max_video_seconds`), up to 8 GB; Clearpost fetches at most `max_video_mb` (default 512).

An animated GIF takes the same chunked path with `media_category` tweet_gif (the one-step
`/2/media/upload` takes still images only; docs.x.com/x-api/media: "chunked upload
(images/GIF/video), or the older simple upload (images only)"), at most 15 MB, and goes alone:
"up to 4 photos, 1 animated GIF or 1 video in a Post" (best-practices, read 2026-11-29).

Auth is an OAuth 2.0 user-context access token (scopes tweet.write, users.read, media.write) in
CLEARPOST_<CHANNEL>_ACCESS_TOKEN. Length is X's weighted count (twitter-text-parser: most CJK
count 2, every URL counts 23). X has no idempotency key, so a request lost after sending is
"unknown". Tweepy is not used because its API host cannot be pointed elsewhere.
"""

from __future__ import annotations

import time
from typing import IO, Any
from urllib.parse import urlsplit

import httpx
import mutagen.mp4
from twitter_text import parse_tweet

from adapters.publishers.alt_text import alt_text_problems, video_alt_problems
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
    media_kind,
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

# What a video upload can end in, before any post exists (tests/contracts/test_x_video.py).
VIDEO_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("succeeded", "published", "the post, with the processed video attached"),
    Outcome("failed", "permanent", "X could not process the video: X's own reason"),
    Outcome("in_progress", "transient", "X is still processing the video; trying again."),
    Outcome("init 400", "permanent", "X refused the video (HTTP 400): X's own reason"),
    Outcome("append 5xx", "transient", "X is unavailable; trying again."),
    Outcome("too long", "permanent", "the video is longer than X allows"),
)

WEIGHTED_LIMIT = 280
MAX_IMAGES = 4
VIDEO_TYPES = {"mp4": "video/mp4", "mov": "video/quicktime"}
VIDEO_MIN_SECONDS = 0.5
VIDEO_MAX_SECONDS = 20 * 60  # default accounts; Premium may post 125 minutes
VIDEO_MAX_MB = 512  # ours, not X's 8 GB: a practice's clip, fetched within a delivery's time
# The media metadata docs (developer.x.com POST media/metadata/create, the v2 endpoint's
# `alt_text.text`): "Must be <= 1000 chars".
ALT_TEXT_LIMIT = 1_000
GIF_MAX_BYTES = 15 * 2**20  # docs.x.com/x-api/media: "GIF: 15 MB"
SEGMENT_BYTES = 4 * 2**20
VIDEO_POLLS = 30


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


# Paced before each post (GuardedPublisher); figures from docs.x.com/x-api/fundamentals/
# rate-limits (Create Post, POST /2/tweets: 100 per 15 minutes per user, 10,000 per 24 hours per
# app; read 2026-11-29). The older manage-tweets page's 200 / 15 min and 300 / 3 h are gone.
# Both are shared: per user by every channel posting as one account, per app by one app's channels.
_X_LIMITS = "docs.x.com/x-api/fundamentals/rate-limits (POST /2/tweets)"
RATE_LIMITS: tuple[RateLimit, ...] = (
    RateLimit(100, 15 * 60, f"{_X_LIMITS}: 100 per 15 min per user", per="user"),
    RateLimit(10_000, 86400, f"{_X_LIMITS}: 10,000 per 24 h per app", per="app"),
)


class XPublisher(HttpPublisher):
    """Posts to one X account."""

    network = "x"
    rate_limits = RATE_LIMITS
    default_base_url = "https://api.x.com"

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.config.access_token()}"}

    def text_of(self, text: str, link: str | None) -> str:
        return with_link(text, link)

    def validate(self, channel: str, content: Content) -> list[str]:
        text = self.text_of(content.text_for(channel), content.link)
        weighted = parse_tweet(text).weightedLength
        return [
            *empty_text_problems(self.config, text),
            *length_problems(self.config, weighted, WEIGHTED_LIMIT, "weighted characters"),
            *media_problems(
                self.config, content.media, allowed=("image", "video"), max_items=MAX_IMAGES
            ),
            *self._video_problems(content.media),
            *alt_text_problems(self.config, content.media_alt, ALT_TEXT_LIMIT),
            *video_alt_problems(self.config, content.media, content.media_alt),
        ]

    def _video_problems(self, media: tuple[str, ...]) -> list[str]:
        """X takes up to 4 images, or exactly one video or one GIF alone; MP4 or MOV."""
        name = self.config.name
        videos = [n for n, url in enumerate(media, start=1) if media_kind(url) == "video"]
        gifs = [n for n, url in enumerate(media, start=1) if _extension(url) == "gif"]
        found = []
        if videos and len(media) > 1:
            found.append(f"{name}: X takes one video alone or up to 4 images; split this post.")
        elif gifs and len(media) > 1:
            found.append(f"{name}: X takes an animated GIF alone, without other media; split it.")
        for number in videos:
            if _extension(media[number - 1]) not in VIDEO_TYPES:
                found.append(f"{name}: media {number} must be an MP4 or MOV video for X.")
        return found

    def publish(self, job: PublishJob) -> PublishResult:
        """Upload images (nothing is public yet), then create the post in one request."""
        auth = self._auth()
        media_ids: list[str] = []
        for number, url in enumerate(job.media, start=1):
            if media_kind(url) == "video":
                uploaded = self._upload_video(url, number, auth)
            elif _extension(url) == "gif":
                uploaded = self._upload_gif(url, number, auth)
            else:
                uploaded = self._upload(url, number, auth)
            if isinstance(uploaded, Failed):
                return uploaded
            alt = job.alt_for(number - 1)
            if alt and media_kind(url) != "video":
                described = self._describe(uploaded, alt, auth)
                if isinstance(described, Failed):
                    return described
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

    def _describe(self, media_id: str, alt: str, auth: dict[str, str]) -> None | Failed:
        """The image's alt text: POST /2/media/metadata (docs.x.com/x-api/media/
        create-media-metadata), `metadata.alt_text.text`; images and GIFs only."""
        body = {"id": media_id, "metadata": {"alt_text": {"text": alt}}}
        answer = send(
            self.config,
            lambda: self.http.post("/2/media/metadata", json=body, headers=auth),
            idempotent=True,  # describing an unposted upload again publishes nothing
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason)
        return None

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

    def _upload_video(self, url: str, number: int, auth: dict[str, str]) -> str | Failed:
        """Chunked upload of one video, then wait (bounded) until X has processed it."""
        limit = int(float(self.config.option("max_video_mb") or VIDEO_MAX_MB) * 2**20)
        spooled = self.spool_media(url, number, limit)
        if isinstance(spooled, Failed):
            return spooled
        video, size = spooled
        with video:
            refused = self._duration_problem(video, number)
            if refused is not None:
                return refused
            media_type = VIDEO_TYPES.get(_extension(url), "video/mp4")
            return self._upload_chunked(video, size, media_type, "tweet_video", number, auth)

    def _upload_gif(self, url: str, number: int, auth: dict[str, str]) -> str | Failed:
        """An animated GIF: the chunked path with media_category tweet_gif (X processes it)."""
        spooled = self.spool_media(url, number, GIF_MAX_BYTES)
        if isinstance(spooled, Failed):
            return spooled
        gif, size = spooled
        with gif:
            return self._upload_chunked(gif, size, "image/gif", "tweet_gif", number, auth)

    def _upload_chunked(
        self,
        media: IO[bytes],
        size: int,
        media_type: str,
        category: str,
        number: int,
        auth: dict[str, str],
    ) -> str | Failed:
        """initialize, append each segment, finalize, then wait (bounded) for processing."""
        media_id = self._video_step(
            "/2/media/upload/initialize",
            number,
            auth,
            json={"media_type": media_type, "total_bytes": size, "media_category": category},
        )
        if isinstance(media_id, Failed):
            return media_id
        segment = 0
        while chunk := media.read(SEGMENT_BYTES):
            appended = self._video_step(
                f"/2/media/upload/{media_id}/append",
                number,
                auth,
                data={"segment_index": str(segment)},
                files={"media": (f"media{number}", chunk, "application/octet-stream")},
                want_id=False,
            )
            if isinstance(appended, Failed):
                return appended
            segment += 1
        answer = self._video_answer(f"/2/media/upload/{media_id}/finalize", number, auth)
        if isinstance(answer, Failed):
            return answer
        return self._wait_processed(media_id, number, auth, answer)

    def _duration_problem(self, video: IO[bytes], number: int) -> Failed | None:
        """X's documented bounds, read from the file's own header (mutagen); a file whose
        length cannot be read is left for X to judge."""
        try:
            seconds = mutagen.mp4.MP4(video).info.length
        except Exception:  # noqa: BLE001 - any unreadable header means "cannot tell"
            seconds = None
        video.seek(0)
        longest = float(self.config.option("max_video_seconds") or VIDEO_MAX_SECONDS)
        if seconds is not None and not VIDEO_MIN_SECONDS <= seconds <= longest:
            return Failed(
                "permanent",
                f"Media {number} runs {seconds:.1f} s, but X takes videos from "
                f"{VIDEO_MIN_SECONDS} s to {longest:.0f} s; trim it or remove it from "
                f"`{self.config.name}`.",
            )
        return None

    def _video_answer(
        self, path: str, number: int, auth: dict[str, str], **request: Any
    ) -> httpx.Response | Failed:
        answer = send(
            self.config,
            lambda: self.http.post(path, headers=auth, **request),
            idempotent=True,  # an upload alone publishes nothing
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason)
        return answer

    def _video_step(
        self, path: str, number: int, auth: dict[str, str], *, want_id: bool = True, **request: Any
    ) -> str | Failed:
        answer = self._video_answer(path, number, auth, **request)
        if isinstance(answer, Failed) or not want_id:
            return answer if isinstance(answer, Failed) else ""
        media_id = json_path(answer, "data", "id")
        if not isinstance(media_id, str):
            return Failed(
                "transient", f"X's answer to uploading media {number} was not understood."
            )
        return media_id

    def _wait_processed(
        self, media_id: str, number: int, auth: dict[str, str], answer: httpx.Response
    ) -> str | Failed:
        """Poll STATUS as X asks (check_after_secs, capped by `media_poll_seconds`)."""
        cap = float(self.config.option("media_poll_seconds") or 10.0)
        for _ in range(VIDEO_POLLS):
            info = json_path(answer, "data", "processing_info")
            if not isinstance(info, dict) or info.get("state") == "succeeded":
                return media_id
            if info.get("state") == "failed":
                said = clean_reason((info.get("error") or {}).get("message"))
                return Failed(
                    "permanent",
                    f"X could not process media {number}"
                    + (f": {said}" if said else ".")
                    + " Replace the video, then Retry.",
                )
            wait = info.get("check_after_secs")
            time.sleep(min(float(wait) if isinstance(wait, int | float) else 1.0, cap))
            polled = send(
                self.config,
                lambda: self.http.get(
                    "/2/media/upload",
                    params={"command": "STATUS", "media_id": media_id},
                    headers=auth,
                ),
            )
            if isinstance(polled, Failed):
                return polled
            if not polled.is_success:
                return failed_for_status(self.config, polled, reason)
            answer = polled
        return Failed("transient", f"X is still processing media {number}; trying again.")

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


def _extension(url: str) -> str:
    path = urlsplit(url).path.lower()
    return path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
