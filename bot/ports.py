"""The doors between the core and the outside world. The core depends only on these Protocols."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Literal, Protocol, Self

from bot.domain import AuditEvent, Content, Person, Post, State, ThreadRef


class DuplicateProposal(Exception):
    """The idempotency key is taken: a retry or a double submit of the same proposal."""


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC now."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class PostQuery:
    """A filter for listing posts; None means 'any'."""

    start: datetime | None = None  # scheduled_at >= start
    end: datetime | None = None  # scheduled_at < end
    states: Sequence[State] | None = None
    proposer_ref: str | None = None
    channels: Sequence[str] | None = None
    limit: int | None = None
    oldest_first: bool = True


class PostRepository(Protocol):
    def add(self, post: Post) -> None:
        """Insert a new post; assigns post.id. Raises DuplicateProposal on a reused key."""
        ...

    def get(self, post_id: int) -> Post:
        """Raises PostNotFound."""
        ...

    def save(self, post: Post) -> None:
        """Compare-and-set on post.version; raises ConcurrentChange if someone saved first."""
        ...

    def by_idempotency_key(self, key: str) -> Post | None: ...

    def set_thread(self, post_id: int, thread: ThreadRef) -> None:
        """Remember where the approval thread lives (no version bump: it is not a decision)."""
        ...

    def list(self, query: PostQuery) -> list[Post]: ...

    def iter_posts(self, query: PostQuery, batch_size: int = 500) -> Iterator[Post]:
        """Like list(), oldest first, read in batches so memory stays flat for large exports."""
        ...

    def audit_trail(self, post_id: int) -> builtins.list[AuditEvent]: ...

    def without_thread(
        self, limit: int, platform: str | None = None, created_before: datetime | None = None
    ) -> builtins.list[Post]:
        """Posts in review whose approval thread was never announced (the platform was down),
        optionally only those proposed on `platform` before `created_before`."""
        ...

    def by_thread(self, platform: str, channel: str, ts: str) -> Post | None:
        """The post whose approval thread is this one, or None."""
        ...


class UnitOfWork(Protocol):
    """One transaction. Leaving the block without commit() rolls everything back."""

    posts: PostRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


@dataclass(frozen=True)
class Notice:
    """Something the approval thread (and, for decisions, the proposer) should hear."""

    post: Post
    kind: str  # proposed, revised, approved, changes_requested, rejected, withdrawn, comment,
    # delivery, approval_added, stopped, reminder, escalation
    actor_name: str
    text: str  # one plain sentence, already written for a person
    changes: Sequence[str] = ()
    tell_proposer: bool = False
    channel: str | None = None  # for "delivery" notices: which channel this is about
    # What a person can do next, as buttons: retry, cancel, mark_published, publish_now, reschedule
    actions: Sequence[str] = ()
    diff: Sequence[str] = ()  # for "revised": what changed, a few lines (bot/revision_diff.py)
    # People told directly as well (a reminder to the approvers): each platform messages those
    # of its own people privately and leaves the others to theirs.
    tell_people: Sequence[Person] = ()


class ChatNotifier(Protocol):
    """How one chat platform shows the approval thread. Called after the commit, never inside."""

    platform: str

    def announce(self, post: Post) -> ThreadRef:
        """Post the thread parent message; returns where it lives. May raise on errors."""
        ...

    def notify(self, notice: Notice) -> None:
        """Update the parent in place, reply in the thread, DM the proposer if asked, and DM
        each of `notice.tell_people` who is on this platform."""
        ...


class ChannelRules(Protocol):
    """What the configured channels are and what their networks would refuse."""

    def names(self) -> list[str]: ...

    def network_of(self, channel: str) -> str: ...

    def problems(self, channel: str, content: Content) -> list[str]:
        """Plain-sentence problems a network would refuse this content for (empty when fine)."""
        ...


@dataclass(frozen=True)
class PublishJob:
    """Exactly what one delivery sends: the approved revision's content for one channel."""

    post_id: int
    channel: str
    text: str  # the channel's override if it has one, else the main text
    media: tuple[str, ...]
    link: str | None
    revision_hash: str
    idempotency_key: str  # stable across retries of this delivery of this revision
    scheduled_at: datetime
    media_alt: tuple[str, ...] = ()  # each media item's description, in the order of `media`

    def alt_for(self, index: int) -> str:
        """The description of media item `index` (0-based), "" when it has none."""
        return self.media_alt[index] if index < len(self.media_alt) else ""


@dataclass(frozen=True)
class Published:
    external_id: str
    url: str | None = None


@dataclass(frozen=True)
class Failed:
    """`transient`: retry later; `permanent`: a person must fix something; `unknown`: it may
    have posted, so a person checks before anything is retried."""

    kind: Literal["transient", "permanent", "unknown"]
    message: str  # one plain sentence for the approval thread, no secrets, no post text
    retry_after: float | None = None  # seconds, when the network said
    sent: bool = True  # False when nothing left Clearpost (our own pacing): not an attempt


PublishResult = Published | Failed


class Publisher(Protocol):
    """One network's client. Each call is one attempt; retries are the dispatcher's decision.

    A publisher may also set `idempotent = True` when its network recognises a repeated request
    by `PublishJob.idempotency_key` (Mastodon's `Idempotency-Key`): only then does the dispatcher
    resend a call that a crash interrupted. Read with `getattr(publisher, "idempotent", False)`.
    """

    network: str

    def validate(self, channel: str, content: Content) -> list[str]:
        """What this network would refuse, found before anyone approves."""
        ...

    def publish(self, job: PublishJob) -> PublishResult: ...

    def check(self) -> str:
        """Call the network's identity endpoint; returns who we post as, or raises."""
        ...


class KeyValueStore(Protocol):
    """Small adapter state that must survive a restart (e.g. where a chat platform can be
    reached). Never posts or decisions: those belong to the post repository."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str) -> None:
        """Insert or replace."""
        ...

    def put_new(self, key: str, value: str) -> bool:
        """Insert only if the key is absent; False when it was already there."""
        ...


@dataclass(frozen=True)
class DueDelivery:
    post_id: int
    channel: str
    due_at: datetime  # when it should go out: the post's time, or the planned retry


class DeliveryClaims(Protocol):
    """Finding and claiming due deliveries, inside the caller's unit of work.

    `lock_*` return post ids this transaction now owns: on PostgreSQL the post rows are locked
    (`FOR UPDATE SKIP LOCKED`, so another dispatcher takes other posts); on SQLite an atomic
    compare-and-set on the post's version takes them. Either way a post is claimed by at most one
    dispatcher at a time, and the caller re-checks each post's state before any publisher call.
    """

    def lock_due(
        self,
        now: datetime,
        limit: int,
        post_ids: Sequence[int] = (),
        skip_channels: Sequence[str] = (),
    ) -> list[int]:
        """Posts with a scheduled delivery due by `now` (only these posts if ids are given, and
        not counting deliveries to `skip_channels`)."""
        ...

    def lock_stale(self, now: datetime, limit: int) -> list[int]:
        """Posts with a delivery still publishing after its lease ended (a dispatcher died)."""
        ...

    def upcoming(self, after: datetime, before: datetime, limit: int) -> list[DueDelivery]:
        """Scheduled deliveries due in [after, before), soonest first, for wake-ups."""
        ...

    def lock(self, post_ids: Sequence[int]) -> list[int]:
        """Take these posts for this transaction, waiting for whoever holds them."""
        ...

    def load(self, post_ids: Sequence[int]) -> list[Post]:
        """Posts this transaction holds, read together (a batch costs a few statements)."""
        ...

    def save(self, posts: Sequence[Post]) -> None:
        """Save posts loaded by load() after dispatch moves, together (compare-and-set each)."""
        ...


class DispatchUnitOfWork(UnitOfWork, Protocol):
    deliveries: DeliveryClaims


class DispatchUnitOfWorkFactory(Protocol):
    def __call__(self) -> DispatchUnitOfWork: ...
