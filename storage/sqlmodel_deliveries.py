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

from sqlalchemy import ColumnElement, Engine, func, select, update
from sqlmodel import Session

from bot.domain import DeliveryState
from bot.ports import DueDelivery
from storage.sqlmodel_repo import SqlUnitOfWork
from storage.tables import DeliveryRow, PostRow


def _due_at() -> ColumnElement[Any]:
    """A planned retry's time if there is one, else the post's time."""
    return func.coalesce(DeliveryRow.next_attempt_at, DeliveryRow.due_at)


class SqlDeliveryClaims:
    """bot.ports.DeliveryClaims over the unit of work's session (see the module docstring)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def lock_due(self, now: datetime, limit: int, post_ids: Sequence[int] = ()) -> list[int]:
        due = select(DeliveryRow.post_id).where(
            DeliveryRow.state == DeliveryState.SCHEDULED.value, _due_at() <= now
        )
        if post_ids:
            due = due.where(DeliveryRow.post_id.in_(list(post_ids)))
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
        if self.session.get_bind().dialect.name == "postgresql":
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

    deliveries: SqlDeliveryClaims

    def __enter__(self) -> SqlDispatchUnitOfWork:
        super().__enter__()
        self.deliveries = SqlDeliveryClaims(self.session)
        return self


class SqlDispatchUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlDispatchUnitOfWork:
        return SqlDispatchUnitOfWork(self.engine)
