"""GET /media/<key>?exp=…&sig=…: a stored file, for whoever holds a valid link (the networks).

Anything else (unknown key, expired, tampered, a path that is not a key) is one plain 403 that
says nothing about which part was wrong or whether the file exists. A link is a credential while
it works, so the access log shows the path without its query.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from adapters.bootstrap import Core
from adapters.logging_setup import hide_query_in_access_log
from adapters.media.kinds import MIME
from adapters.media.links import PATH

REFUSED = "This media link is not valid or has expired."
UNAVAILABLE = "The media store did not answer. Try again in a minute."
log = logging.getLogger(__name__)


def mount_media(app: web.Application, core: Core) -> None:
    media = core.media
    if media is None:
        return
    hide_query_in_access_log("/media/")

    async def serve(request: web.Request) -> web.Response:
        key = request.match_info["key"]
        query = request.query
        if not media.links.valid(key, query.get("exp", ""), query.get("sig", "")):
            return web.Response(status=403, text=REFUSED)
        try:
            data = await asyncio.get_running_loop().run_in_executor(None, media.store.get, key)
        except Exception as exc:  # a bucket or disk that fails: the network may try again later
            log.warning("media store failed to read a file: %s", type(exc).__name__)
            return web.Response(status=503, text=UNAVAILABLE, headers={"Retry-After": "60"})
        if data is None:
            return web.Response(status=403, text=REFUSED)
        return web.Response(
            body=data,
            content_type=MIME[key.rsplit(".", 1)[1]],
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private"},
        )

    app.router.add_get(PATH, serve)
