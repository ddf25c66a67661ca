"""Listeners for the buttons the dispatcher puts under a delivery outcome in the thread:
Retry, Publish now, Reschedule (a modal), Mark as published, Cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from adapters.slack import blocks, ids, modals
from adapters.slack.replies import ListenerBase, guarded, person_from
from bot.domain import Person
from bot.errors import ClearpostError


class DeliveryListeners(ListenerBase):
    def on_retry_delivery_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        self.delivery_decision(ack, body, action, client, self.workflow.retry_delivery)

    def on_publish_now_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        self.delivery_decision(ack, body, action, client, self.workflow.publish_now)

    def on_mark_published_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        self.delivery_decision(ack, body, action, client, self.workflow.mark_published)

    def on_cancel_delivery_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        self.delivery_decision(ack, body, action, client, self.workflow.cancel_delivery)

    def delivery_decision(
        self,
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        decide: Callable[[int, Person, str], object],
    ) -> None:
        ack()
        person = person_from(body)
        tell = self.teller(client, person, body.get("response_url"))
        post_id, channel = blocks.parse_delivery_value(str(action.get("value")))
        self.after_ack(
            tell, "delivery decision", lambda: decide(post_id, self.named(person), channel)
        )

    def on_reschedule_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        person = person_from(body)
        tell = self.teller(client, person, body.get("response_url"))
        post_id, channel = blocks.parse_delivery_value(str(action.get("value")))

        def work() -> None:
            # Open within the trigger's 3 seconds, then ask who may reschedule (that can call
            # Slack); a refusal replaces the form, and the core checks again on submit.
            post = self.workflow.get(post_id)
            meta = {
                "post_id": post_id,
                "channel": channel,
                "response_url": body.get("response_url"),
            }
            view = blocks.reschedule_modal(post, channel, meta)
            opened = client.views_open(trigger_id=body["trigger_id"], view=view)
            self.after_ack(
                tell,
                "check reschedule",
                lambda: self.refuse_in_modal(
                    client,
                    opened,
                    lambda: self.workflow.check_may_act_on_delivery(person, post, "reschedule"),
                ),
            )

        guarded(tell, "open reschedule modal", work)

    def on_reschedule_modal_submitted(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        values = view.get("state", {}).get("values", {})
        date = (values.get(ids.FIELD_DATE, {}).get(ids.FIELD_DATE) or {}).get("selected_date")
        time = (values.get(ids.FIELD_TIME, {}).get(ids.FIELD_TIME) or {}).get("selected_time")
        when = f"{date} {time}"
        errors = {}
        if not date or not time:
            errors[ids.FIELD_DATE] = "Pick the new day and time."
        else:
            try:
                self.workflow.resolve_time(when)
            except ClearpostError as exc:
                errors = modals.field_errors(exc)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        person = person_from(body)
        meta = modals.metadata(view)
        tell = self.teller(client, person, meta.get("response_url"))
        post_id, channel = int(meta.get("post_id", 0)), str(meta.get("channel"))
        self.after_ack(
            tell,
            "reschedule",
            lambda: self.workflow.reschedule_delivery(post_id, self.named(person), when, channel),
        )
