"""Reads for calendars, queues, App Home and threads: nothing here changes a post."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import AuditEvent, Person, Post, State
from bot.policies import ApprovalPolicy
from bot.ports import Clock, PostQuery, UnitOfWorkFactory


@dataclass
class Queries:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: ApprovalPolicy
    # What a read attaches for display (the checklist, consents on file); the policy's alone
    # when not given.
    annotate: Callable[[Post], Post] | None = None

    def _annotated(self, post: Post) -> Post:
        return (self.annotate or self.policy.annotate)(post)

    def get(self, post_id: int) -> Post:
        with self.uow() as uow:
            return self._annotated(uow.posts.get(post_id))

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
        return [p for p in waiting if self.policy.may_sign_now(person, p)]

    def by_thread(self, platform: str, channel: str, ts: str) -> Post | None:
        """The post discussed in this approval thread, so a reply there can be recorded."""
        with self.uow() as uow:
            post = uow.posts.by_thread(platform, channel, ts)
        return None if post is None else self._annotated(post)
