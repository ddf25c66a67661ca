"""Repositories and the unit of work over SQLModel: compare-and-set on top of storage/mapping.py.

`save` bumps post.version with `UPDATE … WHERE id = :id AND version = :seen`; a row count of zero
means another transaction saved first, and the loser gets ConcurrentChange. Children are diffed
against what was loaded: new revisions, approvals and audit events are inserted (never updated),
approvals may only flip to voided, deliveries are upserted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Engine, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from bot.domain import AuditEvent, Post, State, ThreadRef
from bot.errors import ClearpostError, ConcurrentChange, PostNotFound
from bot.ports import DuplicateProposal, PostQuery
from storage.audit_chain import append_events
from storage.mapping import (
    approval_values,
    delivery_values,
    event_from_row,
    post_from_rows,
    post_values,
    revision_values,
    thread_values,
)
from storage.tables import ApprovalRow, AuditEventRow, DeliveryRow, PostRow, RevisionRow

_CONSISTENT_READ_TRIES = 10
_IN_CHUNK = 500  # ids per IN (...): SQLite allows 999 bound parameters in older builds


class RecordsAreKept(ClearpostError):
    def __init__(self, post_id: int) -> None:
        super().__init__(
            f"Post #{post_id}'s revisions are kept for the audit trail and cannot be removed; "
            "nothing was saved."
        )


class StorageBusy(ClearpostError):
    def __init__(self) -> None:
        super().__init__("The database is busy right now; nothing was changed. Try again.")


@dataclass
class _Loaded:
    """What a post looked like when it was read, to know what save() must insert or update."""

    version: int
    revision_ids: set[str] = field(default_factory=set)
    approval_voided: dict[str, bool] = field(default_factory=dict)
    delivery_ids: set[str] = field(default_factory=set)


class SqlPostRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._loaded: dict[int, _Loaded] = {}
        # Audit events saved in this transaction, appended to the global chain at commit.
        self.unchained: list[AuditEvent] = []

    # -- reading -----------------------------------------------------------------------------

    def get(self, post_id: int) -> Post:
        """The post as one consistent whole, even while others commit changes to it.

        The row and its children are read by separate statements, each of which may see a newer
        commit; re-reading the version afterwards shows whether a writer slipped in between.
        """
        by_id = select(PostRow).where(PostRow.id == post_id)
        version_now = select(PostRow.version).where(PostRow.id == post_id)
        for _ in range(_CONSISTENT_READ_TRIES):
            row = self.session.execute(
                by_id.execution_options(populate_existing=True)
            ).scalar_one_or_none()
            if row is None:
                raise PostNotFound(post_id)
            post = self._assemble([row])[0]
            if self.session.execute(version_now).scalar_one() == post.version:
                return post
        raise ConcurrentChange(post_id)

    def by_idempotency_key(self, key: str) -> Post | None:
        row = self.session.execute(
            select(PostRow).where(PostRow.idempotency_key == key)
        ).scalar_one_or_none()
        return self._assemble([row])[0] if row else None

    def list(self, query: PostQuery) -> list[Post]:
        stmt = self._filtered(select(PostRow), query)
        if query.oldest_first:
            stmt = stmt.order_by(PostRow.scheduled_at, PostRow.id)
        else:
            stmt = stmt.order_by(PostRow.id.desc())
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        rows = list(self.session.execute(stmt).scalars().all())
        return self._assemble(rows)

    def iter_posts(self, query: PostQuery, batch_size: int = 500) -> Iterator[Post]:
        """Posts oldest first, read `batch_size` at a time (keyset paging on time and id), so
        an export of any size holds one batch in memory. `limit` and `oldest_first` are ignored."""
        after: tuple[datetime, int] | None = None
        while True:
            stmt = self._filtered(select(PostRow), query)
            if after is not None:
                at, post_id = after
                stmt = stmt.where(
                    or_(
                        PostRow.scheduled_at > at,
                        and_(PostRow.scheduled_at == at, PostRow.id > post_id),
                    )
                )
            stmt = stmt.order_by(PostRow.scheduled_at, PostRow.id).limit(batch_size)
            rows = list(self.session.execute(stmt).scalars().all())
            if not rows:
                return
            last = rows[-1]
            assert last.id is not None
            after = (last.scheduled_at, last.id)
            posts = self._assemble(rows, remember=False)
            self.session.expunge_all()  # read-only: let the batch's rows go
            yield from posts
            if len(rows) < batch_size:
                return

    def _filtered(self, stmt: Any, query: PostQuery) -> Any:
        if query.start is not None:
            stmt = stmt.where(PostRow.scheduled_at >= query.start)
        if query.end is not None:
            stmt = stmt.where(PostRow.scheduled_at < query.end)
        if query.states is not None:
            stmt = stmt.where(PostRow.state.in_([s.value for s in query.states]))
        if query.proposer_ref is not None:
            platform, _, user_id = query.proposer_ref.partition(":")
            stmt = stmt.where(
                PostRow.proposer_platform == platform, PostRow.proposer_user_id == user_id
            )
        if query.channels:
            with_channel = select(DeliveryRow.post_id).where(
                DeliveryRow.channel.in_(list(query.channels))
            )
            stmt = stmt.where(PostRow.id.in_(with_channel))
        return stmt

    def without_thread(
        self, limit: int, platform: str | None = None, created_before: datetime | None = None
    ) -> list[Post]:
        stmt = select(PostRow).where(
            PostRow.thread_ts.is_(None), PostRow.state == State.IN_REVIEW.value
        )
        if platform is not None:
            stmt = stmt.where(PostRow.proposer_platform == platform)
        if created_before is not None:
            stmt = stmt.where(PostRow.created_at <= created_before)
        stmt = stmt.order_by(PostRow.id).limit(limit)
        return self._assemble(list(self.session.execute(stmt).scalars().all()))

    def by_thread(self, platform: str, channel: str, ts: str) -> Post | None:
        row = self.session.execute(
            select(PostRow).where(
                PostRow.thread_platform == platform,
                PostRow.thread_channel == channel,
                PostRow.thread_ts == ts,
            )
        ).scalar_one_or_none()
        return self._assemble([row])[0] if row else None

    def audit_trail(self, post_id: int) -> list[AuditEvent]:
        stmt = (
            select(AuditEventRow)
            .where(AuditEventRow.post_id == post_id)
            .order_by(AuditEventRow.seq)
        )
        return [event_from_row(r) for r in self.session.execute(stmt).scalars().all()]

    def _rows_where_in(self, model: Any, column: Any, ids: Sequence[int]) -> list[Any]:
        """Fresh rows of `model` whose `column` is one of `ids`, read in chunks that stay under
        SQLite's bound-parameter limit."""
        rows: list[Any] = []
        for start in range(0, len(ids), _IN_CHUNK):
            query = select(model).where(column.in_(list(ids[start : start + _IN_CHUNK])))
            rows += self.session.execute(query.execution_options(populate_existing=True)).scalars()
        return rows

    def _children(self, model: Any, ids: Sequence[int]) -> dict[int, list[Any]]:
        found: dict[int, list[Any]] = {i: [] for i in ids}
        for row in self._rows_where_in(model, model.post_id, ids):
            found[row.post_id].append(row)
        return found

    def _assemble(self, rows: Sequence[PostRow], remember: bool = True) -> list[Post]:
        ids = [r.id for r in rows if r.id is not None]
        revisions = self._children(RevisionRow, ids)
        approvals = self._children(ApprovalRow, ids)
        deliveries = self._children(DeliveryRow, ids)
        posts = []
        for row in rows:
            assert row.id is not None
            post = post_from_rows(row, revisions[row.id], approvals[row.id], deliveries[row.id])
            if remember:
                self._remember(post)
            posts.append(post)
        return posts

    def _remember(self, post: Post) -> None:
        self._loaded[post.id] = _Loaded(
            version=post.version,
            revision_ids={r.id for r in post.revisions},
            approval_voided={a.id: a.voided for a in post.approvals},
            delivery_ids={d.id for d in post.deliveries.values()},
        )

    # -- writing -----------------------------------------------------------------------------

    def add(self, post: Post) -> None:
        values = post_values(post) | {"version": 1}
        try:
            result = self.session.execute(insert(PostRow).values(**values).returning(PostRow.id))
        except IntegrityError as exc:
            self.session.rollback()
            raise DuplicateProposal(post.idempotency_key) from exc
        post.id = int(result.scalar_one())
        post.version = 1
        self._loaded[post.id] = _Loaded(version=1)
        self._write_children(post, self._loaded[post.id])
        self._remember(post)

    def save(self, post: Post) -> None:
        seen = self._loaded[post.id]
        result = self.session.execute(
            update(PostRow)
            .where(PostRow.id == post.id, PostRow.version == seen.version)
            .values(**post_values(post), version=seen.version + 1)
        )
        if result.rowcount != 1:
            raise ConcurrentChange(post.id)
        post.version = seen.version + 1
        self._write_children(post, seen)
        self._remember(post)

    def set_thread(self, post_id: int, thread: ThreadRef) -> None:
        self.session.execute(
            update(PostRow).where(PostRow.id == post_id).values(thread_values(thread))
        )

    def _write_children(self, post: Post, seen: _Loaded) -> None:
        if seen.revision_ids - {r.id for r in post.revisions}:
            # Revisions, like audit events, are kept for the retention period: only
            # `clearpost audit purge` removes them (storage/audit_purge.py).
            raise RecordsAreKept(post.id)
        new_revisions = [r for r in post.revisions if r.id not in seen.revision_ids]
        self._insert(RevisionRow, [revision_values(post.id, r) for r in new_revisions])
        new_approvals = [a for a in post.approvals if a.id not in seen.approval_voided]
        self._insert(ApprovalRow, [approval_values(post.id, a) for a in new_approvals])
        newly_voided = [
            a.id for a in post.approvals if a.voided and seen.approval_voided.get(a.id) is False
        ]
        if newly_voided:
            self.session.execute(
                update(ApprovalRow).where(ApprovalRow.id.in_(newly_voided)).values(voided=True)
            )
        current = {d.id for d in post.deliveries.values()}
        gone = seen.delivery_ids - current
        if gone:
            self.session.execute(delete(DeliveryRow).where(DeliveryRow.id.in_(list(gone))))
        for d in post.deliveries.values():
            if d.id in seen.delivery_ids:
                values = delivery_values(post, d)
                values.pop("id")
                self.session.execute(
                    update(DeliveryRow).where(DeliveryRow.id == d.id).values(**values)
                )
        self._insert(
            DeliveryRow,
            [
                delivery_values(post, d)
                for d in post.deliveries.values()
                if d.id not in seen.delivery_ids
            ],
        )
        self.unchained.extend(post.pending_events)  # chained and inserted at commit
        post.pending_events.clear()

    def _insert(self, model: Any, rows: Iterable[dict[str, Any]]) -> None:
        batch = list(rows)
        if batch:
            self.session.execute(insert(model), batch)


class SqlUnitOfWork:
    """One session, one transaction: commit() or everything is rolled back on leaving."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Self:
        self.session = Session(self.engine, expire_on_commit=False)
        self.posts = SqlPostRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()
        if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
            raise StorageBusy() from exc

    def commit(self) -> None:
        try:
            append_events(self.session, self.posts.unchained)
            self.posts.unchained.clear()
            self.session.commit()
        except IntegrityError as exc:
            # A unique (post_id, seq) or (post_id, number) clash: another writer got there first.
            raise ConcurrentChange(next(iter(self.posts._loaded), 0)) from exc


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)


__all__ = [
    "SqlPostRepository",
    "SqlUnitOfWork",
    "SqlUnitOfWorkFactory",
    "StorageBusy",
    "event_from_row",
]
