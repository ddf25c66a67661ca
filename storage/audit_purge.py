"""Removing what is past retention, and recording that it was removed.

One transaction: the posts that ended before the cutoff lose their rows
(post, revisions, approvals, deliveries, audit events) and a purge link naming them, who purged
and how many events is appended. The purged events' links stay (numbers and hashes only), so
the chain still verifies end to end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, select
from sqlmodel import Session

from bot.audit_chain import ChainLink, purge_link
from bot.domain import Person
from bot.retention import check_purge
from bot.states import FINAL_STATES
from storage.audit_chain import append_link, chain_head, lock_chain
from storage.tables import ApprovalRow, AuditEventRow, DeliveryRow, PostRow, RevisionRow

_CHUNK = 500


@dataclass(frozen=True)
class PurgeResult:
    posts: list[int]
    events: int
    link: ChainLink | None  # None: nothing was past retention, nothing recorded


def purge_before(
    engine: Engine, before: datetime, now: datetime, retention_years: int, by: Person
) -> PurgeResult:
    check_purge(before, now, retention_years)
    with Session(engine) as session:
        recent = select(AuditEventRow.post_id).where(AuditEventRow.at >= before)
        ids = [
            int(i)
            for i in session.execute(
                select(PostRow.id)
                .where(
                    PostRow.state.in_([s.value for s in FINAL_STATES]),
                    PostRow.created_at < before,
                    PostRow.id.not_in(recent),
                )
                .order_by(PostRow.id)
            ).scalars()
        ]
        if not ids:
            return PurgeResult([], 0, None)
        events = 0
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            events += session.execute(
                select(func.count()).where(AuditEventRow.post_id.in_(chunk))
            ).scalar_one()
            for model in (AuditEventRow, ApprovalRow, DeliveryRow, RevisionRow):
                session.execute(delete(model).where(model.post_id.in_(chunk)))  # type: ignore[attr-defined]
            session.execute(delete(PostRow).where(PostRow.id.in_(chunk)))
        detail = {
            "by": by.ref,
            "by_name": by.name,
            "before": before.date().isoformat(),
            "retention_years": retention_years,
            "posts": ids,
            "events": events,
        }
        # The chain lock comes last, as in every other writer: taken before the post rows, it
        # could deadlock with a transaction holding one of them and waiting for the chain.
        lock_chain(session)
        link = purge_link(chain_head(session), now, detail)
        append_link(session, link)
        session.commit()
        return PurgeResult(ids, events, link)
