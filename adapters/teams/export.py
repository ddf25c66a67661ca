"""The calendar workbook and the plan template for Teams, and short-lived signed links to them.

In a personal chat they go as files (adapters/teams/files.py); in a channel, where the Teams bot
file API does not work, as a link. The link carries its expiry and an HMAC of the file's kind and
expiry under a key kept in the database (`shared_link_key`: every `serve` on the same database
signs alike, so a link made by one replica opens on another, and after a restart), so it works
for `LINK_SECONDS` and never after; `clearpost serve` builds the file (the calendar: this month
and the next, as `clearpost export` does) when the link is opened. Whoever has a link posted in
a channel can open it without signing in, so the calendar behind a link holds only what the ICS
feed shows (approved and later states); drafts, posts in review and withdrawn ones stay in the
personal chat's file. A link is not tied to the channel it was posted in: what it opens is the
same for every channel, and who opens it cannot be known.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import io
import re
import secrets
from concurrent.futures import Executor

from aiohttp import web

from adapters.spreadsheets.calendar_xlsx import write_calendar
from adapters.spreadsheets.plan_import import write_template
from bot.calendar.model import FEED_STATES
from bot.calendar.selection import parse_selection, stream_posts
from bot.domain import Person
from bot.ports import KeyValueStore
from bot.workflow import Workflow

LINK_SECONDS = 15 * 60
_HEX64 = re.compile(r"[0-9a-f]{64}")  # what `_sign` makes
PATH = "/teams/calendar.xlsx"
TEMPLATE_PATH = "/teams/plan-template.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LINK_KEY = "teams.download-link-key"
CALENDAR, TEMPLATE = "calendar", "template"
_PATHS = {CALENDAR: PATH, TEMPLATE: TEMPLATE_PATH}
_WHAT = {CALENDAR: "the calendar workbook", TEMPLATE: "the plan template"}


def shared_link_key(store: KeyValueStore, name: str = LINK_KEY) -> bytes:
    """The links' signing key, made once per database: the first `serve` to ask stores it."""
    store.put_new(name, secrets.token_hex(32))
    stored = store.get(name) or ""
    if not _HEX64.fullmatch(stored):
        raise RuntimeError(f"the key-value row {name} is damaged; delete it to make a new key")
    return bytes.fromhex(stored)


class CalendarLinks:
    def __init__(
        self,
        workflow: Workflow,
        base_url: str | None,
        executor: Executor | None = None,
        key: bytes | None = None,
    ) -> None:
        self.workflow = workflow
        self.base_url = base_url.rstrip("/") if base_url else None
        self.executor = executor
        self._key = key or secrets.token_bytes(32)  # none given: links die with the process

    def _sign(self, expires: int, kind: str = CALENDAR) -> str:
        return hmac.new(self._key, f"{kind}:{expires}".encode(), hashlib.sha256).hexdigest()

    def link(self, kind: str = CALENDAR) -> str:
        expires = int(self.workflow.clock.now().timestamp()) + LINK_SECONDS
        return f"{self.base_url}{_PATHS[kind]}?exp={expires}&sig={self._sign(expires, kind)}"

    def valid(self, exp: str, sig: str, kind: str = CALENDAR) -> bool:
        # What `link` makes: a few ASCII digits and 64 lowercase hex digits. Anything else is
        # checked no further (int() refuses thousands of digits, compare_digest non-ASCII text).
        if not (exp.isascii() and exp.isdigit() and len(exp) <= 16 and _HEX64.fullmatch(sig)):
            return False
        if int(exp) < self.workflow.clock.now().timestamp():
            return False
        return hmac.compare_digest(self._sign(int(exp), kind), sig)

    def workbook(self, shared: bool = False) -> bytes:
        """The calendar workbook, this month and the next; `shared` (behind a link anyone in
        the channel can open): only the states the ICS feed shows."""
        selection = parse_selection(self.workflow)
        if shared:
            selection = dataclasses.replace(selection, states=FEED_STATES)
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

    def template(self) -> bytes:
        """The empty plan workbook, with the configured channels in its drop-downs."""
        out = io.BytesIO()
        write_template(out, self.workflow.channels.names(), str(self.workflow.zone))
        return out.getvalue()

    def build(self, kind: str, shared: bool = False) -> bytes:
        return self.template() if kind == TEMPLATE else self.workbook(shared)

    async def offer(self, _person: Person, kind: str = CALENDAR) -> str:
        """What the bot answers in a channel to `calendar export` or `calendar template`."""
        if self.base_url is None:
            return (
                "Sending files in a channel needs CLEARPOST_PUBLIC_BASE_URL (the address people "
                "reach Clearpost at); ask your administrator to set it, or ask me in a personal "
                "chat."
            )
        minutes = LINK_SECONDS // 60
        period = " (this month and the next)" if kind == CALENDAR else ""
        return (
            f"[Download {_WHAT[kind]}]({self.link(kind)}){period}. "
            f"The link works for {minutes} minutes."
        )

    async def download(self, request: web.Request) -> web.Response:
        return await self._serve(request, CALENDAR, "clearpost-calendar.xlsx")

    async def download_template(self, request: web.Request) -> web.Response:
        return await self._serve(request, TEMPLATE, "clearpost-plan-template.xlsx")

    async def _serve(self, request: web.Request, kind: str, filename: str) -> web.Response:
        if not self.valid(request.query.get("exp", ""), request.query.get("sig", ""), kind):
            return web.Response(
                status=403, text="This download link has expired. Ask Clearpost for a new one."
            )
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(self.executor, self.build, kind, True)
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        return web.Response(body=data, content_type=XLSX, headers=headers)
