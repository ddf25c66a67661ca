"""The HTTP server of `clearpost serve`: health check, and each front end mounts its routes.

Every mount function takes the aiohttp application and the Core, and adds nothing when its
platform is not configured. Bound to CLEARPOST_HTTP_HOST (127.0.0.1 unless set otherwise).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import hdrs, web, web_urldispatcher
from aiohttp.http import HttpVersion11
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from sqlalchemy import text

from adapters.bootstrap import ChatBuilder, Core

log = logging.getLogger(__name__)

Mount = Callable[[web.Application, Core], None]
CORE_KEY = web.AppKey("core", Core)


REQUEST_SECONDS = 60.0  # a request still unanswered then (a body promised, never sent) is a 408


def _client_gone(error: object) -> bool:
    """The client closed its connection before its request was read or answered."""
    return isinstance(error, ConnectionResetError)


def _client_fault(error: object) -> bool:
    """A request the client garbled: broken framing or headers (aiohttp answers 400 itself), or
    a body that breaks off or is framed wrongly (RequestPayloadError from `request.read()`)."""
    if isinstance(error, RequestPayloadError):
        return True
    return isinstance(error, HttpProcessingError) and 400 <= (error.code or 400) < 500


class _ServerLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """aiohttp's server log, where a request the client garbled is one warning line instead of
    an error with a traceback (anyone can send one, and it was answered 400); real failures keep
    theirs. Only the exception's name is logged: its message may quote the request."""

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        exc_info = kwargs.get("exc_info")
        error = sys.exc_info()[1] if exc_info is True else exc_info
        if level >= logging.ERROR and _client_fault(error):
            self.logger.warning("refused a malformed request (%s)", type(error).__name__)
            return
        if level >= logging.ERROR and _client_gone(error):
            # Anyone can open thousands of connections and drop them: not an error of ours.
            self.logger.debug("a client left before its request was answered")
            return
        super().log(level, msg, *args, **kwargs)


@web.middleware
async def refuse_unreadable_bodies(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Neither Slack nor the Bot Framework compresses what it sends, so bodies are not inflated
    (`auto_decompress` off) and a compressed one is refused with 415, as RFC 9110 says for a
    content coding the server does not accept. A body whose framing breaks off is a 400, and a
    request not answered within REQUEST_SECONDS (a silent or slow client) a 408."""
    coding = request.headers.get(hdrs.CONTENT_ENCODING, "").strip().lower()
    routed = request.match_info.http_exception is None  # else aiohttp's own 404 or 405
    if routed and request.body_exists and coding not in ("", "identity"):
        raise web.HTTPUnsupportedMediaType(
            text="Compressed request bodies are not accepted.",
            headers={hdrs.ACCEPT_ENCODING: "identity"},
        )
    try:
        # A client that promises a body and never sends it (or sends it a byte a minute) holds
        # a connection and a handler: after REQUEST_SECONDS it is answered 408 and let go.
        async with asyncio.timeout(REQUEST_SECONDS) as deadline:
            return await handler(request)
    except RequestPayloadError:
        raise web.HTTPBadRequest(text="The request body could not be read.") from None
    except TimeoutError:
        if not deadline.expired():
            raise
        # Not the path: the calendar feed's carries its token.
        log.info("a request got no answer within %.0f s (408)", REQUEST_SECONDS)
        raise web.HTTPRequestTimeout(text="The request took too long to arrive.") from None


async def _expect_handler(request: web.Request) -> None:
    """aiohttp's handling of `Expect`, except that an expectation it does not know is refused
    without quoting it: aiohttp's own quotes it, and answers 500 when it is not UTF-8."""
    expect = request.headers.get(hdrs.EXPECT, "")
    if expect.isascii() or request.version != HttpVersion11:
        await _AIOHTTP_EXPECT_HANDLER(request)
        return
    raise web.HTTPExpectationFailed(text="Unknown Expect header.")


_AIOHTTP_EXPECT_HANDLER = web_urldispatcher._default_expect_handler
# Every route's default, aiohttp's own 404 and 405 included (they take it from this name).
web_urldispatcher._default_expect_handler = _expect_handler


def mount_health(app: web.Application, core: Core) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        try:
            with core.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            log.warning("health check: database unreachable (%s)", type(exc).__name__)
            return web.json_response({"ok": False, "database": "unreachable"}, status=503)
        return web.json_response({"ok": True, "busy": core.busy()})

    app.router.add_get("/healthz", healthz)


def chats() -> list[ChatBuilder]:
    """The chat platforms `serve` talks to (each builds nothing when it is not configured)."""
    from adapters.slack.app import slack_chat
    from adapters.teams.app import teams_chat

    return [slack_chat, teams_chat]


def mounts(*, dispatch: bool = True) -> list[Mount]:
    """Each front end's mount, imported here so a missing optional part fails loudly at start.
    Without `dispatch` nothing is published from this process (a front end alone)."""
    found: list[Mount] = [mount_health]
    from adapters.teams.app import mount_teams

    found.append(mount_teams)
    from adapters.slack.app import mount_slack

    found.append(mount_slack)
    if dispatch:
        from adapters.scheduling_mount import mount_scheduling

        found.append(mount_scheduling)
    from adapters.media.serve import mount_media

    found.append(mount_media)
    from adapters.ics_feed import mount_ics_feed

    found.append(mount_ics_feed)
    from adapters.connect.callback import mount_connect_callback

    found.append(mount_connect_callback)
    return found


def build_web_app(core: Core, *, dispatch: bool = True) -> web.Application:
    app = web.Application(
        client_max_size=25 * 1024 * 1024,
        middlewares=[refuse_unreadable_bodies],
        handler_args={
            "auto_decompress": False,
            "logger": _ServerLog(logging.getLogger("aiohttp.server")),
        },
    )
    app[CORE_KEY] = core
    for mount in mounts(dispatch=dispatch):
        mount(app, core)
    return app
