"""Planning in a spreadsheet from Slack (adapters/spreadsheets/plan_import.py does the planning
itself).

`/calendar template` sends the template workbook to the person's DM with the bot. A filled
template uploaded there (as a new message, or as a reply to the template) arrives as a
`file_shared` event; the file's id is all the event carries, so files.info says what it is and
the bytes come from its `url_private_download` with the bot token. Both need only `files:read`.

What can go wrong, and what the person reads:
    not an .xlsx (by Slack's filetype or the name)   which files work, and where to get one
    bigger than MAX_PLAN_BYTES                        the limit; nothing is downloaded
    Slack will not describe or hand over the file    what Slack said, and to upload it again
    corrupt, or not a plan                             ImportRefused's message; nothing imported
    a row that cannot be used                          its row number and reason (the report)
The bot token is only ever sent to files.slack.com or the host of the Web API the client uses.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.spreadsheets.import_pool import ImportPool
from adapters.spreadsheets.plan_import import import_plan, write_template
from bot.domain import Person
from bot.errors import ClearpostError
from bot.workflow import Workflow

log = logging.getLogger(__name__)

MAX_PLAN_BYTES = 5 * 1024 * 1024  # a full 1,000-row plan is well under 1 MB
TEMPLATE_NAME = "clearpost-plan-template.xlsx"
SLACK_FILE_HOSTS = frozenset({"files.slack.com"})
HOW_TO_SEND_IT_BACK = (
    "Here is the plan template: one row per post. Fill it in and upload it here (or as a reply "
    "to this message); each row becomes a proposal waiting for approval."
)


class PlanFileRefused(ClearpostError):
    """The uploaded file cannot be imported as it is; nothing was imported."""


@dataclass
class SlackPlans:
    """Sends the template and imports uploaded plans as the person who uploaded them."""

    workflow: Workflow
    download_timeout: float = 20.0
    # Imports run here, not in the after-ack pool that carries proposals and decisions on.
    pool: ImportPool = field(default_factory=ImportPool)

    def send_template(self, client: WebClient, person: Person) -> str:
        """Uploads the template (channels from the configuration) to the person's DM."""
        buffer = io.BytesIO()
        write_template(buffer, self.workflow.channels.names(), self.workflow.zone.key)
        dm = client.conversations_open(users=person.user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=dm,
            file=buffer.getvalue(),
            filename=TEMPLATE_NAME,
            title="Clearpost plan template",
            initial_comment=HOW_TO_SEND_IT_BACK,
        )
        log.info("plan template sent to %s", person.ref)
        return "Sent the plan template to your DMs; upload it there once it is filled in."

    def describe(self, client: WebClient, file_id: str) -> dict[str, Any]:
        """files.info's file object, or a refusal saying what Slack answered."""
        try:
            found = client.files_info(file=file_id)
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            log.warning("slack: files.info for %s failed: %s", file_id, error)
            raise PlanFileRefused(
                f"Slack would not let me open that file ({error or 'no answer'}). "
                "Upload it again here in our DM."
            ) from None
        return dict(found.get("file") or {})

    def import_file(self, client: WebClient, person: Person, file: dict[str, Any]) -> str:
        """Checks, downloads and imports one shared file; the per-row report for the person."""
        check_plan_file(file)
        data = self.download(client, str(file.get("url_private_download") or ""))
        report = import_plan(io.BytesIO(data), self.workflow, person, stop=self.pool.stopping)
        log.info(
            "plan %s imported for %s: %d created, %d already there, %d refused",
            file.get("id"),
            person.ref,
            len(report.created),
            len(report.existing),
            len(report.problems),
        )
        return report.summary()

    def download(self, client: WebClient, url: str) -> bytes:
        """The file's bytes, read with the bot token and never more than MAX_PLAN_BYTES."""
        host = urlsplit(url).hostname
        if host not in SLACK_FILE_HOSTS | {urlsplit(client.base_url).hostname}:
            # The token goes only to Slack: a file object pointing elsewhere is not followed.
            raise PlanFileRefused("That file is not stored in Slack; upload the .xlsx itself.")
        headers = {"Authorization": f"Bearer {client.token}"}
        chunks: list[bytes] = []
        size = 0
        try:
            with httpx.stream(
                "GET", url, headers=headers, timeout=self.download_timeout, follow_redirects=True
            ) as response:
                if response.status_code != 200:
                    log.warning("slack: file download answered %s", response.status_code)
                    raise PlanFileRefused(
                        f"Slack did not hand over the file (HTTP {response.status_code}). "
                        "Upload it again in a minute."
                    )
                if response.headers.get("content-type", "").startswith("text/html"):
                    # Slack's answer to a token it will not accept is a sign-in page, with 200.
                    log.warning("slack: file download answered a sign-in page")
                    raise PlanFileRefused(
                        "Slack sent a sign-in page instead of the file: the app needs the "
                        "files:read scope. Ask whoever installed Clearpost to reinstall it."
                    )
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_PLAN_BYTES:
                        raise PlanFileRefused(_too_big())
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            log.warning("slack: file download failed: %s", type(exc).__name__)
            raise PlanFileRefused(
                "I could not download the file from Slack. Upload it again in a minute."
            ) from None
        return b"".join(chunks)


def check_plan_file(file: dict[str, Any]) -> None:
    """Refuses what cannot be a filled template before anything is downloaded."""
    name = str(file.get("name") or "")
    if str(file.get("filetype") or "").lower() != "xlsx" and not name.lower().endswith(".xlsx"):
        raise PlanFileRefused(
            "I can only import a filled plan template (.xlsx). Get one with `/calendar template`, "
            "fill it in, and upload it here."
        )
    if int(file.get("size") or 0) > MAX_PLAN_BYTES:
        raise PlanFileRefused(_too_big())


def _too_big() -> str:
    limit = MAX_PLAN_BYTES // (1024 * 1024)
    return (
        f"That file is bigger than {limit} MB, so it is not a plan I can import. "
        "Split it into smaller plans (at most 1,000 rows each) and upload them one by one."
    )


def thread_of(file: dict[str, Any], channel: str) -> str | None:
    """Where the file was shared in `channel`, so the report replies under it."""
    shares = file.get("shares") or {}
    for kind in ("private", "public"):
        found = (shares.get(kind) or {}).get(channel) or []
        if found:
            return str(found[0].get("thread_ts") or found[0].get("ts") or "") or None
    return None
