"""A WordPress blog (REST API): `POST /wp-json/wp/v2/posts` with an application password.

Settings: `base_url` (the site, e.g. https://blog.clinic.example; no default), `username`.
Secret: CLEARPOST_<CHANNEL>_APPLICATION_PASSWORD (Users > Profile > Application Passwords), sent
with HTTP Basic auth, which WordPress accepts only over HTTPS (or on localhost).

The first line of the text is the title and the rest the body, as escaped HTML paragraphs; image
URLs are shown as figures and the link closes the post. `status: publish` is sent explicitly,
since WordPress saves a draft otherwise. WordPress has no idempotency key: a lost answer is
unknown.
"""

from __future__ import annotations

import html
from typing import Any

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
    may_have_posted,
    media_problems,
    published,
    secret_variable,
    send,
)
from bot.domain import Content
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("201", "published", "the link to the blog post"),
    Outcome(
        "401", "permanent", "the blog refused the credentials … Run `clearpost channels check`."
    ),
    Outcome("403", "permanent", "the blog refused the credentials … (the user cannot publish)"),
    Outcome("400", "permanent", "WordPress's own reason"),
    Outcome("429", "transient", "rate limited (a security plugin or the host)"),
    Outcome("5xx", "transient", "the blog is unavailable; trying again."),
    Outcome("timeout", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("lost", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("malformed", "unknown", "the blog's answer was not understood; it may have posted."),
)

TITLE_LIMIT = 200


def reason(response: httpx.Response) -> str | None:
    return clean_reason(json_path(response, "message"))


def title_and_body(text: str) -> tuple[str, str]:
    first, _, rest = text.strip().partition("\n")
    return first.strip(), rest.strip()


def render_html(
    body: str, media: tuple[str, ...], link: str | None, media_alt: tuple[str, ...] = ()
) -> str:
    """The post's HTML. Images are linked, not uploaded to the Media Library, so each one's
    description is its `<img alt>` (escaped) rather than a media item's `alt_text`."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    parts = [f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs]
    alts = [media_alt[i] if i < len(media_alt) else "" for i in range(len(media))]
    parts += [
        f'<figure><img src="{html.escape(url, quote=True)}" alt="{html.escape(alt, quote=True)}">'
        "</figure>"
        for url, alt in zip(media, alts, strict=True)
    ]
    if link:
        safe = html.escape(link, quote=True)
        parts.append(f'<p><a href="{safe}">{safe}</a></p>')
    return "\n".join(parts)


class WordPressPublisher(HttpPublisher):
    """Publishes posts on one WordPress site as one user."""

    network = "wordpress"
    default_base_url = ""  # every blog has its own address: base_url is required

    def _auth(self) -> httpx.BasicAuth:
        self.config.require("base_url", "https://blog.clinic.example")
        user = self.config.require("username", "clearpost")
        password = self.config.secret("application_password", "application password")
        return httpx.BasicAuth(user, password)

    def validate(self, channel: str, content: Content) -> list[str]:
        title, _ = title_and_body(content.text_for(channel))
        found = [
            *empty_text_problems(self.config, title),
            *media_problems(self.config, content.media, allowed=("image",)),
        ]
        if len(title) > TITLE_LIMIT:
            found.append(
                f"{self.config.name}: the first line becomes the blog post's title and is "
                f"{len(title)} characters; keep it under {TITLE_LIMIT} and start the body on a "
                "new line."
            )
        return found

    def body_for(self, job: PublishJob) -> dict[str, Any]:
        title, body = title_and_body(job.text)
        return {
            "title": title,
            "content": render_html(body, job.media, job.link, job.media_alt),
            "status": "publish",
        }

    def publish(self, job: PublishJob) -> PublishResult:
        auth, body = self._auth(), self.body_for(job)
        answer = send(
            self.config, lambda: self.http.post("/wp-json/wp/v2/posts", json=body, auth=auth)
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason)
        post_id, link = json_path(answer, "id"), json_path(answer, "link")
        if not isinstance(post_id, int):
            return may_have_posted(self.config, "The blog's answer was not understood")
        return published(self.config, str(post_id), link if isinstance(link, str) else None)

    def check(self) -> str:
        auth = self._auth()
        body = identity(
            self.config,
            lambda: self.http.get("/wp-json/wp/v2/users/me", params={"context": "edit"}, auth=auth),
            reason,
            fix="create an application password for the user and set "
            + secret_variable(self.config.name, "application_password"),
        )
        if not isinstance(body, dict) or "name" not in body:
            raise CheckFailed("the blog's answer has no user name; is base_url the site?")
        can_publish = (body.get("capabilities") or {}).get("publish_posts")
        note = "" if can_publish in (True, None) else "; this user cannot publish posts"
        return f"{body['name']} on {self.config.base_url('')}{note}"
