"""Claiming due deliveries so that several dispatchers on one database never publish one twice.

PostgreSQL: the post rows are locked with `SELECT … FOR UPDATE SKIP LOCKED`; a second dispatcher
skips them and takes other posts, and any other writer to a locked post (a withdrawal, say) waits
and then loses its compare-and-set. SQLite has no row locks: the claim starts with one atomic
`UPDATE post SET version = version + 1 … RETURNING id`, which takes the database's write lock for
the rest of the transaction; a second dispatcher waits, then finds those deliveries taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, bindparam, func, select, update
from sqlmodel import Session

from bot.domain import DeliveryState, Post
from bot.errors import ConcurrentChange
from bot.ports import DueDelivery
from storage.mapping import delivery_values, post_values
from storage.sqlmodel_repo import SqlPostRepository, SqlUnitOfWork
from storage.tables import DeliveryRow, PostRow


def _due_at() -> ColumnElement[Any]:
    """A planned retry's time if there is one, else the post's time."""
    return func.coalesce(DeliveryRow.next_attempt_at, DeliveryRow.due_at)


class SqlDispatchPostRepository(SqlPostRepository):
    def get_many(self, post_ids: Sequence[int]) -> list[Post]:
        """Posts this transaction has locked, read together: a few statements for a whole batch
        instead of several per post, and consistent because no one else can change them now."""
        return self._assemble(self._rows_where_in(PostRow, PostRow.id, sorted(set(post_ids))))

    def save_many(self, posts: Sequence[Post]) -> None:
        """Compare-and-set posts that only dispatch moves changed (state, deliveries, audit
        events) with three executemany statements, instead of several statements per post; a
        post with any other change goes through the ordinary save()."""
        simple: list[Post] = []
        for post in posts:
            seen = self._loaded[post.id]
            if (
                {r.id for r in post.revisions} == seen.revision_ids
                and {a.id: a.voided for a in post.approvals} == seen.approval_voided
                and {d.id for d in post.deliveries.values()} == seen.delivery_ids
            ):
                simple.append(post)
            else:
                self.save(post)
        if not simple:
            return
        connection = self.session.connection()
        post_table, delivery_table = PostRow.__table__, DeliveryRow.__table__
        rows = [
            {"b_id": p.id, "b_seen": self._loaded[p.id].version}
            | post_values(p)
            | {"version": self._loaded[p.id].version + 1}
            for p in simple
        ]
        changed = connection.execute(
            update(post_table)
            .where(
                post_table.c.id == bindparam("b_id"), post_table.c.version == bindparam("b_seen")
            )
            .values({name: bindparam(name) for name in rows[0] if not name.startswith("b_")}),
            rows,
        )
        if connection.dialect.supports_sane_multi_rowcount and changed.rowcount != len(simple):
            raise ConcurrentChange(simple[0].id)
        deliveries = [
            {"b_id": d.id} | {k: v for k, v in delivery_values(p, d).items() if k != "id"}
            for p in simple
            for d in p.deliveries.values()
        ]
        connection.execute(
            update(delivery_table)
            .where(delivery_table.c.id == bindparam("b_id"))
            .values({name: bindparam(name) for name in deliveries[0] if name != "b_id"}),
            deliveries,
        )
        self.unchained.extend(e for p in simple for e in p.pending_events)
        for post in simple:
            post.version = self._loaded[post.id].version + 1
            post.pending_events.clear()
            self._remember(post)


class SqlDeliveryClaims:
    """bot.ports.DeliveryClaims over the unit of work's session (see the module docstring)."""

    def __init__(self, session: Session, posts: SqlDispatchPostRepository) -> None:
        self.session = session
        self.posts = posts

    def lock(self, post_ids: Sequence[int]) -> list[int]:
        ids = sorted(set(post_ids))
        if not ids:
            return []
        if self._postgresql:
            # In id order, so two transactions locking overlapping sets cannot deadlock.
            stmt = select(PostRow.id).where(PostRow.id.in_(ids)).order_by(PostRow.id)
            return [int(i) for i in self.session.execute(stmt.with_for_update()).scalars()]
        bump = (
            update(PostRow)
            .where(PostRow.id.in_(ids))
            .values(version=PostRow.version + 1)
            .returning(PostRow.id)
        )
        return sorted(int(i) for i in self.session.execute(bump).scalars())

    def load(self, post_ids: Sequence[int]) -> list[Post]:
        return self.posts.get_many(post_ids)

    def save(self, posts: Sequence[Post]) -> None:
        self.posts.save_many(posts)

    @property
    def _postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def lock_due(
        self,
        now: datetime,
        limit: int,
        post_ids: Sequence[int] = (),
        skip_channels: Sequence[str] = (),
    ) -> list[int]:
        due = select(DeliveryRow.post_id).where(
            DeliveryRow.state == DeliveryState.SCHEDULED.value, _due_at() <= now
        )
        if post_ids:
            due = due.where(DeliveryRow.post_id.in_(list(post_ids)))
        if skip_channels:
            due = due.where(DeliveryRow.channel.not_in(list(skip_channels)))
        return self._lock(due.order_by(_due_at(), DeliveryRow.post_id), limit)

    def lock_stale(self, now: datetime, limit: int) -> list[int]:
        # While publishing, next_attempt_at holds the claim's lease end.
        stale = select(DeliveryRow.post_id).where(
            DeliveryRow.state == DeliveryState.PUBLISHING.value,
            DeliveryRow.next_attempt_at.is_not(None),
            DeliveryRow.next_attempt_at < now,
        )
        return self._lock(stale.order_by(DeliveryRow.next_attempt_at), limit)

    def upcoming(self, after: datetime, before: datetime, limit: int) -> list[DueDelivery]:
        rows = self.session.execute(
            select(DeliveryRow.post_id, DeliveryRow.channel, _due_at().label("due"))
            .where(
                DeliveryRow.state == DeliveryState.SCHEDULED.value,
                _due_at() >= after,
                _due_at() < before,
            )
            .order_by(_due_at())
            .limit(limit)
        ).all()
        return [DueDelivery(r.post_id, r.channel, _aware(r.due)) for r in rows]

    def _lock(self, candidates: Any, limit: int) -> list[int]:
        if self._postgresql:
            # A subquery keeps LIMIT and the lock on post rows; SKIP LOCKED leaves others' posts.
            stmt = (
                select(PostRow.id)
                .where(PostRow.id.in_(candidates.scalar_subquery()))
                .order_by(PostRow.scheduled_at, PostRow.id)
                .limit(limit)
                .with_for_update(skip_locked=True, of=PostRow)
            )
            return [int(i) for i in self.session.execute(stmt).scalars()]
        stmt_sqlite = (
            update(PostRow)
            .where(PostRow.id.in_(candidates.limit(limit).scalar_subquery()))
            .values(version=PostRow.version + 1)
            .returning(PostRow.id)
        )
        return [int(i) for i in self.session.execute(stmt_sqlite).scalars()]


def _aware(value: Any) -> datetime:
    """In case a driver hands coalesce() back as text or naive UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SqlDispatchUnitOfWork(SqlUnitOfWork):
    """A unit of work that can also claim deliveries (bot.ports.DispatchUnitOfWork)."""

    posts: SqlDispatchPostRepository
    deliveries: SqlDeliveryClaims

    def __enter__(self) -> SqlDispatchUnitOfWork:
        super().__enter__()
        self.posts = SqlDispatchPostRepository(self.session)
        self.deliveries = SqlDeliveryClaims(self.session, self.posts)
        return self


class SqlDispatchUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlDispatchUnitOfWork:
        return SqlDispatchUnitOfWork(self.engine)
