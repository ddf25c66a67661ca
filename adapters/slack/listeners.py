"""One small function per command, action, view and event: acknowledge, call the workflow, render.

The app runs with process_before_response=False: bolt answers Slack's HTTP request as soon as a
listener calls ack(), and the rest of the listener runs after that on bolt's executor, so slow
work (the database, Web API calls) never holds the 3-second acknowledgement.

A ClearpostError is shown to the person as is (ephemeral, or on the modal field); anything else
is logged with a short reference and the person is told so. The tables at the bottom are what
`register` wires up and what the manifest test compares with manifest.yaml.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from adapters.slack import blocks, ids, modals
from adapters.slack.consent import ConsentListeners
from adapters.slack.delivery_listeners import DeliveryListeners
from adapters.slack.media import message_files
from adapters.slack.plan_listeners import PLANS_NOT_AVAILABLE, PlanListeners
from adapters.slack.replies import guarded, person_from, unescape
from bot.commands import parse_propose
from bot.domain import Person
from bot.errors import ClearpostError, UsageError

log = logging.getLogger(__name__)

HOW_TO_IMPORT = (
    "Upload the filled plan template to me in our DM (or as a reply to the template there); "
    "each row becomes a proposal waiting for approval. `/calendar template` sends a new one."
)
EXPORT_NOT_AVAILABLE = (
    "Calendar export is not available in this Clearpost yet. `/calendar` shows the next 14 days."
)


class SlackListeners(DeliveryListeners, PlanListeners, ConsentListeners):
    """Commands, shortcut, modals, decisions and events; deliveries, uploaded plans, Record
    consent and the thread's other buttons come from the bases."""

    def register(self, app: App) -> None:
        for name, method in COMMANDS.items():
            app.command(name)(getattr(self, method))
        for callback_id, method in SHORTCUTS.items():
            app.shortcut(callback_id)(getattr(self, method))
        for action_id, method in ACTIONS.items():
            # Buttons repeated per channel carry ":<channel>" after their id (ids.ACTION_SUFFIX).
            pattern = re.compile(rf"^{re.escape(action_id)}(?:{ids.ACTION_SUFFIX}.*)?$")
            app.action(pattern)(getattr(self, method))
        for callback_id, method in VIEWS.items():
            app.view(callback_id)(getattr(self, method))
        for event, method in EVENTS.items():
            app.event(event)(getattr(self, method))

    # -- commands --------------------------------------------------------------------------------

    def on_propose_command(
        self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        person = person_from(body)
        text = unescape(str(body.get("text") or "")).strip()
        tell = self.teller(client, person, body.get("response_url"))
        if not text:
            meta = {"response_url": body.get("response_url")}
            guarded(tell, "open propose modal", lambda: self.open_proposal(client, body, meta))
            return

        def work() -> None:
            # The trigger id is unique per invocation, so a retried request finds the first post.
            key = f"slack:{body.get('trigger_id') or uuid.uuid4().hex}"
            request = parse_propose(text, self.workflow.reads_as_time, idempotency_key=key)
            post = self.workflow.propose(request, by=self.named(person))
            tell(self.confirmation(post))

        self.after_ack(tell, "propose", work)

    def open_proposal(
        self, client: WebClient, body: dict[str, Any], meta: dict[str, Any], text: str = ""
    ) -> None:
        view = blocks.proposal_modal(
            callback_id=ids.VIEW_PROPOSE,
            title="Propose a post",
            submit="Propose",
            channels=self.workflow.channels.names(),
            zone=self.workflow.zone,
            private_metadata=meta,
            text=text,
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def on_calendar_command(
        self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        person = person_from(body)
        tell = self.teller(client, person, body.get("response_url"))
        argument = str(body.get("text") or "").strip().lower()
        verb, _, period = argument.partition(" ")

        def work() -> None:
            if verb == "export":
                if self.calendar_export is None:
                    tell(EXPORT_NOT_AVAILABLE)
                else:
                    tell(self.calendar_export(client, person, period))
                return
            if argument in ("template", "import"):
                if self.plans is None:
                    tell(PLANS_NOT_AVAILABLE)
                elif argument == "template":
                    tell(self.plans.send_template(client, person))
                else:
                    tell(HOW_TO_IMPORT)
                return
            if argument:
                raise UsageError(
                    f"`/calendar` takes nothing or `export` and a period, not “{argument}”. "
                    "`/calendar template` sends a plan to fill in.",
                    "/calendar export 2026-12 2027-01",
                )
            posts = self.workflow.calendar(days=14)
            respond(
                text="The next 14 days",
                blocks=blocks.calendar_blocks(posts, self.workflow.zone),
                response_type="ephemeral",
            )

        self.after_ack(tell, "calendar", work)

    # -- shortcut --------------------------------------------------------------------------------

    def on_propose_from_message(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        person = person_from(body)
        tell = self.teller(client, person, body.get("response_url"))
        text = unescape(str((body.get("message") or {}).get("text") or ""))
        if not blocks.fits_form(text):
            # A new post has nothing to keep: a form without the text would lose it.
            self.after_ack(
                tell, "propose from message", lambda: tell(blocks.too_long_to_propose(text))
            )
            return
        meta = {"response_url": body.get("response_url")}
        if files := message_files(body.get("message") or {}):
            meta["files"] = files  # fetched and stored when the form is submitted
        guarded(tell, "open propose modal", lambda: self.open_proposal(client, body, meta, text))

    # -- proposal and edit modals ----------------------------------------------------------------

    def on_propose_modal_submitted(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        person = person_from(body)
        form = modals.read_proposal(view)
        # A double submit of one modal carries the same view id: one post.
        request = form.request(idempotency_key=f"slack:view:{view.get('id')}")
        if not self.checked_form(ack, lambda: self.workflow.build_content(request), form, view):
            return
        tell = self.teller(client, person, modals.metadata(view).get("response_url"))

        def work() -> None:
            stored = self.with_files(client, request, view)
            tell(self.confirmation(self.workflow.propose(stored, by=self.named(person))))

        self.after_ack(tell, "propose from modal", work)

    def checked_form(
        self,
        ack: Ack,
        validate: Callable[[], object],
        form: modals.ProposalForm,
        view: dict[str, Any],
    ) -> bool:
        """Ack with field errors, or ack and return True so the work continues after it."""
        errors = form.missing()
        if not errors:
            try:
                validate()
            except ClearpostError as exc:
                errors = modals.field_errors(exc)
            except Exception as exc:
                ref = uuid.uuid4().hex[:6]
                log.error("slack form check failed (ref %s): %s", ref, type(exc).__name__)
                errors = {ids.FIELD_TEXT: f"Something went wrong on our side (ref {ref})."}
        if errors:
            ack(response_action="errors", errors=modals.on_fields_shown(errors, view))
            return False
        ack()
        return True

    def on_edit_modal_submitted(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        person = person_from(body)
        meta = modals.metadata(view)
        post_id = int(meta.get("post_id", 0))
        form = modals.read_proposal(view)

        # Only what the person changed: a field sent back as the form showed it is kept as the
        # post has it (the core also keeps a time sent back unchanged).
        edit = modals.edit_from(form, meta.get("shown") or {})
        validate = lambda: self.workflow.check_edit(post_id, person, edit)  # noqa: E731
        if not self.checked_form(ack, validate, form, view):
            return
        tell = self.teller(client, person, meta.get("response_url"))

        def work() -> None:
            post = self.workflow.revise(
                post_id,
                self.named(person),
                text=edit.text,
                when=edit.when,
                channels=edit.channels,
                media=self.edited_media(client, edit.media, view),
                notes=edit.notes,
                media_alt=edit.media_alt,
            )
            tell(self.confirmation(post, doing=f"Revision {post.revision.number} of"))

        self.after_ack(tell, "edit", work)

    # -- decisions -------------------------------------------------------------------------------

    def on_approve_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        person = person_from(body)
        tell = self.teller(client, person, body.get("response_url"))
        post_id, revision_hash = blocks.parse_decision_value(str(action.get("value")))
        if not revision_hash:
            # Without it the click would approve whatever revision is current by then.
            self.after_ack(tell, "approve", lambda: tell(NO_REVISION))
            return

        # The button carries its revision: a stale button is refused, a double click is refused
        # by the core as an approval that already exists.
        def work() -> None:
            post = self.workflow.get(post_id)
            if not self.workflow.blocking_findings(post):
                self.after_ack(
                    tell,
                    "approve",
                    lambda: self.workflow.approve(post_id, self.named(person), revision_hash),
                )
                return
            # Blocked by screening: the reason form, opened while the trigger id is fresh.
            self.workflow.check_may_decide(person, post, "approve")
            meta = {
                "post_id": post_id,
                "hash": revision_hash,
                "action": ids.ACTION_APPROVE_OVERRIDE,
                "response_url": body.get("response_url"),
            }
            view = blocks.reason_modal(post, ids.ACTION_APPROVE_OVERRIDE, meta)
            client.views_open(trigger_id=body["trigger_id"], view=view)

        guarded(tell, "approve", work)

    def on_request_changes_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        self.open_reason(ack, body, action, client, ids.ACTION_REQUEST_CHANGES)

    def on_reject_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        self.open_reason(ack, body, action, client, ids.ACTION_REJECT)

    def open_reason(
        self,
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        kind: str,
    ) -> None:
        ack()
        person = person_from(body)
        tell = self.teller(client, person, body.get("response_url"))
        post_id, revision_hash = blocks.parse_decision_value(str(action.get("value")))
        if not revision_hash:
            self.after_ack(tell, kind, lambda: tell(NO_REVISION))
            return

        decision = "reject" if kind == ids.ACTION_REJECT else "request_changes"

        def open_first() -> None:
            # The trigger lasts 3 seconds: the modal opens on what the database says, before any
            # check that may call Slack (approver-group membership); the check follows and, on a
            # refusal, replaces the form with the sentence. The decision checks again on submit.
            post = self.workflow.get(post_id)
            meta = {
                "post_id": post_id,
                "hash": revision_hash,
                "action": kind,
                "response_url": body.get("response_url"),
            }
            view = blocks.reason_modal(post, kind, meta)
            opened = client.views_open(trigger_id=body["trigger_id"], view=view)
            self.after_ack(
                tell,
                f"check {kind}",
                lambda: self.refuse_in_modal(
                    client, opened, lambda: self.workflow.check_may_decide(person, post, decision)
                ),
            )

        guarded(tell, f"open {kind} modal", open_first)

    def on_reason_modal_submitted(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        reason = modals.read_reason(view).strip()
        if not reason:
            ack(response_action="errors", errors={ids.FIELD_REASON: "Say why, for the proposer."})
            return
        ack()
        person = person_from(body)
        meta = modals.metadata(view)
        tell = self.teller(client, person, meta.get("response_url"))
        post_id, revision_hash = int(meta.get("post_id", 0)), meta.get("hash")
        if not revision_hash:
            self.after_ack(tell, "decide", lambda: tell(NO_REVISION))
            return
        if meta.get("action") == ids.ACTION_APPROVE_OVERRIDE:
            self.after_ack(
                tell,
                "approve",
                lambda: self.workflow.approve(post_id, self.named(person), revision_hash, reason),
            )
            return
        if meta.get("action") == ids.ACTION_REJECT:
            decide = self.workflow.reject
        else:
            decide = self.workflow.request_changes
        self.after_ack(
            tell, "decide", lambda: decide(post_id, self.named(person), reason, revision_hash)
        )

    def on_edit_clicked(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        person = person_from(body)
        tell = self.teller(client, person, body.get("response_url"))
        post_id, _ = blocks.parse_decision_value(str(action.get("value")))

        def work() -> None:
            post = self.workflow.get(post_id)
            self.workflow.check_may_edit(person, post)
            content = post.content
            view = blocks.proposal_modal(
                callback_id=ids.VIEW_EDIT,
                title=f"Edit post #{post.id}",
                submit="Save revision",
                channels=self.workflow.channels.names(),
                zone=self.workflow.zone,
                private_metadata={
                    "post_id": post.id,
                    "response_url": body.get("response_url"),
                    "shown": modals.shown(content),
                },
                text=content.text,
                chosen=content.channels,
                when=content.scheduled_at,
                media=content.media,
                notes=content.notes,
                urgent=post.urgent,
                media_alt=modals.shown_alt(content),
            )
            client.views_open(trigger_id=body["trigger_id"], view=view)

        guarded(tell, "open edit modal", work)

    # -- events ----------------------------------------------------------------------------------

    def on_app_home_opened(self, event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        person = Person(ids.PLATFORM, str(event.get("user")))
        workflow = self.workflow
        queue = workflow.review_queue(person) if workflow.is_approver(person) else None
        view = blocks.home_view(
            workflow.my_posts(person), workflow.calendar(days=14), queue, workflow.zone
        )
        client.views_publish(user_id=person.user_id, view=view)

    def on_message(self, event: dict[str, Any]) -> None:
        """A person's reply in an approval thread becomes a review comment in the audit trail."""
        thread_ts, ts, user = event.get("thread_ts"), event.get("ts"), event.get("user")
        if not thread_ts or thread_ts == ts or event.get("subtype") or event.get("bot_id"):
            return
        if not user or not ts:  # Slack always sends both; without them there is nobody to credit
            return
        channel = str(event.get("channel"))
        post = self.workflow.by_thread(ids.PLATFORM, channel, str(thread_ts))
        if post is None:
            return
        # Slack redelivers an event it thinks we missed; the message ts names it exactly.
        if not self.handled.put_new(f"slack:event:{channel}:{ts}"[:255], "handled"):
            return
        person = self.named(Person(ids.PLATFORM, str(user)))
        try:
            self.workflow.comment(post.id, person, unescape(str(event.get("text") or "")))
        except ClearpostError as exc:
            log.info("thread reply on post %s not recorded: %s", post.id, type(exc).__name__)


# What `register` wires up; manifest.yaml must list the same commands, shortcuts and events.
COMMANDS: dict[str, str] = {
    ids.COMMAND_PROPOSE: "on_propose_command",
    ids.COMMAND_CALENDAR: "on_calendar_command",
}
SHORTCUTS: dict[str, str] = {ids.SHORTCUT_PROPOSE_FROM_MESSAGE: "on_propose_from_message"}
ACTIONS: dict[str, str] = {
    ids.ACTION_APPROVE: "on_approve_clicked",
    ids.ACTION_REQUEST_CHANGES: "on_request_changes_clicked",
    ids.ACTION_REJECT: "on_reject_clicked",
    ids.ACTION_EDIT: "on_edit_clicked",
    ids.ACTION_RETRY_DELIVERY: "on_retry_delivery_clicked",
    ids.ACTION_PUBLISH_NOW: "on_publish_now_clicked",
    ids.ACTION_RESCHEDULE: "on_reschedule_clicked",
    ids.ACTION_MARK_PUBLISHED: "on_mark_published_clicked",
    ids.ACTION_CANCEL_DELIVERY: "on_cancel_delivery_clicked",
    ids.ACTION_WITHDRAW: "on_withdraw_clicked",
    ids.ACTION_STOP: "on_stop_clicked",
    ids.ACTION_FULL_POST: "on_full_post_clicked",
    ids.ACTION_FULL_POST_NEXT: "on_full_post_page_clicked",
    ids.ACTION_FULL_POST_PREVIOUS: "on_full_post_page_clicked",
    ids.ACTION_RECORD_CONSENT: "on_record_consent_clicked",
}
VIEWS: dict[str, str] = {
    ids.VIEW_PROPOSE: "on_propose_modal_submitted",
    ids.VIEW_EDIT: "on_edit_modal_submitted",
    ids.VIEW_REASON: "on_reason_modal_submitted",
    ids.VIEW_RESCHEDULE: "on_reschedule_modal_submitted",
    ids.VIEW_CONSENT: "on_consent_modal_submitted",
}
EVENTS: dict[str, str] = {
    ids.EVENT_APP_HOME_OPENED: "on_app_home_opened",
    ids.EVENT_MESSAGE: "on_message",
    ids.EVENT_FILE_SHARED: "on_file_shared",
}

__all__ = ["SlackListeners"]


NO_REVISION = (
    "That button does not say which revision it was shown for, so nothing was decided. Use the "
    "buttons on the latest message in the approval thread."
)
