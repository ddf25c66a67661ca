"""The Teams activity handler: routes messages, invokes and installs to the workflow, renders.

It decides nothing: every rule is the core's. The core is synchronous, so each call runs in a
worker thread; a `ClearpostError` is shown to the person (on the card, in the dialog keeping
what was typed, or as a reply), anything else is logged with a short reference.

In botbuilder 4.17 the stock `on_adaptive_card_invoke` answers 500 under CloudAdapter (the body is
serialized twice), so `on_invoke_activity` answers every invoke we handle itself, with an
InvokeResponse whose body is still a schema model (CloudAdapter serializes it once).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from botbuilder.core import InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, AdaptiveCardInvokeResponse, Attachment
from botbuilder.schema.teams import (
    MessagingExtensionActionResponse,
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleResponse,
    TaskModuleTaskInfo,
)

from adapters.media.intake import Media
from adapters.teams import cards, consent, edit_dialog, full_post, post_actions
from adapters.teams.budget import fits
from adapters.teams.conversations import ConversationBook, base_conversation, thread_root
from adapters.teams.dialog_answers import DialogAnswers, TellPerson
from adapters.teams.files import TeamsFiles
from adapters.teams.forms import (
    parse_overrides,
    plain_text,
    request_from_form,
    typed_values,
    when_of,
)
from adapters.teams.media import store_attachments
from adapters.teams.notifier import PLATFORM
from adapters.teams.plan_upload import PlanUploads, file_attachments
from adapters.teams.profiles import TeamsProfileEmails
from bot import replies
from bot.commands import parse_propose, split_channels
from bot.domain import Person, Post
from bot.errors import ClearpostError
from bot.media import alt_lines
from bot.workflow import Edit, Workflow

log = logging.getLogger(__name__)

T = TypeVar("T")
_MENTION = re.compile(r"<at>.*?</at>", re.S)
COMMANDS = ("propose", "calendar", "help")


def person_of(activity: Activity) -> Person:
    who = activity.from_property
    return Person(PLATFORM, who.aad_object_id or who.id, who.name or "")


def decider_of(activity: Activity) -> Person | None:
    """Who decides with this activity, or None: only a Teams activity (`channelId` msteams) with
    the person's Entra ID object id. Web Chat and Direct Line clients choose `from.id`
    themselves, so it never stands in for a decision."""
    who = activity.from_property
    if activity.channel_id != "msteams" or who is None or not who.aad_object_id:
        return None
    return Person(PLATFORM, who.aad_object_id, who.name or "")


NOT_FROM_TEAMS = (
    "Decisions are taken only in Microsoft Teams, signed in with a work account; nothing was "
    "decided."
)
NO_REVISION = (
    "This card does not say which revision it shows, so nothing was decided. Open the latest "
    "card in the approval thread and decide there."
)


def oops() -> str:
    ref = uuid.uuid4().hex[:6]
    log.exception("teams activity failed (ref %s)", ref)
    return f"Something went wrong on our side (ref {ref}); nothing was saved."


class ClearpostTeamsBot(TeamsActivityHandler):
    def __init__(
        self,
        workflow: Workflow,
        book: ConversationBook,
        on_channel_known: Callable[[], None] = lambda: None,
        files: TeamsFiles | None = None,
        plans: PlanUploads | None = None,
        executor: Executor | None = None,
        approver_accounts: Callable[[], list[str]] = list,
        profiles: TeamsProfileEmails | None = None,
        media: Media | None = None,
        allow_http: bool = False,
        tell_person: TellPerson | None = None,
    ) -> None:
        self.media = media  # Clearpost's media store: files sent with a proposal go there
        self.allow_http = allow_http
        self.executor = executor or ThreadPoolExecutor(8, thread_name_prefix="teams-core")
        self.workflow = workflow
        self.book = book
        self.on_channel_known = on_channel_known
        self.files = files
        self.plans = plans
        self.approver_accounts = approver_accounts
        self.post_actions = post_actions.PostActions(workflow, self.core, self._view)
        self.consents = consent.ConsentPresses(workflow, self.core, self._view)
        # Dialogs are answered within Teams' five seconds, never after screening.
        self.dialogs = DialogAnswers(workflow, self.core, self._proposed, tell_person)
        self.profiles = profiles

    async def on_turn(self, turn_context: TurnContext) -> None:
        # Learn the sender's e-mail before anything is decided: it links their accounts.
        if self.profiles is not None:
            await self.profiles.learn(turn_context)
        await super().on_turn(turn_context)

    async def core(self, call: Callable[..., T], *args: Any, **kw: Any) -> T:
        """Run a synchronous core call on the bot's own threads. Not the loop's default pool:
        the connector client sends through that one, and a core call waiting for a card to be
        posted must never hold the thread the card needs."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, partial(call, *args, **kw))

    # -- conversation updates ------------------------------------------------------------------

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        added = [m.id for m in activity.members_added or []]
        if activity.recipient is None or activity.recipient.id not in added:
            return
        scope = activity.conversation.conversation_type
        if scope == "channel":
            stored = await self.core(self.book.remember_channel, activity, installed=True)
            if stored:
                self.on_channel_known()
        elif scope == "personal":
            await self.core(self.book.remember_personal, person_of(activity).user_id, activity)

    # -- messages ------------------------------------------------------------------------------

    async def _with_name(self, activity: Activity) -> None:
        """Fill `from.name` from the last activity that carried it when this one has none."""
        who = activity.from_property
        if who is not None and (who.aad_object_id or who.id):
            user = person_of(activity).user_id
            who.name = await self.core(self.book.known_name, user, who.name)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        await self._with_name(activity)
        person = person_of(activity)
        scope = activity.conversation.conversation_type
        if await self.core(self._remember, activity, person, scope):
            self.on_channel_known()  # on the loop: it schedules the announcements there
        text = _MENTION.sub("", activity.text or "").strip()
        root = thread_root(activity) if scope == "channel" else None
        if root is not None and not text.lower().startswith(COMMANDS):
            await self._thread_reply(turn_context, person, root, text)
            return
        verb, _, rest = text.partition(" ")
        verb = verb.lower().lstrip("/")
        if file_attachments(activity) and not (verb == "propose" and rest.strip()):
            await self._file_received(turn_context, person, scope)
            return
        try:
            reply = await self._command(turn_context, person, verb, rest.strip())
        except ClearpostError as exc:
            reply = str(exc)
        except Exception:
            reply = oops()
        if reply is not None:
            await turn_context.send_activity(reply)

    def _remember(self, activity: Activity, person: Person, scope: str | None) -> bool:
        """Keep where this person and channel can be reached; True if the approval channel
        became known just now."""
        self.book.remember_account(person.user_id, activity.from_property.id)
        if scope == "personal" and self.book.personal(person.user_id) is None:
            self.book.remember_personal(person.user_id, activity)
        return scope == "channel" and self.book.remember_channel(activity, installed=False)

    async def _command(
        self, turn_context: TurnContext, person: Person, verb: str, rest: str
    ) -> str | Activity | None:
        if verb == "propose":
            if not rest:
                card = cards.propose_prompt_card()
                return MessageFactory.attachment(cards.attachment(card))
            key = f"teams:{turn_context.activity.id}"
            request = parse_propose(rest, self.workflow.reads_as_time, idempotency_key=key)
            sent = file_attachments(turn_context.activity)
            if sent and self.media is not None:  # images sent with the proposal: kept by us
                request = await self.core(
                    store_attachments, self.media, sent, request, allow_http=self.allow_http
                )
            post = await self.core(self.workflow.propose, request, person)
            return self._proposed(post)
        if verb == "calendar":
            word = rest.lower()
            if word in ("export", "template"):
                if self.files is None:
                    return "Calendar files are not available in this Clearpost's Teams yet."
                kind = "calendar" if word == "export" else "template"
                return await self.files.offer(person, kind, turn_context.activity)
            posts = await self.core(self.workflow.calendar, 14)
            card = cards.calendar_card(posts, self.workflow.zone, 14)
            return MessageFactory.attachment(cards.attachment(card))
        if verb == "help" or not verb:
            return MessageFactory.text(cards.HELP_TEXT)
        return replies.unknown_command(verb, COMMANDS)

    def _proposed(self, post: Post) -> str:
        return self.workflow.confirmation(post, why="Teams did not take its approval card")

    async def _file_received(
        self, turn_context: TurnContext, person: Person, scope: str | None
    ) -> None:
        """A file sent to the bot: a filled plan to import, in a personal chat only."""
        if scope != "personal" or self.plans is None:
            await turn_context.send_activity(
                "Send the filled plan to me in a personal chat and I will import it."
            )
            return
        try:
            reply = await self.plans.receive(turn_context.activity, person)
        except Exception:
            reply = oops()
        if reply is not None:
            await turn_context.send_activity(reply)

    async def _thread_reply(
        self, turn_context: TurnContext, person: Person, root: str, text: str
    ) -> None:
        """A reply in an approval thread is a review comment; a redelivery is recorded once."""
        channel = base_conversation(turn_context.activity.conversation.id)
        post = await self.core(self.workflow.by_thread, PLATFORM, channel, root)
        if post is None or not text:
            return
        first = await self.core(
            self.book.store.put_new, f"teams:activity:{turn_context.activity.id}", "comment"
        )
        if not first:
            return
        try:
            await self.core(self.workflow.comment, post.id, person, text)
        except ClearpostError as exc:
            await turn_context.send_activity(str(exc))
        except Exception:
            await turn_context.send_activity(oops())

    # -- invokes -------------------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        routes: dict[str, Callable[[TurnContext, dict[str, Any]], Awaitable[Any]]] = {
            "adaptiveCard/action": self.on_card_action,
            "task/fetch": self.on_dialog_opened,
            "task/submit": self.on_dialog_submitted,
            "composeExtension/fetchTask": self.on_message_action_opened,
            "composeExtension/submitAction": self.on_message_action_submitted,
        }
        if turn_context.activity.name == "fileConsent/invoke":
            return await self.on_file_consent(turn_context)
        route = routes.get(turn_context.activity.name or "")
        if route is None:
            return await super().on_invoke_activity(turn_context)
        value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
        await self._with_name(turn_context.activity)
        who = turn_context.activity.from_property
        if who is not None and who.id:
            # An approver's Teams id (MRI) is what the card's refresh lists.
            await self.core(
                self.book.remember_account, person_of(turn_context.activity).user_id, who.id
            )
        try:
            body = await route(turn_context, value)
        except Exception:
            body = TaskModuleResponse(task=TaskModuleMessageResponse(value=oops()))
        return InvokeResponse(status=200, body=body)

    async def on_file_consent(self, turn_context: TurnContext) -> InvokeResponse:
        """Accept or decline on a file consent card: answered at once, the upload follows."""
        value = turn_context.activity.value
        if self.files is not None and isinstance(value, dict):
            try:
                await self.files.on_consent(turn_context, value)
            except Exception:
                await turn_context.send_activity(oops())
        return InvokeResponse(status=200)

    async def on_card_action(
        self, turn_context: TurnContext, value: dict[str, Any]
    ) -> AdaptiveCardInvokeResponse:
        """Approve / Request changes / Reject (Action.Execute), or Teams asking for this
        reader's view (verb `refresh`): the card as this person should see it comes back."""
        action = value.get("action") if isinstance(value.get("action"), dict) else {}
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        verb = action.get("verb")
        person = person_of(turn_context.activity)
        # A damaged card names no real post: the person reads "There is no post #0."
        post_id = _post_number(data.get("post_id"))
        if verb == consent.RECORD:
            decider = decider_of(turn_context.activity)
            content = await self.consents.on_press(post_id, data, person, decider, NOT_FROM_TEAMS)
            return _card_response(content)
        if verb in post_actions.VERBS:
            decider = decider_of(turn_context.activity)
            content = await self.post_actions.on_press(
                str(verb), post_id, data, person, decider, None if decider else NOT_FROM_TEAMS
            )
            return _card_response(content)
        revision_hash = data.get("revision_hash")
        reason = str(data.get("reason") or "")
        status, error = None, None
        deciding = verb in (cards.APPROVE, cards.REQUEST_CHANGES, cards.REJECT)
        decider = decider_of(turn_context.activity)
        if deciding and decider is None:
            verb, error = None, NOT_FROM_TEAMS
        elif deciding and not (isinstance(revision_hash, str) and revision_hash):
            # Without the hash a click would decide whatever revision is current by then.
            verb, error = None, NO_REVISION
        if decider is not None:
            person = decider
        try:
            if verb == cards.APPROVE:
                # A reason typed in the card's box overrides high-severity screening findings.
                override = reason.strip() or None
                post = await self.core(
                    self.workflow.approve, post_id, person, revision_hash, override
                )
                status = f"{person.display} approved revision {post.revision.number}."
            elif verb == cards.REQUEST_CHANGES:
                await self.core(
                    self.workflow.request_changes, post_id, person, reason, revision_hash
                )
                status = f"{person.display} asked for changes."
            elif verb == cards.REJECT:
                await self.core(self.workflow.reject, post_id, person, reason, revision_hash)
                status = f"Rejected by {person.display}."
        except ClearpostError as exc:
            error = str(exc)
        except Exception:
            error = oops()
        try:
            post = await self.core(self.workflow.get, post_id)
        except ClearpostError as exc:
            content = cards.card([cards.text_block(str(exc), color="attention")])
            return _card_response(content)
        content = await self._view(
            post, person, status=status, error=error, reason=reason if error else ""
        )
        return _card_response(content)

    async def _view(
        self,
        post: Post,
        person: Person,
        consent_typed: dict[str, str] | None = None,
        **shown: Any,
    ) -> dict[str, Any]:
        """The approval card for one reader: the buttons if they may decide, else the state;
        "Record consent" if they may record one (with what they typed, after a refusal)."""
        try:
            self.workflow.policy.check_can_decide(person, post)
            decides, note = True, None
        except ClearpostError:
            decides = False
            note = (
                f"You proposed post #{post.id}; a compliance approver decides it."
                if post.proposer.ref == person.ref
                else "Waiting for a compliance approver; only approvers can decide."
            )
        users = await self.core(self.approver_accounts)
        more = post_actions.post_buttons(self.workflow, person, post)
        if await self.core(consent.may_record, self.workflow, person, post):
            more.insert(0, consent.consent_button(post, consent_typed))
        return cards.post_card(
            post,
            self.workflow.zone,
            buttons=decides,
            refresh_users=users,
            note=note,
            more=more,
            **shown,
        )

    async def on_dialog_opened(
        self, turn_context: TurnContext, value: dict[str, Any]
    ) -> TaskModuleResponse:
        data = _object(value.get("data"))
        person = person_of(turn_context.activity)
        if data.get("clearpost") == cards.SHOW_POST:
            return await self._full_post(data)
        if data.get("clearpost") == cards.EDIT_FORM:
            try:
                post = await self.core(self.workflow.get, _post_number(data.get("post_id")))
                self.workflow.check_may_edit(person, post)
                form = self._edit_form(post)
            except ClearpostError as exc:
                return TaskModuleResponse(task=TaskModuleMessageResponse(value=str(exc)))
            return _dialog(f"Edit post #{post.id}", form)
        return _dialog("Propose a post", self._form({}))

    async def _full_post(self, data: dict[str, Any]) -> TaskModuleResponse:
        """The whole post, one part at a time (Previous / Next part come back as task/submit)."""
        try:
            post = await self.core(self.workflow.get, _post_number(data.get("post_id")))
        except ClearpostError as exc:
            return TaskModuleResponse(task=TaskModuleMessageResponse(value=str(exc)))
        card = full_post.full_post_card(post, full_post.part_number(data.get("part", 1)))
        return _dialog(f"Post #{post.id}", card)

    def _edit_form(
        self,
        post: Post,
        typed: dict[str, str] | None = None,
        error: str | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        names = self.workflow.channels.names()
        return edit_dialog.edit_card(
            names,
            post,
            self.workflow.zone,
            token=token or uuid.uuid4().hex,
            typed=typed,
            error=error,
        )

    async def on_dialog_submitted(
        self, turn_context: TurnContext, value: dict[str, Any]
    ) -> TaskModuleResponse:
        data = _object(value.get("data"))
        person = person_of(turn_context.activity)
        verb = data.get("clearpost", cards.PROPOSE_FORM)
        if verb == cards.SHOW_POST:
            return await self._full_post(data)
        post_id = _post_number(data["post_id"]) if data.get("post_id") else None
        try:
            if verb == cards.EDIT_FORM and post_id is not None:
                message = await self._save_edit(post_id, person, data)
            else:
                message = await self._propose_from(data, person)
        except ClearpostError as exc:
            if verb == cards.EDIT_FORM and post_id is not None:
                return await self._edit_refused(post_id, data, str(exc))
            return self._proposal_refused("Propose a post", data, str(exc))
        return TaskModuleResponse(task=TaskModuleMessageResponse(value=message))

    def _proposal_refused(self, title: str, data: dict[str, Any], error: str) -> TaskModuleResponse:
        """The form again with what was typed and why; if that would be over the message
        budget, a sentence instead (Teams would not show the form, and a clipped input would
        propose a cut text on the next submit)."""
        form = self._form(typed_values(data), error=error, token=data.get("token"))
        if fits(form):
            return _dialog(title, form)
        typed = len(str(data.get("text") or "")) + len(str(data.get("overrides") or ""))
        return TaskModuleResponse(
            task=TaskModuleMessageResponse(
                value=f"{error} Nothing was proposed, and Teams cannot show the form again with "
                f"what you typed ({typed:,} characters, more than one Teams message holds). "
                "Propose a shorter post."
            )
        )

    async def _edit_refused(
        self, post_id: int, data: dict[str, Any], error: str
    ) -> TaskModuleResponse:
        """The edit dialog again, with what was typed and why it was refused."""
        try:
            post = await self.core(self.workflow.get, post_id)
            form = self._edit_form(post, typed_values(data), error, data.get("token"))
        except ClearpostError as exc:
            return TaskModuleResponse(task=TaskModuleMessageResponse(value=f"{error} {exc}"))
        return _dialog(f"Edit post #{post_id}", form)

    async def on_message_action_opened(
        self, turn_context: TurnContext, value: dict[str, Any]
    ) -> MessagingExtensionActionResponse:
        """ "Propose as post" on any message: the form, prefilled with that message's text."""
        payload = _object(value.get("messagePayload"))
        text = plain_text(str(_object(payload.get("body")).get("content") or ""))
        form = self._form({"text": text})
        return MessagingExtensionActionResponse(task=_dialog("Propose as post", form).task)

    async def on_message_action_submitted(
        self, turn_context: TurnContext, value: dict[str, Any]
    ) -> MessagingExtensionActionResponse:
        data = _object(value.get("data"))
        try:
            message = await self._propose_from(data, person_of(turn_context.activity))
        except ClearpostError as exc:
            task = self._proposal_refused("Propose as post", data, str(exc)).task
            return MessagingExtensionActionResponse(task=task)
        return MessagingExtensionActionResponse(task=TaskModuleMessageResponse(value=message))

    # -- helpers -------------------------------------------------------------------------------

    def _form(
        self,
        values: dict[str, str],
        *,
        verb: str = cards.PROPOSE_FORM,
        post_id: int | None = None,
        error: str | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        names = self.workflow.channels.names()
        token = token or uuid.uuid4().hex
        return cards.form_card(names, values, token=token, verb=verb, post_id=post_id, error=error)

    async def _propose_from(self, data: dict[str, Any], person: Person) -> str:
        token = data.get("token")
        request = request_from_form(data, f"teams-form:{token}" if token else None)
        return await self.dialogs.propose(request, person)

    async def _save_edit(self, post_id: int, person: Person, data: dict[str, Any]) -> str:
        """Only what the person changed goes to the core; a field kept out of the dialog or
        sent back as shown stays exactly as it is. Checked at once, saved after screening."""
        fields = edit_dialog.changed_fields(data)
        channels, text, overrides = fields["channels"], fields["text"], fields["overrides"]
        media, notes = fields["media"], fields["notes"]
        edit = Edit(
            text=text,
            when=when_of(data),  # the time the form showed, sent back unchanged, is kept
            channels=split_channels(channels) if channels is not None else None,
            overrides=parse_overrides(overrides) if overrides is not None else None,
            media=tuple(media.split()) if media is not None else None,
            notes=notes,
            media_alt=alt_lines(fields["media_alt"]) if fields["media_alt"] is not None else None,
        )

        def revise() -> Post:
            return self.workflow.revise(
                post_id,
                person,
                text=edit.text,
                when=edit.when,
                channels=edit.channels,
                overrides=edit.overrides,
                media=edit.media,
                notes=edit.notes,
                media_alt=edit.media_alt,
            )

        def confirm(changed: Post) -> str:
            return self.workflow.confirmation(changed, f"Revision {changed.revision.number} of")

        return await self.dialogs.answer(
            partial(self.workflow.check_edit, post_id, person, edit), revise, confirm, person
        )


def _object(value: Any) -> dict[str, Any]:
    """A part of an invoke's value that Teams sends as an object; anything else reads as empty,
    so a damaged invoke is answered like an empty form, never with a failure of ours."""
    return value if isinstance(value, dict) else {}


def _post_number(raw: Any) -> int:
    """A post number from a card or form; a damaged one (not a few digits) names no real post."""
    text = str(raw)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 0


def _card_response(content: dict[str, Any]) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=cards.CARD_TYPE, value=content)


def _dialog(title: str, form: dict[str, Any]) -> TaskModuleResponse:
    info = TaskModuleTaskInfo(
        title=title,
        card=Attachment(content_type=cards.CARD_TYPE, content=form),
        width="medium",
        height="large",
    )
    return TaskModuleResponse(task=TaskModuleContinueResponse(value=info))
