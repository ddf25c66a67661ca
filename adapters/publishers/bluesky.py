"""Bluesky: an app.bsky.feed.post record written with com.atproto.repo.createRecord.

A session comes from com.atproto.server.createSession (handle + app password) and is kept for
the publisher's life, since Bluesky limits how often sessions may be created. Links in the text
become link facets (UTF-8 byte ranges); images are uploaded with com.atproto.repo.uploadBlob.

Each delivery writes its record under a record key derived from its idempotency key, so a retry
after a lost connection cannot post twice: the repeat is refused (the key is taken) and the record
already there is found with com.atproto.repo.getRecord and reported as published.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

import httpx
import regex

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
    media_kind,
    media_problems,
    published,
    rate_limited,
    retry_after_seconds,
    send,
)
from bot.domain import Content
from bot.errors import ClearpostError
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("200", "published", "the post's bsky.app link"),
    Outcome("401", "permanent", "Bluesky refused the credentials; run `clearpost channels check`"),
    Outcome("400", "permanent", "Bluesky's own reason, e.g. the record is invalid"),
    Outcome("429", "transient", "rate limited; the wait comes from `ratelimit-reset`"),
    Outcome("5xx", "transient", "Bluesky is unavailable; trying again"),
    Outcome("timeout", "transient", "retried under the same record key, so never posted twice"),
    Outcome("lost", "transient", "retried under the same record key, so never posted twice"),
    Outcome("taken", "published", "a retry finds the record the lost attempt wrote"),
    Outcome("malformed", "unknown", "it probably posted; a person checks"),
)

GRAPHEME_LIMIT = 300
BYTE_LIMIT = 3000
IMAGE_LIMIT = 4
IMAGE_BYTES = 1_000_000
POST = "app.bsky.feed.post"
_URL = re.compile(r"https?://[^\s<>\"]+")
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def post_text(text: str, link: str | None) -> str:
    """The text as posted: the link goes on its own line unless the text already holds it."""
    if link and link not in text:
        return f"{text.rstrip()}\n{link}"
    return text


def graphemes(text: str) -> int:
    """Length as Bluesky counts it: user-perceived characters (an emoji with modifiers is one)."""
    return len(regex.findall(r"\X", text))


def link_facets(text: str) -> list[dict[str, Any]]:
    """A link facet per URL in the text; Bluesky indexes facets by UTF-8 byte offsets."""
    facets = []
    for match in _URL.finditer(text):
        url = match.group().rstrip(".,;:!?)]'")
        start = len(text[: match.start()].encode())
        facets.append(
            {
                "index": {"byteStart": start, "byteEnd": start + len(url.encode())},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
            }
        )
    return facets


def record_key(idempotency_key: str, scheduled_at: datetime) -> str:
    """A TID (13 base32-sortable characters) that is the same on every retry of a delivery.

    The timestamp part is the scheduled second plus hash-derived microseconds; the clock-id part
    comes from the same hash, so two deliveries due in the same second get different keys.
    """
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big")
    micros = int(scheduled_at.timestamp()) * 1_000_000 + digest % 1_000_000
    value = ((micros << 10) | ((digest >> 20) % 1024)) & ((1 << 63) - 1)
    return "".join(_TID_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def _reason(response: httpx.Response) -> str | None:
    body = json_or_none(response)
    if isinstance(body, dict):
        return clean_reason(body.get("message")) or clean_reason(body.get("error"))
    return None


def _expired(response: httpx.Response) -> bool:
    body = json_or_none(response)
    return isinstance(body, dict) and body.get("error") in ("ExpiredToken", "InvalidToken")


# docs.bsky.app/docs/advanced-guides/rate-limits: 5,000 points per hour and 35,000 per day per
# account, a CREATE costs 3 points, so at most 1,666 records per hour and 11,666 per day.
RATE_LIMITS: tuple[RateLimit, ...] = (
    RateLimit(1666, 3600, "docs.bsky.app/docs/advanced-guides/rate-limits (per DID)"),
    RateLimit(11666, 86400, "docs.bsky.app/docs/advanced-guides/rate-limits (per DID)"),
)


class BlueskyPublisher(HttpPublisher):
    """Posts to one Bluesky account. Settings: `handle` (and `base_url` for another PDS);
    secret: the app password, `CLEARPOST_<CHANNEL>_APP_PASSWORD`."""

    network = "bluesky"
    rate_limits = RATE_LIMITS
    default_base_url = "https://bsky.social"
    idempotent = True  # a retry reuses the record key; see the module docstring

    def __init__(self, config: ChannelConfig, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(config, transport)
        self._media = httpx.Client(timeout=self.http.timeout, transport=transport)
        self._session: dict[str, str] | None = None

    def close(self) -> None:
        self._media.close()
        super().close()

    # -- the Publisher port ---------------------------------------------------------------------

    def validate(self, channel: str, content: Content) -> list[str]:
        """300 graphemes and 3,000 bytes with the link added; up to four images, no video."""
        text = post_text(content.text_for(channel), content.link)
        found = empty_text_problems(self.config, text)
        found += length_problems(self.config, graphemes(text), GRAPHEME_LIMIT)
        found += length_problems(self.config, len(text.encode()), BYTE_LIMIT, "bytes")
        found += media_problems(
            self.config, content.media, allowed=("image",), max_items=IMAGE_LIMIT
        )
        return found

    def publish(self, job: PublishJob) -> PublishResult:
        try:
            return self._publish(job)
        except ClearpostError as exc:  # a missing setting or secret: a person must add it
            return Failed("permanent", str(exc))

    def _publish(self, job: PublishJob) -> PublishResult:
        session = self._ensure_session()
        if isinstance(session, Failed):
            return session
        record: dict[str, Any] = {
            "$type": POST,
            "text": post_text(job.text, job.link),
            "createdAt": job.scheduled_at.isoformat().replace("+00:00", "Z"),
        }
        facets = link_facets(record["text"])
        if facets:
            record["facets"] = facets
        if job.media:
            embed = self._upload_images(job)
            if isinstance(embed, Failed):
                return embed
            record["embed"] = embed
        rkey = record_key(job.idempotency_key, job.scheduled_at)
        answer = self._create(rkey, record)
        if isinstance(answer, httpx.Response) and _expired(answer):
            self._session = None  # an access token lives about two hours: sign in again once
            session = self._ensure_session()
            if isinstance(session, Failed):
                return session
            answer = self._create(rkey, record)
        if isinstance(answer, Failed):
            return answer
        if answer.is_success:
            body = json_or_none(answer)
            if not isinstance(body, dict) or not isinstance(body.get("uri"), str):
                return may_have_posted(self.config, "Bluesky's answer could not be read")
            return published(self.config, body["uri"], self._post_url(rkey))
        if answer.status_code not in (401, 429) and self._exists(rkey):
            return published(self.config, self._uri(rkey), self._post_url(rkey))
        return self._failed(answer)

    def check(self) -> str:
        self._session = None
        session = self._ensure_session()
        if isinstance(session, Failed):
            raise ClearpostError(session.message)
        return f"@{session['handle']} ({session['did']})"

    # -- the calls ------------------------------------------------------------------------------

    def _ensure_session(self) -> dict[str, str] | Failed:
        if self._session is not None:
            return self._session
        handle = self.config.require("handle", "clinic.bsky.social")
        password = self.config.secret("app_password", "Bluesky app password")
        answer = send(
            self.config,
            lambda: self.http.post(
                "/xrpc/com.atproto.server.createSession",
                json={"identifier": handle, "password": password},
            ),
            idempotent=True,  # signing in twice posts nothing
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return self._failed(answer, signing_in=True)
        body = json_or_none(answer)
        if not isinstance(body, dict) or not all(
            isinstance(body.get(k), str) for k in ("accessJwt", "did", "handle")
        ):
            return Failed("transient", "Bluesky's sign-in answer could not be read; trying again.")
        self._session = {k: body[k] for k in ("accessJwt", "did", "handle")}
        return self._session

    def _auth(self) -> dict[str, str]:
        assert self._session is not None
        return {"Authorization": f"Bearer {self._session['accessJwt']}"}

    def _create(self, rkey: str, record: dict[str, Any]) -> httpx.Response | Failed:
        assert self._session is not None
        payload = {"repo": self._session["did"], "collection": POST, "rkey": rkey, "record": record}
        return send(
            self.config,
            lambda: self.http.post(
                "/xrpc/com.atproto.repo.createRecord", json=payload, headers=self._auth()
            ),
            idempotent=True,
        )

    def _exists(self, rkey: str) -> bool:
        """Whether an earlier attempt of this delivery already wrote its record."""
        assert self._session is not None
        params = {"repo": self._session["did"], "collection": POST, "rkey": rkey}
        try:
            answer = self.http.get(
                "/xrpc/com.atproto.repo.getRecord", params=params, headers=self._auth()
            )
        except httpx.HTTPError:
            return False
        return answer.status_code == 200

    def _upload_images(self, job: PublishJob) -> dict[str, Any] | Failed:
        images = []
        for number, url in enumerate(job.media, start=1):
            try:
                fetched = self._media.get(url)
            except httpx.HTTPError:
                return Failed("transient", f"Image {number} could not be fetched; trying again.")
            if not fetched.is_success:
                return Failed(
                    "permanent",
                    f"Image {number} could not be fetched (HTTP {fetched.status_code}); "
                    "fix its address, then Retry.",
                )
            if len(fetched.content) > IMAGE_BYTES or media_kind(url) != "image":
                return Failed(
                    "permanent",
                    f"Image {number} is not an image of at most 1 MB, which Bluesky requires.",
                )
            content_type = fetched.headers.get("content-type", "image/jpeg").split(";")[0]
            answer = send(
                self.config,
                lambda data=fetched.content, kind=content_type: self.http.post(
                    "/xrpc/com.atproto.repo.uploadBlob",
                    content=data,
                    headers={**self._auth(), "Content-Type": kind},
                ),
                idempotent=True,  # an unused blob is discarded by the server
            )
            if isinstance(answer, Failed):
                return answer
            if not answer.is_success:
                return self._failed(answer)
            body = json_or_none(answer)
            if not isinstance(body, dict) or not isinstance(body.get("blob"), dict):
                return Failed("transient", "Bluesky's upload answer could not be read.")
            # app.bsky.embed.images#image requires `alt` (a string, no documented maximum):
            # the media description, or "" for an image without one.
            images.append({"alt": job.alt_for(number - 1), "image": body["blob"]})
        return {"$type": "app.bsky.embed.images", "images": images}

    def _failed(self, response: httpx.Response, *, signing_in: bool = False) -> Failed:
        if response.status_code == 429:
            # Bluesky sends `ratelimit-reset` as epoch seconds (the IETF draft's headers).
            headers = {"x-rate-limit-reset": response.headers.get("ratelimit-reset", "")}
            wait = retry_after_seconds(response.headers) or retry_after_seconds(headers)
            return rate_limited(self.config, wait)
        if signing_in and response.status_code in (400, 401):
            return failed_for_status(self.config, httpx.Response(401))
        return failed_for_status(self.config, response, _reason)

    def _uri(self, rkey: str) -> str:
        assert self._session is not None
        return f"at://{self._session['did']}/{POST}/{rkey}"

    def _post_url(self, rkey: str) -> str:
        assert self._session is not None
        web = self.config.option("web_url", "https://bsky.app")
        return f"{web}/profile/{self._session['handle']}/post/{rkey}"
