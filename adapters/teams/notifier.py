"""TeamsNotifier: the ChatNotifier port over the Bot Framework connector, proactively.

The core is synchronous and calls the notifier from worker threads; the connector is asynchronous
and lives on the web server's event loop. `announce` waits for the card to be posted (the core
stores where it is); `notify` queues the update, the thread reply and the personal message for
one worker on the loop, so a decision is answered at once and notices keep their order.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import TimeoutError as FutureTimeout
from copy import deepcopy
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from botbuilder.core import BotAdapter, MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    TextFormatTypes,
)

from adapters.teams import cards, delivery_cards
from adapters.teams.budget import clip
from adapters.teams.conversations import ConversationBook
from adapters.teams.retry import with_retry
from bot.delivery_desk import stoppable
from bot.domain import EDITABLE_STATES, Post, ThreadRef
from bot.ports import Notice

log = logging.getLogger(__name__)

PLATFORM = "teams"
SHARED_NOTE = (
    "Waiting for a compliance approver. Approvers: if the decision buttons do not appear, "
    "choose Refresh card in this message's ⋯ menu."
)


# A thread reply is one sentence; a long reason in it is clipped (the audit trail keeps it whole).
THREAD_REPLY_CHARS = 6_000  # 4 bytes of UTF-16 each at worst: within the budget


class NoApprovalChannel(Exception):
    """Clearpost has not been added to the compliance channel yet."""


def thread_link(thread: ThreadRef, tenant_id: str | None = None) -> str:
    """A deep link that opens the approval thread in Teams."""
    link = (
        f"https://teams.microsoft.com/l/message/{quote(thread.channel, safe='')}/{thread.ts}"
        f"?parentMessageId={thread.ts}"
    )
    return link + (f"&tenantId={tenant_id}" if tenant_id else "")


class TeamsNotifier:
    platform = PLATFORM

    def __init__(
        self,
        adapter: BotAdapter,
        book: ConversationBook,
        zone: ZoneInfo,
        app_id: str | None,
        *,
        timeout: float = 30.0,
        attempts: int = 4,
        approver_accounts: Callable[[], list[str]] = list,
    ) -> None:
        self.adapter = adapter
        self.book = book
        self.zone = zone
        self.app_id = app_id or ""
        self.timeout = timeout
        self.attempts = attempts
        self.approver_accounts = approver_accounts
        self.loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[Notice] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._count_lock = threading.Lock()
        self._pending = 0

    # -- life cycle (on the web server's loop) ------------------------------------------------

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self._worker = asyncio.create_task(self._work(), name="teams-notices")

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)

    @property
    def pending(self) -> int:
        """Notices handed to `notify` and not yet delivered (or given up on)."""
        with self._count_lock:
            return self._pending

    async def drain(self) -> None:
        """Wait until every queued notice has been handled (tests, shutdown)."""
        if self._queue is not None:
            await self._queue.join()

    # -- the port (called from worker threads) ------------------------------------------------

    def announce(self, post: Post) -> ThreadRef:
        """Post the approval card in the compliance channel; raises if that is not possible."""
        loop = self._loop_for_threads()
        future = asyncio.run_coroutine_threadsafe(self.post_card(post), loop)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def notify(self, notice: Notice) -> None:
        loop = self._loop_for_threads(allow_same=True)
        assert self._queue is not None
        with self._count_lock:
            self._pending += 1
        loop.call_soon_threadsafe(self._queue.put_nowait, notice)

    def _loop_for_threads(self, allow_same: bool = False) -> asyncio.AbstractEventLoop:
        if self.loop is None or self._queue is None:
            raise RuntimeError("the Teams notifier is not running")
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop and not allow_same:
            # Waiting here would block the very loop that has to do the work.
            raise RuntimeError("TeamsNotifier.announce must be called from a worker thread")
        return self.loop

    # -- the work (on the loop) ---------------------------------------------------------------

    async def post_card(self, post: Post) -> ThreadRef:
        channel = self.book.approval_channel()
        if channel is None:
            raise NoApprovalChannel()
        card = self.shared_card(post)
        activity_id = await self.send(channel, MessageFactory.attachment(cards.attachment(card)))
        thread = ThreadRef(PLATFORM, channel.conversation.id, activity_id)
        tenant = getattr(channel.conversation, "tenant_id", None)
        thread = ThreadRef(PLATFORM, thread.channel, thread.ts, thread_link(thread, tenant))
        log.info("post %s announced in teams (activity %s)", post.id, activity_id)
        return thread

    def shared_card(self, post: Post, status: str | None = None) -> cards.Card:
        """What everyone in the channel sees: the post and its state; each approver's view
        with the buttons comes from the refresh (ClearpostTeamsBot.on_card_action)."""
        return cards.post_card(
            post,
            self.zone,
            status=status,
            buttons=False,
            refresh_users=self.approver_accounts(),
            note=SHARED_NOTE,
        )

    async def _work(self) -> None:
        assert self._queue is not None
        while True:
            notice = await self._queue.get()
            try:
                await self.deliver(notice)
            except Exception as exc:  # one notice failing must not stop the others
                log.warning(
                    "post %s: teams %s notice not delivered: %s",
                    notice.post.id,
                    notice.kind,
                    type(exc).__name__,
                )
            finally:
                with self._count_lock:
                    self._pending -= 1
                self._queue.task_done()

    async def deliver(self, notice: Notice) -> None:
        """Refresh the card in place, reply in its thread, and tell the proposer if asked."""
        post = notice.post
        thread = post.thread if post.thread and post.thread.platform == PLATFORM else None
        channel = self.book.approval_channel()
        if thread is not None and channel is not None:
            said = "\n".join([notice.text, *notice.diff])  # an edit: what changed, below
            card = self.shared_card(post, status=said)
            await self.update(channel, thread.ts, card)
            if notice.kind != "comment":
                reply = self._thread_reply(notice, said)
                await self.send(self._in_thread(channel, thread), reply)
        if notice.tell_proposer:
            await self.tell_person(post.proposer.user_id, cards.attachment(self._dm(notice)))
        for person in notice.tell_people:
            if person.platform != PLATFORM:
                continue
            card = cards.notice_card(
                f"Post #{post.id}: {notice.text}", link=thread.url if thread else None
            )
            try:  # one approver out of reach must not keep the message from the others
                await self.tell_person(person.user_id, cards.attachment(card))
            except Exception as exc:
                log.warning("post %s: teams message not sent: %s", post.id, type(exc).__name__)

    def _thread_reply(self, notice: Notice, said: str) -> Activity:
        """The thread's sentence; about a delivery someone has to decide on, a card with its
        buttons (each approver's own, through the refresh)."""
        if notice.channel and notice.actions:
            card = delivery_cards.delivery_card(
                notice.post,
                notice.channel,
                notice.text,
                notice.actions,
                refresh_users=self.approver_accounts(),
            )
            return MessageFactory.attachment(cards.attachment(card))
        reply = MessageFactory.text(clip(said, THREAD_REPLY_CHARS))
        # A reason is a person's words: shown as typed, no markdown link made from it.
        reply.text_format = TextFormatTypes.plain
        return reply

    def _dm(self, notice: Notice) -> cards.Card:
        """What the proposer reads: the delivery's card, or the decision with Edit, Withdraw
        and Stop this post where the post still allows them (the core checks each press)."""
        post = notice.post
        text = f"Post #{post.id}: {notice.text}"
        if notice.channel and notice.actions:
            # Refreshed in the personal chat: the proposer's own buttons, as the core allows.
            return delivery_cards.delivery_card(
                post, notice.channel, text, notice.actions, refresh_users=[]
            )
        editable = post.state in EDITABLE_STATES
        thread = post.thread if post.thread and post.thread.platform == PLATFORM else None
        return cards.notice_card(
            text,
            link=thread.url if thread else None,
            edit_post=post.id if editable else None,
            more=delivery_cards.post_buttons(post, editable, stoppable(post)),
        )

    async def tell_person(self, user: str, attachment: dict[str, Any]) -> None:
        reference = self.book.personal(user) or await self._open_personal_chat(user)
        if reference is None:
            log.warning("teams: no personal chat with %s yet; message not sent", user)
            return
        await self.send(reference, MessageFactory.attachment(attachment))

    async def _open_personal_chat(self, user: str) -> ConversationReference | None:
        account = self.book.account(user)
        channel = self.book.approval_channel()
        if account is None or channel is None:
            return None
        tenant = getattr(channel.conversation, "tenant_id", None)
        params = ConversationParameters(
            is_group=False,
            bot=channel.bot,
            members=[ChannelAccount(id=account)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}} if tenant else None,
        )
        opened: list[Activity] = []

        async def keep(context: TurnContext) -> None:
            opened.append(context.activity)

        async def create() -> None:
            await self.adapter.create_conversation(  # type: ignore[call-arg]
                self.app_id,
                keep,
                conversation_parameters=params,
                channel_id=channel.channel_id,
                service_url=channel.service_url,
            )

        await with_retry(create, "personal chat", attempts=self.attempts)
        if not opened:
            return None
        self.book.remember_personal(user, opened[0])
        return self.book.personal(user)

    # -- one connector call each, retried ------------------------------------------------------

    async def send(self, reference: ConversationReference, activity: Activity) -> str:
        sent: list[str] = []

        async def logic(context: TurnContext) -> None:
            response = await context.send_activity(activity)
            sent.append(response.id if response else "")

        await self._proactive(reference, logic, "message")
        return sent[-1]

    async def update(self, reference: ConversationReference, activity_id: str, card: Any) -> None:
        activity = MessageFactory.attachment(cards.attachment(card))
        activity.id = activity_id

        async def logic(context: TurnContext) -> None:
            await context.update_activity(activity)

        await self._proactive(reference, logic, "card update")

    async def _proactive(
        self,
        reference: ConversationReference,
        logic: Callable[[TurnContext], Awaitable[None]],
        what: str,
    ) -> None:
        failures: list[BaseException] = []

        async def fresh(context: TurnContext) -> None:
            # The continuation activity has a made-up id; left there, every send would become
            # a reply to it. Without it a send starts a new post (or joins the thread).
            context.activity.id = None
            try:
                await logic(context)
            except Exception as exc:
                # Kept from the adapter's turn-error handler, which would answer in the channel.
                failures.append(exc)

        async def once() -> None:
            failures.clear()
            await self.adapter.continue_conversation(reference, fresh, self.app_id)
            if failures:
                raise failures[0]

        await with_retry(once, what, attempts=self.attempts)

    @staticmethod
    def _in_thread(channel: ConversationReference, thread: ThreadRef) -> ConversationReference:
        reference = deepcopy(channel)
        reference.conversation.id = f"{thread.channel};messageid={thread.ts}"
        return reference
