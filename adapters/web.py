"""The HTTP server of `clearpost serve`: health check, and each front end mounts its routes.

Every mount function takes the aiohttp application and the Core, and adds nothing when its
platform is not configured. Bound to CLEARPOST_HTTP_HOST (127.0.0.1 unless set otherwise).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web
from sqlalchemy import text

from adapters.bootstrap import Core

log = logging.getLogger(__name__)

Mount = Callable[[web.Application, Core], None]
CORE_KEY = web.AppKey("core", Core)


def mount_health(app: web.Application, core: Core) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        try:
            with core.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            log.warning("health check: database unreachable (%s)", type(exc).__name__)
            return web.json_response({"ok": False, "database": "unreachable"}, status=503)
        return web.json_response({"ok": True})

    app.router.add_get("/healthz", healthz)


def mounts() -> list[Mount]:
    """Each front end's mount, imported here so a missing optional part fails loudly at start."""
    found: list[Mount] = [mount_health]
    from adapters.teams.app import mount_teams

    found.append(mount_teams)
    from adapters.slack.app import mount_slack

    found.append(mount_slack)
    from adapters.scheduling_mount import mount_scheduling

    found.append(mount_scheduling)
    from adapters.ics_feed import mount_ics_feed

    found.append(mount_ics_feed)
    return found


def build_web_app(core: Core) -> web.Application:
    app = web.Application(client_max_size=25 * 1024 * 1024)
    app[CORE_KEY] = core
    for mount in mounts():
        mount(app, core)
    return app
