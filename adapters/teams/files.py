"""Files in Teams: the calendar workbook and the plan template sent in a personal chat, and a
filled plan sent back to the bot imported as proposals.

Sending follows the Teams bot file API, which works in personal chats only:

1. the bot sends a file consent card (`application/vnd.microsoft.teams.card.file.consent`) with
   the file's name and size; the workbook is built then and kept for `OFFER_SECONDS`, so what the
   person accepts is what they described;
2. accepting sends the invoke `fileConsent/invoke` (action `accept`) with `uploadInfo`; it is
   answered at once, then the bytes go to `uploadInfo.uploadUrl` by PUT with `Content-Range`
   (a OneDrive upload session: fragments of a multiple of 320 KiB) and the bot sends a file info
   card (`application/vnd.microsoft.teams.card.file.info`) pointing at the saved file;
3. declining (action `decline`) gets a short reply; nothing is uploaded.

A redelivered or repeated accept of the same offer uploads once. In a channel the file is a
short-lived signed link instead (adapters/teams/export.py).

Receiving: a file sent to the bot in a personal chat arrives as a message attachment
`application/vnd.microsoft.teams.file.download.info` whose `downloadUrl` is fetched with a plain
GET; an .xlsx plan is imported with `import_plan` as the sender (adapters/teams/plan_upload.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from typing import Any
from urllib.parse import urlsplit

import httpx
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity, ConversationReference

from adapters.teams.export import CALENDAR, TEMPLATE, CalendarLinks
from bot.domain import Person
from bot.ports import KeyValueStore

log = logging.getLogger(__name__)

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"

OFFER_SECONDS = 30 * 60
MAX_OFFERS = 32  # workbooks kept in memory while waiting for an answer
FRAGMENT = 320 * 1024 * 16  # 5 MiB: OneDrive wants fragments in multiples of 320 KiB
UPLOAD_ATTEMPTS = 3
TRANSIENT = frozenset({429, 500, 502, 503, 504})

Send = Callable[[ConversationReference, Activity], Awaitable[Any]]

_NAMES = {CALENDAR: "clearpost-calendar", TEMPLATE: "clearpost-plan-template"}
_DESCRIPTIONS = {
    CALENDAR: "The Clearpost content calendar, this month and the next.",
    TEMPLATE: "A Clearpost plan to fill in: one row per post. Send it back to me to import it.",
}


class UploadFailed(Exception):
    def __init__(self, status: int | None) -> None:
        self.status = status
        super().__init__(f"upload failed (status {status or 'none'})")


def url_allowed(url: str, *, allow_http: bool) -> bool:
    """Teams hands out https URLs; plain http only in the unauthenticated local mode."""
    parts = urlsplit(url)
    return bool(parts.netloc) and (parts.scheme == "https" or allow_http and parts.scheme == "http")


class TeamsFiles:
    """Offers, uploads and the upload tasks still running (so shutdown and tests can wait)."""

    def __init__(
        self,
        links: CalendarLinks,
        store: KeyValueStore,
        send: Send,
        *,
        executor: Executor | None = None,
        allow_http: bool = False,
        timeout: float = 60.0,
        retry_wait: float = 1.0,
    ) -> None:
        self.links = links
        self.store = store
        self.send = send
        self.executor = executor
        self.allow_http = allow_http
        self.timeout = timeout
        self.retry_wait = retry_wait
        self.tasks: set[asyncio.Task[None]] = set()
        self._offers: OrderedDict[str, tuple[float, str, bytes]] = OrderedDict()

    async def _build(self, kind: str) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.links.build, kind)

    # -- offering ------------------------------------------------------------------------------

    async def offer(self, person: Person, kind: str, activity: Activity) -> str | Activity:
        """`calendar export` / `calendar template`: a consent card in a personal chat, a link
        elsewhere."""
        if activity.conversation.conversation_type != "personal":
            return await self.links.offer(person, kind)
        data = await self._build(kind)
        offer_id = uuid.uuid4().hex
        self._keep(offer_id, kind, data)
        day = self.links.workflow.clock.now().astimezone(self.links.workflow.zone)
        name = f"{_NAMES[kind]}-{day:%Y-%m-%d}.xlsx"
        context = {"clearpost": "file", "offer": offer_id, "kind": kind}
        card = {
            "contentType": FILE_CONSENT,
            "name": name,
            "content": {
                "description": _DESCRIPTIONS[kind],
                "sizeInBytes": len(data),
                "acceptContext": context,
                "declineContext": context,
            },
        }
        log.info("teams: %s file offered to %s (%d bytes)", kind, person.ref, len(data))
        return MessageFactory.attachment(card)

    def _keep(self, offer_id: str, kind: str, data: bytes) -> None:
        now = time.monotonic()
        self._offers[offer_id] = (now, kind, data)
        while len(self._offers) > MAX_OFFERS:
            self._offers.popitem(last=False)
        for key, (made, _, _) in list(self._offers.items()):
            if now - made > OFFER_SECONDS:
                del self._offers[key]

    # -- the answer ----------------------------------------------------------------------------

    async def on_consent(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        """`fileConsent/invoke`: answered at once; an accepted file is uploaded after."""
        context = value.get("context") if isinstance(value.get("context"), dict) else {}
        kind = context.get("kind") if context.get("kind") in _NAMES else CALENDAR
        offer_id = str(context.get("offer") or "")
        reference = TurnContext.get_conversation_reference(turn_context.activity)
        reference.activity_id = None
        if value.get("action") == "decline":
            self._offers.pop(offer_id, None)
            await turn_context.send_activity(
                f"Okay, I did not send {_what(kind)}. Ask again whenever you need it."
            )
            return
        info = value.get("uploadInfo") if isinstance(value.get("uploadInfo"), dict) else {}
        upload_url = str(info.get("uploadUrl") or "")
        if value.get("action") != "accept" or not offer_id:
            return
        if not url_allowed(upload_url, allow_http=self.allow_http):
            log.warning("teams: file consent %s without a usable upload URL", offer_id[:8])
            await turn_context.send_activity(_failed(kind, None))
            return
        if not self.store.put_new(f"teams:file-offer:{offer_id}", "accepted"):
            return  # a redelivery or a second click: this offer is already being sent
        task = asyncio.get_running_loop().create_task(
            self._upload_and_tell(reference, offer_id, kind, info)
        )
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _upload_and_tell(
        self, reference: ConversationReference, offer_id: str, kind: str, info: dict[str, Any]
    ) -> None:
        kept = self._offers.pop(offer_id, None)
        try:
            data = kept[2] if kept else await self._build(kind)
            await self._upload(str(info["uploadUrl"]), data)
        except UploadFailed as exc:
            log.warning("teams: %s upload %s failed: status %s", kind, offer_id[:8], exc.status)
            await self._tell(reference, MessageFactory.text(_failed(kind, exc.status)))
            return
        except Exception:
            log.exception("teams: %s upload %s failed", kind, offer_id[:8])
            await self._tell(reference, MessageFactory.text(_failed(kind, None)))
            return
        log.info("teams: %s file %s uploaded (%d bytes)", kind, offer_id[:8], len(data))
        card = {
            "contentType": FILE_INFO,
            "contentUrl": info.get("contentUrl"),
            "name": info.get("name"),
            "content": {"uniqueId": info.get("uniqueId"), "fileType": info.get("fileType")},
        }
        await self._tell(reference, MessageFactory.attachment(card))

    async def _tell(self, reference: ConversationReference, activity: Activity) -> None:
        try:
            await self.send(reference, activity)
        except Exception as exc:
            log.warning("teams: file message not delivered: %s", type(exc).__name__)

    async def _upload(self, url: str, data: bytes) -> None:
        """PUT the bytes to the upload session, fragment by fragment, each retried if the
        answer is transient (429, 5xx, connection lost)."""
        total = len(data)
        async with httpx.AsyncClient(timeout=self.timeout) as http:
            for start in range(0, max(total, 1), FRAGMENT):
                chunk = data[start : start + FRAGMENT]
                end = start + len(chunk) - 1
                headers = {"Content-Range": f"bytes {start}-{end}/{total}"}
                await self._put(http, url, chunk, headers)

    async def _put(
        self, http: httpx.AsyncClient, url: str, chunk: bytes, headers: dict[str, str]
    ) -> None:
        status: int | None = None
        for attempt in range(1, UPLOAD_ATTEMPTS + 1):
            wait = self.retry_wait * attempt
            try:
                response = await http.put(url, content=chunk, headers=headers)
            except httpx.TransportError:
                status = None
            else:
                status = response.status_code
                if status < 300:
                    return
                if status not in TRANSIENT:
                    raise UploadFailed(status)
                after = response.headers.get("Retry-After", "")
                wait = min(30.0, float(after)) if after.isdigit() else wait
            if attempt < UPLOAD_ATTEMPTS:
                await asyncio.sleep(wait)
        raise UploadFailed(status)

    async def settle(self) -> None:
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)


def _what(kind: str) -> str:
    return "the plan template" if kind == TEMPLATE else "the calendar workbook"


def _failed(kind: str, status: int | None) -> str:
    why = f" (OneDrive answered {status})" if status else ""
    again = "calendar template" if kind == TEMPLATE else "calendar export"
    return f"I could not save {_what(kind)} to your OneDrive{why}. Type `{again}` to try again."
