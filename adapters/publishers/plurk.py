"""Plurk: POST /APP/Timeline/plurkAdd, a form signed with OAuth 1.0a (the body is signed too).

A plurk holds at most 360 characters; the link and media addresses are appended to the text
(Plurk shows image addresses as images), so they count. Plurk answers failures as HTTP 400 with
`{"error_text": "..."}`: the OAuth errors carry codes 40101-40106 (credentials), and its flood
guards `anti-flood-too-many-new` (wait) and `anti-flood-same-content` (refused). Plurk takes no
idempotency key, so a connection lost after sending is "outcome unknown".
"""

from __future__ import annotations

import httpx

from adapters.publishers.base import (
    ChannelConfig,
    HttpPublisher,
    OAuth1Signer,
    Outcome,
    auth_failed,
    clean_reason,
    empty_text_problems,
    failed_for_status,
    json_or_none,
    length_problems,
    may_have_posted,
    published,
    rate_limited,
    send,
)
from bot.domain import Content
from bot.errors import ClearpostError
from bot.ports import Failed, PublishJob, PublishResult

OUTCOMES: tuple[Outcome, ...] = (
    Outcome("200", "published", "the plurk's link"),
    Outcome("400", "permanent", "Plurk's own `error_text`"),
    Outcome("40106", "permanent", "Plurk refused the token; run `clearpost channels check`"),
    Outcome("flood", "transient", "Plurk's flood guard; trying again later"),
    Outcome("429", "transient", "rate limited; trying again later"),
    Outcome("5xx", "transient", "Plurk is unavailable; trying again"),
    Outcome("timeout", "unknown", "it may have posted; a person checks"),
    Outcome("lost", "unknown", "it may have posted; a person checks"),
    Outcome("malformed", "unknown", "it probably posted; a person checks"),
)

TEXT_LIMIT = 360
FLOOD_WAIT = 600.0  # Plurk names no wait for its flood guard; ten minutes is a polite guess
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def plurk_text(text: str, link: str | None, media: tuple[str, ...]) -> str:
    extra = [u for u in (*media, link) if u and u not in text]
    return " ".join([text.strip(), *extra]) if extra else text.strip()


def base36(number: int) -> str:
    """Plurk's permalinks name a plurk by its id in base 36."""
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _BASE36[rest] + digits
        if number == 0:
            return digits


def _error_text(response: httpx.Response) -> str:
    body = json_or_none(response)
    said = body.get("error_text") if isinstance(body, dict) else None
    return said if isinstance(said, str) else ""


class PlurkPublisher(HttpPublisher):
    """Posts to the Plurk timeline of the account whose token is configured.

    Secrets: `APP_KEY`, `APP_SECRET`, `TOKEN`, `TOKEN_SECRET`. Settings: `qualifier` (default ":",
    no verb), `lang` (optional), `base_url`."""

    network = "plurk"
    default_base_url = "https://www.plurk.com"

    def __init__(self, config: ChannelConfig, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(config, transport)

    def _signer(self) -> OAuth1Signer:
        return OAuth1Signer(
            self.config.secret("app_key", "Plurk app key"),
            self.config.secret("app_secret", "Plurk app secret"),
            self.config.secret("token", "Plurk access token"),
            self.config.secret("token_secret", "Plurk access token secret"),
        )

    # -- the Publisher port ---------------------------------------------------------------------

    def validate(self, channel: str, content: Content) -> list[str]:
        text = plurk_text(content.text_for(channel), content.link, content.media)
        return empty_text_problems(self.config, text) + length_problems(
            self.config, len(text), TEXT_LIMIT
        )

    def publish(self, job: PublishJob) -> PublishResult:
        try:
            signer = self._signer()
        except ClearpostError as exc:  # a missing secret: a person must add it
            return Failed("permanent", str(exc))
        form = {
            "content": plurk_text(job.text, job.link, job.media),
            "qualifier": self.config.option("qualifier", ":") or ":",
        }
        lang = self.config.option("lang")
        if lang:
            form["lang"] = lang
        answer = send(
            self.config,
            lambda: self.http.post("/APP/Timeline/plurkAdd", data=form, auth=signer),
        )
        if isinstance(answer, Failed):
            return answer
        if not answer.is_success:
            return self._failed(answer)
        body = json_or_none(answer)
        plurk_id = body.get("plurk_id") if isinstance(body, dict) else None
        if not isinstance(plurk_id, int):
            return may_have_posted(self.config, "Plurk's answer could not be read")
        web = self.config.option("web_url", "https://www.plurk.com")
        return published(self.config, str(plurk_id), f"{web}/p/{base36(plurk_id)}")

    def check(self) -> str:
        answer = self.http.post("/APP/Users/me", auth=self._signer())
        body = json_or_none(answer)
        if not answer.is_success or not isinstance(body, dict) or "nick_name" not in body:
            raise ClearpostError(
                f"Plurk refused the token for `{self.config.name}` (HTTP {answer.status_code})."
            )
        return f"{body.get('display_name') or body['nick_name']} (@{body['nick_name']})"

    def _failed(self, response: httpx.Response) -> Failed:
        said = _error_text(response)
        code = said.split(":", 1)[0]
        if code.startswith("401") and code.isdigit():  # 40101-40106: OAuth refused
            return auth_failed(self.config, response.status_code)
        if said == "anti-flood-too-many-new":
            return rate_limited(self.config, FLOOD_WAIT)
        if response.status_code == 429 and not response.headers.get("retry-after"):
            return rate_limited(self.config, None)
        return failed_for_status(self.config, response, lambda r: clean_reason(_error_text(r)))
