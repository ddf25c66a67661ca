"""Checking the whole audit trail in the database: the global chain, each post's own chain and
state, and the chain against checkpoints kept outside the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from bot.audit import verify as verify_post
from bot.audit_chain import ChainCheck, Checkpoint, purged_posts
from storage.audit_chain import links_with_events, post_ids, purge_links, unchained_events
from storage.sqlmodel_repo import SqlPostRepository


@dataclass(frozen=True)
class AuditReport:
    findings: list[str]
    links: int
    events: int
    posts: int
    head_seq: int
    head_hash: str

    @property
    def intact(self) -> bool:
        return not self.findings


def verify_database(
    engine: Engine, checkpoints: Sequence[tuple[Checkpoint, str]] = ()
) -> AuditReport:
    """Every finding as a sentence; `checkpoints` are signed ones already read, each with where
    it came from."""
    if engine.dialect.name == "postgresql":
        # One snapshot for the walk and the per-post checks, while replicas keep committing.
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with Session(engine) as session, session.begin():
        posts = post_ids(session)
        purged = {p for link in purge_links(session) for p in purged_posts(link)}
        check = ChainCheck(posts, purged, {c.seq for c, _ in checkpoints})
        for link, event in links_with_events(session):
            check.see(link, event)
        check.inserted(unchained_events(session))
        check.checkpoints(checkpoints)
        repo = SqlPostRepository(session)
        for post_id in sorted(posts):
            post = repo.get(post_id)
            trail = repo.audit_trail(post_id)
            check.findings += [f"post #{post_id}: {p}" for p in verify_post(post, trail)]
            session.expunge_all()
        last = check.last
        return AuditReport(
            check.finish(),
            check.links,
            check.events,
            len(posts),
            last.seq if last else 0,
            last.hash if last else "",
        )
