"""GET /oauth/callback/{network}: where a network sends the person back after they approved (or
declined) Clearpost. The exchange runs off the event loop; the page says, in one sentence, what
happened, and the same sentence reaches the waiting `clearpost channels connect`."""

from __future__ import annotations

import asyncio
import html

from aiohttp import web

from adapters.bootstrap import Core
from adapters.connect.connector import CALLBACK_PATH, Connector
from adapters.logging_setup import hide_query_in_access_log

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clearpost</title></head>
<body><p>{sentence}</p><p>{after}</p></body></html>
"""


def page(ok: bool, sentence: str) -> str:
    after = "You can close this window." if ok else "You can close this window and try again."
    return PAGE.format(sentence=html.escape(sentence), after=after)


def mount_connect_callback(app: web.Application, core: Core) -> None:
    if core.credentials is None:
        return
    connector = Connector(core.settings, core.credentials, core.clock)
    # An authorization code, a state or an OAuth 1.0a verifier is a secret for a few minutes.
    hide_query_in_access_log("/oauth/callback/")

    async def on_callback(request: web.Request) -> web.Response:
        network = request.match_info["network"]
        query = {k: v for k, v in request.query.items()}
        outcome = await asyncio.to_thread(connector.complete, network, query)
        return web.Response(
            text=page(outcome.ok, outcome.sentence),
            status=200 if outcome.ok else 400,
            content_type="text/html",
            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        )

    app.router.add_get(CALLBACK_PATH, on_callback)
