"""LinkedIn organization page (Posts API): `POST /rest/posts`, identity `GET /rest/organizations`.

Settings: `organization_id` (the number in urn:li:organization:…), optional `linkedin_version`
(YYYYMM, sent as the LinkedIn-Version header every versioned API needs; the default and its
sunset are in versions.py) and `base_url`. Secret:
CLEARPOST_<CHANNEL>_ACCESS_TOKEN, a member token with w_organization_social for that page.

Success is 201 with an empty body and the post URN in the `x-restli-id` header. Commentary is
"little text format": reserved characters are escaped so `(`, `#` or `@` in a post stay text.
Images go through the Images API first (learn.microsoft.com/linkedin/marketing/community-
management/shares/images-api): `POST /rest/images?action=initializeUpload` with the page as
owner answers an `uploadUrl` and an image URN; the bytes are PUT there; the post then names the
URN (`content.media`, or `content.multiImage` for 2 to 20). JPG, PNG and GIF only; video is not
supported yet and validation says so. Uploads publish nothing, so they are safe to repeat; the
post itself has no idempotency key: a lost answer is unknown.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx

from adapters.publishers.base import (
    CheckFailed,
    HttpPublisher,
    Outcome,
    clean_reason,
    empty_text_problems,
    failed_for_status,
    identity,
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
from adapters.publishers.versions import LINKEDIN
from bot.domain import Content
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("201", "published", "the link to the post"),
    Outcome(
        "401", "permanent", "LinkedIn refused the credentials … Run `clearpost channels check`."
    ),
    Outcome("403", "permanent", "LinkedIn refused the credentials … (missing page role)"),
    Outcome("422", "permanent", "LinkedIn's own reason"),
    Outcome(
        "426 NONEXISTENT_VERSION",
        "permanent",
        "LinkedIn no longer accepts the API version … Clearpost needs an update",
    ),
    Outcome("400 NONEXISTENT_VERSION", "permanent", "Clearpost needs an update (same code)"),
    Outcome("429", "transient", "rate limited; trying again later"),
    Outcome("5xx", "transient", "LinkedIn is unavailable; trying again."),
    Outcome("timeout", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("lost", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("malformed", "unknown", "201 without x-restli-id: it may have posted."),
)

UPLOAD_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("uploaded", "published", "the post, naming each uploaded image URN"),
    Outcome("initialize 403", "permanent", "LinkedIn refused the credentials …"),
    Outcome("initialize malformed", "transient", "LinkedIn's answer was not understood"),
    Outcome("put 5xx", "transient", "LinkedIn is unavailable; trying again."),
)

LINKEDIN_VERSION = LINKEDIN.version
MAX_IMAGES = 20
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif")
TEXT_LIMIT = 3000
RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")


def little_text(text: str) -> str:
    """Escape LinkedIn's reserved characters so the text is shown exactly as written."""
    return RESERVED.sub(r"\\\1", text)


def reason(response: httpx.Response) -> str | None:
    return clean_reason(json_path(response, "message"))


def outdated(response: httpx.Response) -> bool:
    """A retired or unknown LinkedIn-Version: 426 `NONEXISTENT_VERSION` ("Requested version
    … is not active"), whatever status it arrives with."""
    return json_path(response, "code") in ("NONEXISTENT_VERSION", "VERSION_MISSING")


class LinkedInPublisher(HttpPublisher):
    """Posts as one LinkedIn organization page."""

    network = "linkedin"
    default_base_url = "https://api.linkedin.com"

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.config.access_token()}",
            "LinkedIn-Version": self.config.option("linkedin_version", LINKEDIN_VERSION) or "",
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def validate(self, channel: str, content: Content) -> list[str]:
        text = with_link(content.text_for(channel), content.link)
        return [
            *empty_text_problems(self.config, text),
            *length_problems(self.config, len(text), TEXT_LIMIT),
            *media_problems(self.config, content.media, allowed=("image",), max_items=MAX_IMAGES),
            *[
                f"{self.config.name}: media {number} must be a JPG, PNG or GIF for LinkedIn."
                for number, url in enumerate(content.media, start=1)
                if media_kind(url) == "image"
                and not urlsplit(url).path.lower().endswith(IMAGE_EXTENSIONS)
            ],
        ]

    def _author(self) -> str:
        return f"urn:li:organization:{self.config.require('organization_id', '2414183')}"

    def body_for(self, job: PublishJob, images: list[str] | None = None) -> dict[str, Any]:
        body = {
            "author": self._author(),
            "commentary": little_text(with_link(job.text, job.link)),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        # Posts API `content.media` and MultiImage API `images[]` each take an `altText`
        # (learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api and
        # .../multiimage-post-api); it is left out for an image without a description.
        described = [
            {"id": urn, **({"altText": alt} if (alt := job.alt_for(i)) else {})}
            for i, urn in enumerate(images or [])
        ]
        if len(described) == 1:
            body["content"] = {"media": described[0]}
        elif described:
            body["content"] = {"multiImage": {"images": described}}
        return body

    def publish(self, job: PublishJob) -> PublishResult:
        headers = self._headers()
        images: list[str] = []
        for number, url in enumerate(job.media, start=1):
            urn = self._upload_image(url, number, headers)
            if isinstance(urn, Failed):
                return urn
            images.append(urn)
        body = self.body_for(job, images)
        answer = send(
            self.config, lambda: self.http.post("/rest/posts", json=body, headers=headers)
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason, outdated=outdated)
        urn = answer.headers.get("x-restli-id")
        if not urn or not urn.startswith("urn:li:"):
            return may_have_posted(self.config, "LinkedIn's answer carried no post id")
        web = self.config.option("web_url", "https://www.linkedin.com")
        return published(self.config, urn, f"{web}/feed/update/{urn}/")

    def _upload_image(self, url: str, number: int, headers: dict[str, str]) -> str | Failed:
        """initializeUpload, then PUT the bytes to the upload URL LinkedIn gave."""
        fetched = self.fetch_media(url, number)
        if isinstance(fetched, Failed):
            return fetched
        raw, content_type = fetched
        request = {"initializeUploadRequest": {"owner": self._author()}}
        answer = send(
            self.config,
            lambda: self.http.post(
                "/rest/images", params={"action": "initializeUpload"}, json=request, headers=headers
            ),
            idempotent=True,  # an image nobody posts is never shown
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason, outdated=outdated)
        upload_url, urn = (
            json_path(answer, "value", "uploadUrl"),
            json_path(answer, "value", "image"),
        )
        if not isinstance(upload_url, str) or not isinstance(urn, str):
            return Failed(
                "transient", f"LinkedIn's answer to uploading media {number} was not understood."
            )
        # The token goes only to LinkedIn's own hosts (or the configured stand-in's).
        host = urlsplit(upload_url).hostname or ""
        ours = host == self.http.base_url.host or host.endswith(".linkedin.com")
        put_headers = {"Content-Type": content_type}
        if ours:
            put_headers["Authorization"] = headers["Authorization"]
        put = send(
            self.config,
            lambda: self.http.put(upload_url, content=raw, headers=put_headers),
            idempotent=True,
        )
        if isinstance(put, Failed):
            return put
        if not put.is_success:
            return failed_for_status(self.config, put, reason, outdated=outdated)
        return urn

    def check(self) -> str:
        organization = self.config.require("organization_id", "2414183")
        headers = self._headers()
        body = identity(
            self.config,
            lambda: self.http.get(f"/rest/organizations/{organization}", headers=headers),
            reason,
            fix="sign in again as a page admin and set "
            + secret_variable(self.config.name, "access_token"),
        )
        name = body.get("localizedName") if isinstance(body, dict) else None
        if not name:
            raise CheckFailed(
                "LinkedIn's answer has no organization name; is organization_id right?"
            )
        return f"{name} (organization {organization})"
