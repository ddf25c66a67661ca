"""An aiohttp application served on 127.0.0.1 port 0 from its own event-loop thread, so a
synchronous test (or benchmark) reaches it over real HTTP; and Clearpost's own web app served
that way without a scheduler."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from aiohttp import web

from adapters.bootstrap import Core
from adapters.web import build_web_app
from tests.fakes import assert_none_published, publish_nothing_unscripted

T = TypeVar("T")
TIMEOUT = 30.0


class ServedApp:
    """`url` is `http://127.0.0.1:<port>` once entered; `run` runs a coroutine on the app's loop."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app)
        self.url = ""
        self._thread = threading.Thread(target=self._run_loop, daemon=True)

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def __enter__(self) -> ServedApp:
        self._thread.start()
        self.run(self._start())
        return self

    async def _start(self) -> None:
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    def __exit__(self, *exc: object) -> None:
        self.run(self.runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(TIMEOUT)
        self.loop.close()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = TIMEOUT) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


class ServedCore(ServedApp):
    """Clearpost's web app for `core`, without a scheduler: a test dispatches itself, on its own
    clock, with scripted networks. A publish nobody scripted fails the test on exit; exit also
    shuts the core down."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.unscripted = publish_nothing_unscripted(core.publishers)
        super().__init__(build_web_app(core, dispatch=False))

    def __enter__(self) -> ServedCore:
        super().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            super().__exit__(*exc)
        finally:
            self.core.shutdown()
        assert_none_published(self.unscripted)
