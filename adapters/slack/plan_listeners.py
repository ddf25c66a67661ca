"""The listener for a plan uploaded to the bot (adapters/slack/plans.py does the work)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from adapters.slack import ids
from adapters.slack.blocks import escape
from adapters.slack.plans import thread_of
from adapters.slack.replies import ListenerBase, guarded
from adapters.spreadsheets.import_pool import ImportBusy
from bot.domain import Person

log = logging.getLogger(__name__)


class PlanListeners(ListenerBase):
    def on_file_shared(
        self, event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """A file shared in a person's DM with the bot is a plan to import, as that person.

        Files shared anywhere else (media in the approval channel) are none of our business, and
        neither are the bot's own uploads (the template, an export)."""
        channel = str(event.get("channel_id") or "")
        user = str(event.get("user_id") or "")
        file_id = str(event.get("file_id") or (event.get("file") or {}).get("id") or "")
        if not channel.startswith("D") or not file_id or not user or user == context.bot_user_id:
            return
        # Slack redelivers an event it thinks we missed: one import per shared file. (A new
        # upload of the same plan is a new file; import_plan then finds its rows already there.)
        if not self.handled.put_new(f"slack:file:{file_id}"[:255], "handled"):
            log.info("slack: file %s already handled", file_id)
            return
        person = Person(ids.PLATFORM, user)
        plans = self.plans
        where: dict[str, str | None] = {"thread_ts": None}

        def tell(text: str) -> None:
            client.chat_postMessage(channel=channel, thread_ts=where["thread_ts"], text=text)

        if plans is None:
            self.after_ack(tell, "plan import", lambda: tell(PLANS_NOT_AVAILABLE))
            return

        def work() -> None:
            file = plans.describe(client, file_id)
            where["thread_ts"] = thread_of(file, channel)
            tell(escape(plans.import_file(client, person, file)))

        # Its own bounded pool: a slow or hostile plan never holds up proposals and decisions.
        try:
            plans.pool.submit(guarded, tell, "plan import", work)
        except ImportBusy as busy:
            said = str(busy)
            self.after_ack(tell, "plan import", lambda: tell(said))


PLANS_NOT_AVAILABLE = "Importing plans is not available in this Clearpost."
