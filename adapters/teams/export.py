"""`calendar export` in Teams: a short-lived signed link to the calendar workbook.

The link carries its expiry and an HMAC of it under a key made when the process starts, so it
works for `LINK_SECONDS` and never after a restart; `clearpost serve` builds the workbook (this
month and the next, as `clearpost export` does) when the link is opened.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import secrets
from concurrent.futures import Executor

from aiohttp import web

from bot.domain import Person
from bot.export.calendar_xlsx import write_calendar
from bot.export.selection import parse_selection, stream_posts
from bot.workflow import Workflow

LINK_SECONDS = 15 * 60
PATH = "/teams/calendar.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CalendarLinks:
    def __init__(
        self, workflow: Workflow, base_url: str | None, executor: Executor | None = None
    ) -> None:
        self.workflow = workflow
        self.base_url = base_url.rstrip("/") if base_url else None
        self.executor = executor
        self._key = secrets.token_bytes(32)

    def _sign(self, expires: int) -> str:
        return hmac.new(self._key, str(expires).encode(), hashlib.sha256).hexdigest()

    def link(self) -> str:
        expires = int(self.workflow.clock.now().timestamp()) + LINK_SECONDS
        return f"{self.base_url}{PATH}?exp={expires}&sig={self._sign(expires)}"

    def valid(self, exp: str, sig: str) -> bool:
        if not exp.isdigit() or int(exp) < self.workflow.clock.now().timestamp():
            return False
        return hmac.compare_digest(self._sign(int(exp)), sig)

    def workbook(self) -> bytes:
        selection = parse_selection(self.workflow)
        out = io.BytesIO()
        write_calendar(
            stream_posts(self.workflow, selection.query()),
            out,
            zone=selection.zone,
            start=selection.start,
            end=selection.end,
            description=selection.describe(),
            now=self.workflow.clock.now(),
        )
        return out.getvalue()

    async def offer(self, _person: Person) -> str:
        """What the bot answers to `calendar export`."""
        if self.base_url is None:
            return (
                "The calendar export needs CLEARPOST_PUBLIC_BASE_URL (the address people reach "
                "Clearpost at); ask your administrator to set it."
            )
        minutes = LINK_SECONDS // 60
        return (
            f"[Download the calendar workbook]({self.link()}) (this month and the next). "
            f"The link works for {minutes} minutes."
        )

    async def download(self, request: web.Request) -> web.Response:
        if not self.valid(request.query.get("exp", ""), request.query.get("sig", "")):
            return web.Response(
                status=403, text="This download link has expired. Ask Clearpost for a new one."
            )
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(self.executor, self.workbook)
        headers = {"Content-Disposition": 'attachment; filename="clearpost-calendar.xlsx"'}
        return web.Response(body=data, content_type=XLSX, headers=headers)
