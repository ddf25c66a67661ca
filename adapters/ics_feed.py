"""The subscribable calendar: GET /calendar/<token>.ics, served by `clearpost serve`.

The token (CLEARPOST_ICS_TOKEN) is the only protection, as with every calendar subscription URL,
so it is compared in constant time, only as written (its alphabet never needs percent-encoding,
so an encoded spelling is a 404), a wrong token is an ordinary 404, and the access log shows no
feed path at all (neither the token, however spelled, nor a near miss). Nothing is mounted when
no token is set.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
from datetime import timedelta

from aiohttp import web

from adapters.bootstrap import Core
from adapters.ics import write_ics
from adapters.settings import ICS_TOKEN_FORM
from bot.calendar.model import FEED_STATES
from bot.ports import PostQuery

log = logging.getLogger(__name__)

FEED_PATH = "/calendar/{token}.ics"
PAST = timedelta(days=90)
AHEAD = timedelta(days=400)


_FEED_PATHS = re.compile(r"/calendar/[^\s?\"]*")


class FeedTokenFilter(logging.Filter):
    """Masks every feed path in aiohttp's access log lines: the token however it is spelled
    (percent-encoded, say), and a wrong one, which may be the token with a typo."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/calendar/" in message:
            masked = _FEED_PATHS.sub(_masked, message)
            record.msg, record.args = masked, None
        return True


def _masked(path: re.Match[str]) -> str:
    return "/calendar/…[masked]" + (".ics" if path.group().endswith(".ics") else "")


def feed_url(core: Core) -> str | None:
    """Where people subscribe, when both the base URL and the token are set."""
    token = core.settings.ics_token
    base = core.settings.public_base_url
    if token is None or not base:
        return None
    return base.rstrip("/") + FEED_PATH.format(token=token.get_secret_value())


def feed_bytes(core: Core) -> bytes:
    now = core.clock.now()
    query = PostQuery(start=now - PAST, end=now + AHEAD, states=list(FEED_STATES))
    with core.uow() as uow:
        return write_ics(
            uow.posts.iter_posts(query), now=now, public_base_url=core.settings.public_base_url
        )


def mount_ics_feed(app: web.Application, core: Core) -> None:
    if core.settings.ics_token is None:
        return
    token = core.settings.ics_token.get_secret_value()
    access = logging.getLogger("aiohttp.access")
    if not any(isinstance(f, FeedTokenFilter) for f in access.filters):
        access.addFilter(FeedTokenFilter())

    async def calendar_feed(request: web.Request) -> web.Response:
        given = request.match_info["token"]
        # Only the token's own form, exactly as sent, is compared at all (aiohttp has decoded
        # match_info: an encoded spelling differs from the raw path); the rest is the same 404.
        written = request.raw_path.partition("?")[0] == FEED_PATH.format(token=given)
        if not (written and ICS_TOKEN_FORM.fullmatch(given)) or not hmac.compare_digest(
            given.encode(), token.encode()
        ):
            raise web.HTTPNotFound()
        body = await asyncio.to_thread(feed_bytes, core)
        log.info("calendar feed served (%d bytes)", len(body))
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": "private, max-age=300"},
        )

    app.router.add_get(FEED_PATH, calendar_feed)
