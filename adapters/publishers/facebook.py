"""Facebook Page (Graph API): `/{page-id}/feed` for text and links, `/{page-id}/photos` for images,
`/{page-id}/videos` with `file_url` for one video (Graph fetches it; the Page videos edge,
developers.facebook.com/docs/graph-api/reference/page/videos). A video goes alone, MP4 or MOV,
at most 2 GB (Video API error 1363023), checked by a HEAD before Graph is asked.

Settings: `page_id`, optional `graph_version` (default and sunset in versions.py) and `base_url`.
Secret: CLEARPOST_<CHANNEL>_PAGE_ACCESS_TOKEN, a Page access token with pages_manage_posts, sent
as a Bearer header (never in a URL, where proxies and client logs would keep it).

Graph reports most failures as a 4xx with an error code in the body; the codes decide, not the
status: 190/102 are a bad token, 10 and 200-299 a missing permission, 4/17/32/613 and 80000-80014
throttling, 1/2 a temporary Graph problem. Graph has no idempotency key: a lost answer is unknown.
The helpers here are shared with instagram.py, which speaks the same Graph API.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from adapters.publishers.alt_text import video_alt_problems
from adapters.publishers.base import (
    ChannelConfig,
    CheckFailed,
    HttpPublisher,
    Outcome,
    auth_failed,
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
    rate_limited,
    secret_variable,
    send,
    unavailable,
    with_link,
)
from adapters.publishers.versions import GRAPH
from bot.domain import Content
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("200", "published", "the link to the Page post"),
    Outcome(
        "401", "permanent", "Facebook refused the credentials … Run `clearpost channels check`."
    ),
    Outcome("code 190", "permanent", "Facebook refused the credentials … (expired Page token)"),
    Outcome("code 200", "permanent", "Facebook refused the credentials … (missing permission)"),
    Outcome("code 100", "permanent", "Facebook's own reason, e.g. an invalid parameter"),
    Outcome("code 4", "transient", "rate limited (application request limit)"),
    Outcome("code 32", "transient", "rate limited (Page request limit)"),
    Outcome("code 2", "transient", "Facebook is unavailable; trying again."),
    Outcome("5xx", "transient", "Facebook is unavailable; trying again."),
    Outcome("timeout", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("lost", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("malformed", "unknown", "Facebook's answer was not understood; it may have posted."),
)

GRAPH_VERSION = GRAPH.version
TEXT_LIMIT = 63206
MAX_IMAGES = 10
VIDEO_EXTENSIONS = (".mp4", ".mov")
VIDEO_MAX_BYTES = 2 * 2**30
AUTH_CODES = frozenset({102, 190, 10}) | frozenset(range(200, 300))
THROTTLE_CODES = frozenset({4, 17, 32, 613}) | frozenset(range(80000, 80015))
TEMPORARY_CODES = frozenset({1, 2})


def graph_code(response: httpx.Response) -> int | None:
    code = json_path(response, "error", "code")
    return code if isinstance(code, int) else None


def graph_reason(response: httpx.Response) -> str | None:
    return clean_reason(
        json_path(response, "error", "error_user_msg") or json_path(response, "error", "message")
    )


def graph_wait(response: httpx.Response) -> float | None:
    """Minutes until access returns, from X-Business-Use-Case-Usage, in seconds."""
    try:
        usage = json.loads(response.headers.get("x-business-use-case-usage") or "{}")
    except ValueError:
        return None
    waits = [
        entry.get("estimated_time_to_regain_access")
        for entries in (usage.values() if isinstance(usage, dict) else [])
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    ]
    minutes = [w for w in waits if isinstance(w, int | float) and w > 0]
    return float(max(minutes) * 60) if minutes else None


def graph_failure(config: ChannelConfig, response: httpx.Response) -> Failed:
    """A non-2xx Graph answer, decided by its error code where it has one."""
    code = graph_code(response)
    if code in AUTH_CODES:
        return auth_failed(config, response.status_code)
    if code in THROTTLE_CODES:
        return rate_limited(config, graph_wait(response))
    if code in TEMPORARY_CODES:
        return unavailable(config, f"Graph error {code}")
    return failed_for_status(config, response, graph_reason)


class GraphPublisher(HttpPublisher):
    """What Facebook and Instagram share: the versioned path, the Bearer token, one call."""

    default_base_url = "https://graph.facebook.com"
    token_key = "access_token"

    def _failure(self, response: httpx.Response) -> Failed:
        """A non-2xx answer; a network with codes of its own (Instagram) adds them here."""
        return graph_failure(self.config, response)

    def _path(self, tail: str) -> str:
        return f"/{self.config.option('graph_version', GRAPH_VERSION)}/{tail}"

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.config.access_token(self.token_key)}"}

    def _post(
        self, tail: str, data: dict[str, Any], *, idempotent: bool
    ) -> dict[str, Any] | Failed:
        """One Graph POST; the parsed object, or the Failed it maps to."""
        auth = self._auth()
        answer = send(
            self.config,
            lambda: self.http.post(self._path(tail), data=data, headers=auth),
            idempotent=idempotent,
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return self._failure(answer)
        body = json_path(answer)
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            if idempotent:
                return Failed("transient", f"{self.config.label}'s answer was not understood.")
            return may_have_posted(self.config, f"{self.config.label}'s answer was not understood")
        return body

    def _identity(self, tail: str, fields: str) -> dict[str, Any]:
        auth = self._auth()
        body = identity(
            self.config,
            lambda: self.http.get(self._path(tail), params={"fields": fields}, headers=auth),
            graph_reason,
            fix=f"create a new token and set {secret_variable(self.config.name, self.token_key)}",
        )
        if not isinstance(body, dict):
            raise CheckFailed(f"{self.config.label}'s answer was not understood.")
        return body


def described(photo: dict[str, str], alt: str) -> dict[str, str]:
    """A photo's parameters with its description, when it has one."""
    return {**photo, "alt_text_custom": alt} if alt else photo


class FacebookPublisher(GraphPublisher):
    """Posts to one Facebook Page."""

    network = "facebook"
    token_key = "page_access_token"

    def validate(self, channel: str, content: Content) -> list[str]:
        text = content.text_for(channel)
        return [
            *([] if content.media else empty_text_problems(self.config, text)),
            *length_problems(self.config, len(text), TEXT_LIMIT),
            *media_problems(
                self.config, content.media, allowed=("image", "video"), max_items=MAX_IMAGES
            ),
            *self._video_problems(content.media),
            *video_alt_problems(self.config, content.media, content.media_alt),
        ]

    def _video_problems(self, media: tuple[str, ...]) -> list[str]:
        name = self.config.name
        videos = [n for n, url in enumerate(media, start=1) if media_kind(url) == "video"]
        found = []
        if videos and len(media) > 1:
            found.append(f"{name}: a Facebook video post carries the video alone; split it.")
        for number in videos:
            if not media[number - 1].lower().split("?", 1)[0].endswith(VIDEO_EXTENSIONS):
                found.append(f"{name}: media {number} must be an MP4 or MOV video for Facebook.")
        return found

    def publish(self, job: PublishJob) -> PublishResult:
        page = self.config.require("page_id", "104233456789012")
        # (`alt_text_custom` below: the Photo reference's creating parameter, "Accessible
        # alternative description for an image"; videos take none.)
        if len(job.media) == 1 and media_kind(job.media[0]) == "video":
            return self._publish_video(page, job)
        if len(job.media) == 1:
            # One photo is one request that creates the Page post itself.
            data = {"url": job.media[0], "caption": with_link(job.text, job.link)}
            body = self._post(f"{page}/photos", described(data, job.alt_for(0)), idempotent=False)
            if isinstance(body, Failed):
                return body
            return self._published(str(body.get("post_id") or body["id"]))
        data = {"message": job.text}
        if job.link:
            data["link"] = job.link
        for number, url in enumerate(job.media):
            # Unpublished photos are invisible until the feed post attaches them: safe to redo.
            unpublished = described({"url": url, "published": "false"}, job.alt_for(number))
            photo = self._post(f"{page}/photos", unpublished, idempotent=True)
            if isinstance(photo, Failed):
                return photo
            data[f"attached_media[{number}]"] = json.dumps({"media_fbid": photo["id"]})
        body = self._post(f"{page}/feed", data, idempotent=False)
        if isinstance(body, Failed):
            return body
        return self._published(body["id"])

    def _publish_video(self, page: str, job: PublishJob) -> PublishResult:
        """One request: Graph fetches the video from its URL and publishes it on the Page."""
        too_big = self._video_too_big(job.media[0])
        if too_big is not None:
            return too_big
        data = {"file_url": job.media[0], "description": with_link(job.text, job.link)}
        body = self._post(f"{page}/videos", data, idempotent=False)
        if isinstance(body, Failed):
            return body
        web = self.config.option("web_url", "https://www.facebook.com")
        return published(self.config, body["id"], f"{web}/{page}/videos/{body['id']}")

    def _video_too_big(self, url: str) -> Failed | None:
        """A HEAD says the size where the host tells it; silence leaves it to Graph."""
        try:
            head = self.media_http.head(url)
        except httpx.HTTPError:
            return None
        size = head.headers.get("content-length", "")
        if head.status_code == 200 and size.isdigit() and int(size) > VIDEO_MAX_BYTES:
            return Failed(
                "permanent",
                f"Media 1 is {int(size) / 2**30:.1f} GB, but Facebook takes videos up to 2 GB; "
                f"compress it or remove it from `{self.config.name}`.",
            )
        return None

    def _published(self, post_id: str) -> PublishResult:
        web = self.config.option("web_url", "https://www.facebook.com")
        return published(self.config, post_id, f"{web}/{post_id}")

    def check(self) -> str:
        page = self.config.require("page_id", "104233456789012")
        body = self._identity(page, "id,name")
        return f"Page {body.get('name', '?')} ({body.get('id', page)})"
