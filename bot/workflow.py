"""The service layer: the practice's verbs, each one transaction, checked by policy.

Every adapter (Slack, Teams, console) calls these methods and nothing below them, so permissions,
audit and concurrency come for free. Each method loads the post, asks the policy, applies one
domain move and saves with compare-and-set; chat notifications go out only after the commit, and a
notifier that fails never undoes or loses the change.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import timeparse
from bot.commands import ProposeRequest
from bot.delivery_decisions import DeliveryDecisions
from bot.domain import (
    AuditEvent,
    Content,
    Person,
    Post,
    State,
    new_post,
)
from bot.errors import (
    RevisionChanged,
    UnknownChannel,
    UsageError,
)
from bot.policies import ApprovalPolicy
from bot.ports import (
    ChannelRules,
    ChatNotifier,
    Clock,
    DuplicateProposal,
    Notice,
    PostQuery,
    UnitOfWorkFactory,
)
from bot.screening import screen

log = logging.getLogger(__name__)

MAX_TEXT = 100_000
ANNOUNCE_GRACE = timedelta(minutes=2)  # the first announce's time before a retry loop steps in
MAX_REASON = 4_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Drop control characters (a NUL would break PostgreSQL) and normalise line ends."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


@dataclass
class Workflow(DeliveryDecisions):
    """Propose, revise, decide and withdraw posts; decisions about deliveries come from
    `DeliveryDecisions` (delivery_decisions.py). See the module docstring for the promises."""

    uow: UnitOfWorkFactory
    policy: ApprovalPolicy
    channels: ChannelRules
    clock: Clock
    zone: ZoneInfo
    notifiers: dict[str, ChatNotifier] = field(default_factory=dict)
    date_order: str = "MDY"
    screener: Callable[[Iterable[str]], list[str]] = screen
    # Called with every Notice after its commit (the scheduler listens for approvals this way).
    observers: list[Callable[[Notice], None]] = field(default_factory=list)

    # -- reading -------------------------------------------------------------------------------

    def get(self, post_id: int) -> Post:
        with self.uow() as uow:
            return uow.posts.get(post_id)

    def audit_trail(self, post_id: int) -> list[AuditEvent]:
        with self.uow() as uow:
            uow.posts.get(post_id)
            return uow.posts.audit_trail(post_id)

    def posts(self, query: PostQuery) -> list[Post]:
        with self.uow() as uow:
            return uow.posts.list(query)

    def calendar(self, days: int = 14, start: datetime | None = None) -> list[Post]:
        """Scheduled posts in the next `days` days that are still going ahead."""
        begin = start or self.clock.now()
        live = [s for s in State if s not in (State.REJECTED, State.WITHDRAWN)]
        return self.posts(PostQuery(start=begin, end=begin + timedelta(days=days), states=live))

    def my_posts(self, person: Person, limit: int = 20) -> list[Post]:
        return self.posts(PostQuery(proposer_ref=person.ref, limit=limit, oldest_first=False))

    def review_queue(self, person: Person) -> list[Post]:
        """Posts waiting for this approver's decision, oldest first (their own excluded)."""
        if not self.policy.is_approver(person):
            return []
        waiting = self.posts(PostQuery(states=[State.IN_REVIEW]))
        return [
            p
            for p in waiting
            if p.proposer.ref != person.ref
            and all(a.by.ref != person.ref for a in p.live_approvals())
        ]

    def by_thread(self, platform: str, channel: str, ts: str) -> Post | None:
        """The post discussed in this approval thread, so a reply there can be recorded."""
        with self.uow() as uow:
            return uow.posts.by_thread(platform, channel, ts)

    def is_approver(self, person: Person) -> bool:
        return self.policy.is_approver(person)

    # -- proposing -----------------------------------------------------------------------------

    def resolve_time(self, when: str | datetime) -> datetime:
        now = self.clock.now()
        if isinstance(when, str):
            return timeparse.parse_time(when, self.zone, now, date_order=self.date_order)
        return timeparse.check_moment(when, self.zone, now)

    def reads_as_time(self, phrase: str) -> bool:
        return timeparse.looks_like_time(phrase, self.zone, self.clock.now(), self.date_order)

    def resolve_channels(self, names: Sequence[str]) -> tuple[str, ...]:
        """Configured names, or a network name / unique prefix that picks exactly one channel."""
        known = self.channels.names()
        resolved: list[str] = []
        unknown: list[str] = []
        for raw in names:
            name = raw.strip().lower().lstrip("#")
            if not name:
                continue
            if name in known:
                resolved.append(name)
                continue
            by_network = [c for c in known if self.channels.network_of(c) == name]
            by_prefix = [c for c in known if c.startswith(name)]
            matches = by_network if len(by_network) == 1 else by_prefix
            if len(matches) == 1:
                resolved.append(matches[0])
            else:
                unknown.append(name)
        if unknown:
            raise UnknownChannel(unknown, known)
        if not resolved:
            raise UsageError("Name at least one channel to publish on.", _example(known))
        return tuple(dict.fromkeys(resolved))

    def build_content(
        self, request: ProposeRequest, scheduled_at: datetime | None = None
    ) -> Content:
        """Validated content; `scheduled_at` keeps an already-accepted time instead of parsing."""
        channels = self.resolve_channels(request.channels)
        text = clean(request.text)
        if not text:
            raise UsageError("The post has no text.", _example(self.channels.names()))
        if len(text) > MAX_TEXT:
            raise UsageError(
                f"The text is {len(text)} characters; the most Clearpost takes is {MAX_TEXT}."
            )
        overrides: dict[str, str] = {}
        for raw_channel, override in request.overrides.items():
            channel = self.resolve_channels([raw_channel])[0]
            if channel not in channels:
                raise UsageError(
                    f"There is a text for `{channel}`, but the post is not going to `{channel}`.",
                )
            if clean(override):
                overrides[channel] = clean(override)[:MAX_TEXT]
        media = tuple(m.strip() for m in request.media if m.strip())
        return Content(
            text=text,
            channels=channels,
            scheduled_at=scheduled_at or self.resolve_time(request.when),
            overrides=overrides,
            media=media,
            link=(request.link or "").strip() or None,
            notes=clean(request.notes or "")[:MAX_REASON] or None,
        )

    def problems(self, content: Content) -> list[str]:
        found = [p for ch in content.channels for p in self.channels.problems(ch, content)]
        texts = [content.text, *content.overrides.values()]
        return found + self.screener(texts)

    def propose(self, request: ProposeRequest, by: Person) -> Post:
        """A new post in review, announced in the approval thread. A retried request with the
        same idempotency key returns the first post instead of making a second."""
        if request.idempotency_key:
            existing = self._by_key(request.idempotency_key)
            if existing is not None:
                return existing
        content = self.build_content(request)
        now = self.clock.now()
        post = new_post(
            content,
            by,
            now,
            problems=self.problems(content),
            tags=tuple(t.strip().lstrip("#").lower() for t in request.tags if t.strip()),
            campaign=(request.campaign or "").strip() or None,
            urgent=request.urgent,
            idempotency_key=request.idempotency_key,
        )
        try:
            with self.uow() as uow:
                uow.posts.add(post)
                post.record("proposed", by, now, to_state=State.IN_REVIEW, from_state=None)
                uow.posts.save(post)
                uow.commit()
        except DuplicateProposal:
            # Lost a race with a retry of the same request: the winner's post is the answer.
            existing = self._by_key(request.idempotency_key or "")
            if existing is None:
                raise
            return existing
        log.info("post %s proposed by %s (revision %s)", post.id, by.ref, post.revision.short_hash)
        self.announce(post)
        return post

    def _by_key(self, key: str) -> Post | None:
        with self.uow() as uow:
            return uow.posts.by_idempotency_key(key)

    def announce(self, post: Post) -> Post:
        """Open the approval thread. If the platform is down the post stays, unannounced, and
        `announce_pending` tries again later."""
        notifier = self._notifier_for(post)
        if notifier is None or post.thread is not None:
            return post
        try:
            thread = notifier.announce(post)
        except Exception as exc:  # any platform failure: keep the post, retry later
            log.warning("post %s not announced yet: %s", post.id, type(exc).__name__)
            return post
        with self.uow() as uow:
            uow.posts.set_thread(post.id, thread)
            uow.commit()
        post.thread = thread
        return post

    def announce_pending(
        self,
        platform: str | None = None,
        limit: int = 50,
        min_age: timedelta = ANNOUNCE_GRACE,
    ) -> int:
        """Announce posts whose thread never opened. Each platform's retry loop asks only for its
        own posts, and posts younger than `min_age` are left to the announce already under way,
        so no post gets two parent messages."""
        cutoff = self.clock.now() - min_age
        with self.uow() as uow:
            waiting = uow.posts.without_thread(limit, platform=platform, created_before=cutoff)
        return sum(1 for post in waiting if self.announce(post).thread is not None)

    # -- revising ------------------------------------------------------------------------------

    def revise(
        self,
        post_id: int,
        by: Person,
        *,
        text: str | None = None,
        when: str | datetime | None = None,
        channels: Sequence[str] | None = None,
        overrides: Mapping[str, str] | None = None,
        media: Sequence[str] | None = None,
        link: str | None = None,
        notes: str | None = None,
    ) -> Post:
        """A new revision by the proposer. Any approval is voided and the post returns to review."""
        current = self.get(post_id)
        ApprovalPolicy.check_is_proposer(by, current, "edit")
        old = current.content
        request = ProposeRequest(
            channels=tuple(channels) if channels is not None else old.channels,
            when=when if when is not None else old.scheduled_at,
            text=text if text is not None else old.text,
            overrides=overrides if overrides is not None else old.overrides,
            media=tuple(media) if media is not None else old.media,
            link=link if link is not None else old.link,
            notes=notes if notes is not None else old.notes,
        )
        # Keeping the old time is fine even if it has passed: the scheduler decides lateness.
        content = self.build_content(request, None if when is not None else old.scheduled_at)
        changes = content.changes_from(old)
        if not changes:
            raise UsageError(f"That is what post #{post_id} already says; nothing was changed.")
        problems = self.problems(content)
        voided = False

        def move(post: Post, now: datetime) -> None:
            nonlocal voided
            ApprovalPolicy.check_is_proposer(by, post, "edit")
            if post.revision.id != current.revision.id:
                # Another edit landed after we read: applying ours would silently undo it.
                raise RevisionChanged(post.id, post.revision.number)
            voided = post.revise(content, by, now, problems)

        post = self._change(post_id, move)
        summary = (
            f"{by.display} edited the post (revision {post.revision.number}): "
            + ", ".join(_FIELD_WORDS[c] for c in changes)
            + " changed."
        )
        if voided:
            summary += " The approval was voided; it needs approval again."
        self.tell(Notice(post, "revised", by.display, summary, changes=changes))
        return post

    # -- deciding ------------------------------------------------------------------------------

    def approve(self, post_id: int, by: Person, revision_hash: str | None = None) -> Post:
        """One approval of the current revision; the post is approved once enough are in."""
        decided = False

        def move(post: Post, now: datetime) -> None:
            nonlocal decided
            self.policy.check_can_decide(by, post)
            decided = post.approve(by, now, revision_hash, self.policy.required_approvals)

        post = self._change(post_id, move)
        if decided:
            when = timeparse.describe(post.scheduled_at, self.zone)
            text = f"Approved by {by.display}. It will publish {when}."
            self.tell(Notice(post, "approved", by.display, text, tell_proposer=True))
        else:
            have = len(post.live_approvals())
            text = f"{by.display} approved ({have} of {self.policy.required_approvals} approvals)."
            self.tell(Notice(post, "approval_added", by.display, text))
        return post

    def request_changes(
        self, post_id: int, by: Person, reason: str, revision_hash: str | None = None
    ) -> Post:
        reason = _require_reason(reason, "ask for changes")

        def move(post: Post, now: datetime) -> None:
            self.policy.check_can_decide(by, post)
            post.request_changes(by, now, revision_hash, reason)

        post = self._change(post_id, move)
        text = f"{by.display} asked for changes: {reason}"
        self.tell(Notice(post, "changes_requested", by.display, text, tell_proposer=True))
        return post

    def reject(
        self, post_id: int, by: Person, reason: str, revision_hash: str | None = None
    ) -> Post:
        reason = _require_reason(reason, "reject")

        def move(post: Post, now: datetime) -> None:
            self.policy.check_can_decide(by, post)
            post.reject(by, now, revision_hash, reason)

        post = self._change(post_id, move)
        text = f"Rejected by {by.display}: {reason}"
        self.tell(Notice(post, "rejected", by.display, text, tell_proposer=True))
        return post

    def withdraw(self, post_id: int, by: Person, reason: str | None = None) -> Post:
        """The proposer takes the post back; it will never publish."""

        def move(post: Post, now: datetime) -> None:
            ApprovalPolicy.check_is_proposer(by, post, "withdraw")
            post.withdraw(by, now, clean(reason or "") or None)

        post = self._change(post_id, move)
        self.tell(Notice(post, "withdrawn", by.display, f"Withdrawn by {by.display}."))
        return post

    def comment(self, post_id: int, by: Person, text: str) -> Post:
        """A review comment from the thread, kept in the audit trail. Anyone may comment."""
        text = clean(text)[:MAX_REASON]
        if not text:
            raise UsageError("The comment is empty.")
        return self._change(post_id, lambda post, now: post.comment(by, now, text))

    # -- plumbing ------------------------------------------------------------------------------

    def _change(self, post_id: int, move: Callable[[Post, datetime], None]) -> Post:
        with self.uow() as uow:
            post = uow.posts.get(post_id)
            move(post, self.clock.now())
            uow.posts.save(post)  # compare-and-set: raises ConcurrentChange if we lost a race
            uow.commit()
        log.info("post %s is %s (revision %s)", post.id, post.state.value, post.revision.short_hash)
        return post

    def _notifier_for(self, post: Post) -> ChatNotifier | None:
        platform = post.thread.platform if post.thread else post.proposer.platform
        return self.notifiers.get(platform)

    def tell(self, notice: Notice) -> None:
        """Tell the post's approval thread; a chat failure is logged, never raised."""
        for observer in self.observers:
            try:
                observer(notice)
            except Exception:  # an observer bug must not undo or hide the committed change
                log.exception("post %s: observer failed on %s", notice.post.id, notice.kind)
        notifier = self._notifier_for(notice.post)
        if notifier is None:
            return
        try:
            notifier.notify(notice)
        except Exception as exc:  # the decision is committed; a chat failure must not undo it
            log.warning(
                "post %s: %s notice not delivered: %s",
                notice.post.id,
                notice.kind,
                type(exc).__name__,
            )


_FIELD_WORDS = {
    "text": "the text",
    "channels": "the channels",
    "scheduled_at": "the time",
    "overrides": "the per-channel texts",
    "media": "the media",
    "link": "the link",
    "notes": "the notes to the reviewer",
}


def _require_reason(reason: str, doing: str) -> str:
    reason = clean(reason or "")[:MAX_REASON]
    if not reason:
        raise UsageError(f"Say why you {doing}, so the proposer knows what to fix.")
    return reason


def _example(known: Sequence[str]) -> str:
    first = ",".join(list(known)[:2]) or "x-main"
    return f"/propose {first} tomorrow 9am Flu shots are in!"
