"""The global audit chain in the database: appending at commit, and reading it back in order.

Two replicas committing at once must still make one chain, so appending takes a lock first:
on PostgreSQL a transaction-scoped advisory lock (held until commit, so the next appender reads
the head this one wrote); on SQLite the transaction already holds the database's write lock,
because every change writes its post row before its events. Links are appended as the last
thing before commit, so the lock is held for a few statements and never while waiting for a
post row (no lock-order deadlock with the dispatcher's row locks).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, or_, select, text
from sqlalchemy.orm import Session

from bot.audit_chain import PURGE, ChainLink, extend
from bot.domain import AuditEvent
from storage.mapping import event_from_row, event_values
from storage.tables import AuditChainRow, AuditEventRow, PostRow

CHAIN_LOCK_ID = 7_401_202_615  # the advisory lock every appender takes (cf. migrate._LOCK_ID)


def lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": CHAIN_LOCK_ID})


def chain_head(session: Session) -> ChainLink | None:
    row = session.execute(
        select(AuditChainRow).order_by(AuditChainRow.seq.desc()).limit(1)
    ).scalar_one_or_none()
    return link_from_row(row) if row else None


def append_events(session: Session, events: Sequence[AuditEvent]) -> None:
    """Insert `events` and their links after the chain's head, under the chain lock."""
    if not events:
        return
    lock_chain(session)
    links = extend(chain_head(session), events)
    session.execute(insert(AuditEventRow), [event_values(e) for e in events])
    session.execute(insert(AuditChainRow), [link_values(link) for link in links])


def append_link(session: Session, link: ChainLink) -> None:
    session.execute(insert(AuditChainRow).values(**link_values(link)))


def link_values(link: ChainLink) -> dict[str, Any]:
    return {
        "seq": link.seq,
        "kind": link.kind,
        "at": link.at,
        "post_id": link.post_id,
        "post_seq": link.post_seq,
        "event_hash": link.event_hash,
        "detail": link.detail,
        "prev_hash": link.prev_hash,
        "hash": link.hash,
    }


def link_from_row(row: Any) -> ChainLink:
    return ChainLink(
        seq=row.seq,
        kind=row.kind,
        at=row.at,
        post_id=row.post_id,
        post_seq=row.post_seq,
        event_hash=row.event_hash,
        detail=row.detail,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def links_with_events(
    session: Session, batch_size: int = 2000
) -> Iterator[tuple[ChainLink, AuditEvent | None]]:
    """Every link in order with the event it names (None when that row is gone), read a batch
    at a time (keyset paging on the link number) so memory stays flat."""
    after = 0
    joined = and_(
        AuditEventRow.post_id == AuditChainRow.post_id,
        AuditEventRow.seq == AuditChainRow.post_seq,
    )
    while True:
        rows = session.execute(
            select(AuditChainRow, AuditEventRow)
            .outerjoin(AuditEventRow, joined)
            .where(AuditChainRow.seq > after)
            .order_by(AuditChainRow.seq)
            .limit(batch_size)
        ).all()
        for link_row, event_row in rows:
            yield link_from_row(link_row), event_from_row(event_row) if event_row else None
        session.expunge_all()
        if len(rows) < batch_size:
            return
        after = rows[-1][0].seq


def unchained_events(session: Session) -> list[AuditEvent]:
    linked = select(AuditChainRow.seq).where(
        AuditChainRow.post_id == AuditEventRow.post_id,
        AuditChainRow.post_seq == AuditEventRow.seq,
    )
    rows = session.execute(
        select(AuditEventRow)
        .where(~linked.exists())
        .order_by(AuditEventRow.post_id, AuditEventRow.seq)
    )
    return [event_from_row(r) for r in rows.scalars()]


def purge_links(session: Session) -> list[ChainLink]:
    rows = session.execute(select(AuditChainRow).where(AuditChainRow.kind == PURGE))
    return [link_from_row(r) for r in rows.scalars()]


def post_ids(session: Session) -> set[int]:
    return {int(i) for i in session.execute(select(PostRow.id)).scalars()}


def events_between(
    session: Session, start: datetime, end: datetime, batch_size: int = 2000
) -> Iterator[AuditEvent]:
    """Events with start <= at < end, oldest first, a batch at a time (keyset paging on time,
    post and number), so an export of any size holds one batch."""
    after: tuple[datetime, int, int] | None = None
    while True:
        stmt = select(AuditEventRow).where(AuditEventRow.at >= start, AuditEventRow.at < end)
        if after is not None:
            at, post_id, seq = after
            stmt = stmt.where(
                or_(
                    AuditEventRow.at > at,
                    and_(AuditEventRow.at == at, AuditEventRow.post_id > post_id),
                    and_(
                        AuditEventRow.at == at,
                        AuditEventRow.post_id == post_id,
                        AuditEventRow.seq > seq,
                    ),
                )
            )
        stmt = stmt.order_by(AuditEventRow.at, AuditEventRow.post_id, AuditEventRow.seq)
        rows = list(session.execute(stmt.limit(batch_size)).scalars())
        events = [event_from_row(r) for r in rows]
        session.expunge_all()
        yield from events
        if len(rows) < batch_size:
            return
        last = events[-1]
        after = (last.at, last.post_id, last.seq)


def purges_between(session: Session, start: datetime, end: datetime) -> list[ChainLink]:
    rows = session.execute(
        select(AuditChainRow)
        .where(AuditChainRow.kind == PURGE, AuditChainRow.at >= start, AuditChainRow.at < end)
        .order_by(AuditChainRow.seq)
    )
    return [link_from_row(r) for r in rows.scalars()]
