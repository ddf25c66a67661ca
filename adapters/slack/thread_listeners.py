"""Buttons on the thread parent besides the decisions: Withdraw (the proposer), Stop this post
(an approved post before it goes out), and Show full post with its page buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from adapters.slack import blocks, full_post
from adapters.slack.replies import ListenerBase, Tell, guarded, person_from
from bot.people import Person


class ThreadListeners(ListenerBase):
    def clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> tuple[Person, Tell, int]:
        """Acknowledge a click on the parent; who clicked, how to answer them, which post."""
        ack()
        person = person_from(body)
        post_id, _ = blocks.parse_decision_value(str(action.get("value")))
        return person, self.teller(client, person, body.get("response_url")), post_id

    def on_withdraw_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        person, tell, post_id = self.clicked(ack, body, action, client)
        # The core refuses anyone but the proposer, and a post that can no longer be withdrawn.
        self.after_ack(
            tell, "withdraw", lambda: self.workflow.withdraw(post_id, self.named(person))
        )

    def on_stop_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        person, tell, post_id = self.clicked(ack, body, action, client)
        self.after_ack(tell, "stop", lambda: self.workflow.stop(post_id, self.named(person)))

    def on_full_post_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        _, tell, post_id = self.clicked(ack, body, action, client)

        def work() -> None:
            view = full_post.full_post_view(self.workflow.get(post_id))
            client.views_open(trigger_id=body["trigger_id"], view=view)

        guarded(tell, "open full post", work)

    def on_full_post_page_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        tell = self.teller(client, person_from(body), None)
        post_id, page = full_post.parse_page_value(str(action.get("value")))
        shown = body.get("view") or {}

        def work() -> None:
            view = full_post.full_post_view(self.workflow.get(post_id), page)
            client.views_update(view_id=shown.get("id"), hash=shown.get("hash"), view=view)

        self.after_ack(tell, "full post page", work)
