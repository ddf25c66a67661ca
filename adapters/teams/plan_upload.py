"""A filled plan sent to the bot in a personal chat, imported as proposals by the sender.

Teams puts a file sent to a bot in the sender's OneDrive and tells the bot with a message
attachment `application/vnd.microsoft.teams.file.download.info` whose `content.downloadUrl` can
be fetched with a plain GET. The workbook is read by `import_plan`
(adapters/spreadsheets/plan_import.py): each valid row becomes a proposal waiting for approval,
and the person gets the per-row report.

| what arrives                         | what the person reads                                  |
|--------------------------------------|--------------------------------------------------------|
| an .xlsx plan                        | the report: created, already imported, refused rows    |
| a file that is not .xlsx             | "send the plan as an .xlsx workbook"                   |
| an .xlsx that is not a plan          | import_plan's reason (no such column, not a workbook)  |
| a file over MAX_BYTES                | "that file is too large"                               |
| the download fails (status, timeout) | "I could not download the file; send it again"         |
| the same activity again (redelivery) | nothing: it was imported once                          |

Rows are also idempotent by content, so sending the same file again reports them as already
imported instead of proposing them twice.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
from concurrent.futures import Executor
from typing import Any

import httpx
from botbuilder.schema import Activity

from adapters.spreadsheets.import_pool import ImportPool
from adapters.spreadsheets.plan_import import import_plan
from adapters.teams.files import url_allowed
from bot.domain import Person
from bot.errors import ClearpostError
from bot.ports import KeyValueStore
from bot.workflow import Workflow

log = logging.getLogger(__name__)

FILE_DOWNLOAD = "application/vnd.microsoft.teams.file.download.info"
MAX_BYTES = 10 * 1024 * 1024


def file_attachments(activity: Activity) -> list[dict[str, Any]]:
    """The files sent with a message: name, fileType and downloadUrl of each."""
    found = []
    for attachment in activity.attachments or []:
        if attachment.content_type != FILE_DOWNLOAD or not isinstance(attachment.content, dict):
            continue
        content = attachment.content
        found.append(
            {
                "name": attachment.name or "",
                "fileType": str(content.get("fileType") or "").lower().lstrip("."),
                "downloadUrl": str(content.get("downloadUrl") or ""),
            }
        )
    return found


class PlanUploads:
    def __init__(
        self,
        workflow: Workflow,
        store: KeyValueStore,
        *,
        executor: Executor | None = None,
        pool: ImportPool | None = None,
        allow_http: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self.workflow = workflow
        self.store = store
        self.executor = executor
        # Imports run here, not on the threads that carry proposals and decisions.
        self.pool = pool or ImportPool(name="teams-plan-import")
        self.allow_http = allow_http
        self.timeout = timeout

    async def receive(self, activity: Activity, person: Person) -> str | None:
        """The reply to a message that carries files, or None for a redelivery."""
        if not await self._first_delivery(activity):
            return None
        files = file_attachments(activity)
        if len(files) != 1:
            return "Send one filled plan at a time, as an .xlsx workbook."
        file = files[0]
        if file["fileType"] != "xlsx":
            kind = f"a .{file['fileType']} file" if file["fileType"] else "not a workbook"
            return (
                f"That is {kind}. Send the filled plan as an .xlsx workbook "
                "(type `calendar template` for an empty one)."
            )
        if not url_allowed(file["downloadUrl"], allow_http=self.allow_http):
            return "Teams did not give me a way to download that file; send it again."
        try:
            data = await self._download(file["downloadUrl"])
        except _TooLarge:
            return f"That file is larger than {MAX_BYTES // (1024 * 1024)} MB; split the plan."
        except (httpx.HTTPError, _DownloadFailed) as exc:
            status = getattr(exc, "status", None)
            log.warning("teams: plan download failed (status %s)", status)
            why = f" (status {status})" if status else ""
            return f"I could not download that file from Teams{why}; send it again."
        work = functools.partial(
            import_plan, io.BytesIO(data), self.workflow, person, stop=self.pool.stopping
        )
        try:
            report = await asyncio.wrap_future(self.pool.submit(work))
        except ClearpostError as exc:
            return str(exc)
        log.info(
            "teams: plan imported by %s: %d created, %d existing, %d refused",
            person.ref,
            len(report.created),
            len(report.existing),
            len(report.problems),
        )
        return report.summary()

    async def _first_delivery(self, activity: Activity) -> bool:
        loop = asyncio.get_running_loop()
        key = f"teams:activity:{activity.id}"
        return await loop.run_in_executor(self.executor, self.store.put_new, key, "plan")

    async def _download(self, url: str) -> bytes:
        """GET the file, refusing more than MAX_BYTES without reading it all."""
        chunks: list[bytes] = []
        size = 0
        async with (
            httpx.AsyncClient(timeout=self.timeout, follow_redirects=True) as http,
            http.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise _DownloadFailed(response.status_code)
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_BYTES:
                raise _TooLarge()
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise _TooLarge()
                chunks.append(chunk)
        return b"".join(chunks)


class _TooLarge(Exception):
    pass


class _DownloadFailed(Exception):
    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(f"status {status}")
