"""The plumbing every verb of the core shares: one transaction per change, then tell the thread.

A change loads the post, applies one move (which checks the rules and appends the audit event),
saves with compare-and-set and commits; only then is the approval thread told, and a chat
platform that fails never undoes or loses the change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import Post
from bot.errors import ConcurrentChange
from bot.ports import ChatNotifier, Clock, Notice, UnitOfWorkFactory

log = logging.getLogger(__name__)

Move = Callable[[Post, datetime], None]


@dataclass
class Service:
    uow: UnitOfWorkFactory
    clock: Clock
    zone: ZoneInfo
    notifiers: dict[str, ChatNotifier] = field(default_factory=dict)
    # Called with every Notice after its commit (the scheduler listens for approvals this way).
    observers: list[Callable[[Notice], None]] = field(default_factory=list)
    # Attaches what front ends display but the database does not hold (the approval checklist).
    annotate: Callable[[Post], Post] = lambda post: post

    def change(self, post_id: int, move: Move, *, tries: int = 1) -> Post:
        """Apply one move to a post in one transaction. With `tries` > 1, a compare-and-set
        lost to another writer is tried again on the fresh post (the dispatcher's outcomes)."""
        for attempt in range(1, tries + 1):
            try:
                with self.uow() as uow:
                    post = uow.posts.get(post_id)
                    move(post, self.clock.now())
                    uow.posts.save(post)  # compare-and-set: ConcurrentChange if we lost a race
                    uow.commit()
            except ConcurrentChange:
                if attempt == tries:
                    raise
                continue
            log.info(
                "post %s is %s (revision %s)", post.id, post.state.value, post.revision.short_hash
            )
            return self._annotated(post)
        raise AssertionError("unreachable: tries must be at least 1")

    def _annotated(self, post: Post) -> Post:
        """The change is committed: a display detail that fails must not read as a failure."""
        try:
            return self.annotate(post)
        except Exception:
            log.exception("post %s: checklist not computed", post.id)
            return post

    def notifier_for(self, post: Post) -> ChatNotifier | None:
        platform = post.thread.platform if post.thread else post.proposer.platform
        return self.notifiers.get(platform)

    def tell(self, notice: Notice) -> None:
        """Tell the post's approval thread; a chat failure is logged, never raised."""
        self._annotated(notice.post)
        for observer in self.observers:
            try:
                observer(notice)
            except Exception:  # an observer bug must not undo or hide the committed change
                log.exception("post %s: observer failed on %s", notice.post.id, notice.kind)
        notifier = self.notifier_for(notice.post)
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
