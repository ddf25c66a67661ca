"""How a Slack listener answers a person, shared by every listener class.

A ClearpostError is shown to the person as is; anything else is logged with a short reference
(its type only: Web API errors can echo a post's text back) and the person is told so.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from adapters.media.intake import Media
from adapters.slack import budget, ids
from adapters.slack.export import CalendarExport
from adapters.slack.media import store_files, stored_media
from adapters.slack.notifier import SlackNotifier
from adapters.slack.people import SlackNames
from adapters.slack.plans import SlackPlans
from bot.commands import ProposeRequest
from bot.domain import Person, Post
from bot.errors import ClearpostError
from bot.ports import KeyValueStore
from bot.workflow import Workflow

log = logging.getLogger(__name__)

Tell = Callable[[str], None]
TOP_TEXT = 3_500


def person_from(body: dict[str, Any]) -> Person:
    """The Slack user behind any payload: commands carry user_id, interactions a user object.
    Slack always names one; a payload without is malformed (ValueError), never a user "None"."""
    if body.get("user_id"):
        return Person(ids.PLATFORM, str(body["user_id"]), str(body.get("user_name") or ""))
    user = body.get("user")
    if not isinstance(user, dict) or not user.get("id"):
        raise ValueError("the payload names no Slack user")
    name = user.get("username") or user.get("name") or ""
    return Person(ids.PLATFORM, str(user["id"]), str(name))


def unescape(text: str) -> str:
    """Slack escapes &, < and > in command text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def guarded(tell: Tell, what: str, work: Callable[[], object]) -> None:
    """Run work; a ClearpostError is told to the person, anything else is logged as a bug."""
    try:
        work()
    except ClearpostError as exc:
        tell(str(exc))
    except Exception as exc:
        ref = uuid.uuid4().hex[:6]
        # The type only: exception texts from the Web API can echo a post's text back.
        log.error("slack %s failed (ref %s): %s", what, ref, type(exc).__name__)
        log.debug("slack %s failed (ref %s)", what, ref, exc_info=True)
        tell(f"Something went wrong on our side (ref {ref}). Please try again in a minute.")


@dataclass
class ListenerBase:
    """What every listener needs: the workflow, the notifier, and ways to answer."""

    workflow: Workflow
    notifier: SlackNotifier
    # Which Events API deliveries were handled: Slack redelivers what it thinks we missed.
    handled: KeyValueStore
    calendar_export: CalendarExport | None = None
    # Where work after the ack runs: a small pool, so fifty slow proposals at once do not take
    # the interpreter away from the threads still acknowledging. Inline when not given.
    later: Callable[[Callable[[], None]], object] = lambda work: work()
    # The plan template and import by upload; None where a front end is built without them.
    plans: SlackPlans | None = None
    # Display names from users.info; None: the payload's handle is all we have.
    names: SlackNames | None = None
    # Clearpost's media store: files attached in a modal are fetched and kept there.
    media: Media | None = None

    def named(self, person: Person) -> Person:
        """The person with the name Slack shows them with (a Web API call, cached): call it in
        work after the ack, never before a modal opens."""
        if self.names is None or person.platform != ids.PLATFORM:
            return person
        return replace(person, name=self.names.name(person.user_id) or person.name)

    def with_files(
        self, client: WebClient, request: ProposeRequest, view: dict[str, Any]
    ) -> ProposeRequest:
        """Attached files fetched and stored (after the ack), or MediaRefused's sentence."""
        if self.media is None:
            return request
        return store_files(self.media, client, request, view)

    def edited_media(
        self, client: WebClient, media: Sequence[str] | None, view: dict[str, Any]
    ) -> Sequence[str] | None:
        """An edit's media with newly attached files stored (after the ack)."""
        if self.media is None:
            return media
        stored = stored_media(self.media, client, view)
        return media if stored is None else stored

    def after_ack(self, tell: Tell, what: str, work: Callable[[], object]) -> None:
        self.later(lambda: guarded(tell, what, work))

    # -- telling the person ----------------------------------------------------------------------

    def teller(self, client: WebClient, person: Person, response_url: str | None) -> Tell:
        """Ephemeral through the response URL when there is one, else a DM from the bot."""

        def tell(text: str) -> None:
            text = budget.clip(text, TOP_TEXT)  # Slack advises under 4,000 characters
            if response_url:
                WebhookClient(response_url).send(
                    text=text, response_type="ephemeral", replace_original=False
                )
            else:
                client.chat_postMessage(channel=person.user_id, text=text)

        return tell

    def refuse_in_modal(self, client: WebClient, opened: Any, check: Callable[[], object]) -> None:
        """Run a check after a modal opened; a refusal replaces the modal with its sentence, so
        nobody writes into a form that cannot be used."""
        try:
            check()
        except ClearpostError as exc:
            view = opened.get("view") or {}
            try:
                client.views_update(
                    view_id=view.get("id"), hash=view.get("hash"), view=refusal_view(str(exc))
                )
            except Exception:
                raise exc from None  # the modal is gone or moved on: say it in a message

    def confirmation(self, post: Post, doing: str = "Proposed") -> str:
        """The core's words, with a link to the thread on the first line."""
        why = self.notifier.failures.get(post.id, "Slack did not answer")
        text = self.workflow.confirmation(post, doing, why)
        if post.thread is not None and post.thread.url:
            first, newline, rest = text.partition("\n")
            text = f"{first} <{post.thread.url}|Open the approval thread>{newline}{rest}"
        return text


def refusal_view(sentence: str) -> dict[str, Any]:
    """A modal that only says why the form cannot be used."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Not possible"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "plain_text", "text": sentence[:2900]}}],
    }
