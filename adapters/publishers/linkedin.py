"""LinkedIn organization page (Posts API): `POST /rest/posts`, identity `GET /rest/organizations`.

Settings: `organization_id` (the number in urn:li:organization:…), optional `linkedin_version`
(YYYYMM, sent as the LinkedIn-Version header every versioned API needs) and `base_url`. Secret:
CLEARPOST_<CHANNEL>_ACCESS_TOKEN, a member token with w_organization_social for that page.

Success is 201 with an empty body and the post URN in the `x-restli-id` header. Commentary is
"little text format": reserved characters are escaped so `(`, `#` or `@` in a post stay text.
Images need LinkedIn's separate upload flow, which Clearpost does not do yet; validation says so.
LinkedIn has no idempotency key: a lost answer is unknown.
"""

from __future__ import annotations

import re
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
    length_problems,
    may_have_posted,
    published,
    secret_variable,
    send,
    with_link,
)
from bot.domain import Content
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("201", "published", "the link to the post"),
    Outcome(
        "401", "permanent", "LinkedIn refused the credentials … Run `clearpost channels check`."
    ),
    Outcome("403", "permanent", "LinkedIn refused the credentials … (missing page role)"),
    Outcome("422", "permanent", "LinkedIn's own reason"),
    Outcome("429", "transient", "rate limited; trying again later"),
    Outcome("5xx", "transient", "LinkedIn is unavailable; trying again."),
    Outcome("timeout", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("lost", "unknown", "It may have posted. Check, then Retry or Mark as published."),
    Outcome("malformed", "unknown", "201 without x-restli-id: it may have posted."),
)

LINKEDIN_VERSION = "202510"
TEXT_LIMIT = 3000
RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")


def little_text(text: str) -> str:
    """Escape LinkedIn's reserved characters so the text is shown exactly as written."""
    return RESERVED.sub(r"\\\1", text)


def reason(response: httpx.Response) -> str | None:
    return clean_reason(json_path(response, "message"))


class LinkedInPublisher(HttpPublisher):
    """Posts as one LinkedIn organization page."""

    network = "linkedin"
    default_base_url = "https://api.linkedin.com"

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.config.secret('access_token', 'access token')}",
            "LinkedIn-Version": self.config.option("linkedin_version", LINKEDIN_VERSION) or "",
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def validate(self, channel: str, content: Content) -> list[str]:
        text = with_link(content.text_for(channel), content.link)
        return [
            *empty_text_problems(self.config, text),
            *length_problems(self.config, len(text), TEXT_LIMIT),
            *(
                [
                    f"{self.config.name}: Clearpost cannot attach media to LinkedIn posts yet; "
                    "remove it from this channel or link to it instead."
                ]
                if content.media
                else []
            ),
        ]

    def body_for(self, job: PublishJob) -> dict[str, Any]:
        organization = self.config.require("organization_id", "2414183")
        return {
            "author": f"urn:li:organization:{organization}",
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

    def publish(self, job: PublishJob) -> PublishResult:
        body, headers = self.body_for(job), self._headers()
        answer = send(
            self.config, lambda: self.http.post("/rest/posts", json=body, headers=headers)
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return failed_for_status(self.config, answer, reason)
        urn = answer.headers.get("x-restli-id")
        if not urn or not urn.startswith("urn:li:"):
            return may_have_posted(self.config, "LinkedIn's answer carried no post id")
        web = self.config.option("web_url", "https://www.linkedin.com")
        return published(self.config, urn, f"{web}/feed/update/{urn}/")

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
