"""`/calendar export`: the calendar workbook (adapters/spreadsheets/calendar_xlsx.py) sent to the
person as a file in their DM with the bot, never in a shared channel, since drafts can hold PHI."""

from __future__ import annotations

import importlib.util
import io
import logging
from collections.abc import Callable

from slack_sdk import WebClient

from bot.domain import Person
from bot.workflow import Workflow

log = logging.getLogger(__name__)

CalendarExport = Callable[[WebClient, Person, str], str]  # (client, person, period) -> reply


def calendar_export(workflow: Workflow) -> CalendarExport | None:
    """The export, or None while this Clearpost has no workbook writer."""
    if importlib.util.find_spec("adapters.spreadsheets.calendar_xlsx") is None:
        return None
    from adapters.spreadsheets.calendar_xlsx import write_calendar
    from bot.calendar.selection import parse_selection, stream_posts

    def export(client: WebClient, person: Person, period: str) -> str:
        words = period.split()
        selection = parse_selection(
            workflow, words[0] if words else None, words[1] if len(words) > 1 else None
        )
        buffer = io.BytesIO()
        result = write_calendar(
            stream_posts(workflow, selection.query()),
            buffer,
            zone=workflow.zone,
            start=selection.start,
            end=selection.end,
            now=workflow.clock.now(),
        )
        dm = client.conversations_open(users=person.user_id)["channel"]["id"]
        name = f"clearpost-calendar-{selection.start.astimezone(workflow.zone):%Y-%m-%d}.xlsx"
        client.files_upload_v2(
            channel=dm,
            file=buffer.getvalue(),
            filename=name,
            title=f"Clearpost calendar {selection.describe()}",
        )
        log.info("calendar exported for %s: %s posts", person.ref, result.posts)
        posts = f"{result.posts} post" + ("" if result.posts == 1 else "s")
        return f"Sent the calendar ({posts}, {selection.describe()}) to your DMs."

    return export
