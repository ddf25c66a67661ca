"""Rows <-> domain objects: the one place that knows how a Post is spread over the tables.

Both repositories (sqlmodel_repo.py for the workflow, sqlmodel_deliveries.py for the dispatcher)
read and write through these functions, so a new column is mapped once. Lists and maps are JSON
text (see tables.py); `*_values` return plain dicts for `insert()`/`update()` statements.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bot.domain import (
    Approval,
    AuditEvent,
    Content,
    Delivery,
    DeliveryState,
    Person,
    Post,
    Revision,
    State,
    ThreadRef,
)
from bot.screening import Finding, Place, PostFinding
from storage.tables import ApprovalRow, AuditEventRow, DeliveryRow, PostRow, RevisionRow


def revision_from_row(row: RevisionRow) -> Revision:
    content = Content(
        text=row.text,
        channels=tuple(json.loads(row.channels)),
        scheduled_at=row.scheduled_at,
        overrides=json.loads(row.overrides),
        media=tuple(json.loads(row.media)),
        link=row.link,
        notes=row.notes,
        media_alt=tuple(json.loads(row.media_alt or "[]")),
    )
    return Revision(
        id=row.id,
        number=row.number,
        content=content,
        author=Person(row.author_platform, row.author_user_id, row.author_name),
        created_at=row.created_at,
        hash=row.hash,
        problems=tuple(json.loads(row.problems)),
        findings=findings_from_json(row.findings),
    )


def findings_json(findings: Iterable[PostFinding]) -> str:
    """A revision's findings as stored; migration 0009 writes the same shape."""
    return json.dumps(
        [
            {
                "category": f.finding.category,
                "severity": f.finding.severity,
                "start": f.finding.start,
                "end": f.finding.end,
                "field": f.place.field,
                "name": f.place.name,
                "excerpt": f.excerpt,
                "why": f.finding.why,
                "fix": f.finding.fix,
            }
            for f in findings
        ],
        ensure_ascii=False,
    )


def findings_from_json(stored: str) -> tuple[PostFinding, ...]:
    return tuple(
        PostFinding(
            Finding(d["start"], d["end"], d["category"], d["severity"], d["why"], d["fix"]),
            Place(d["field"], d["name"]),
            d["excerpt"],
        )
        for d in json.loads(stored)
    )


def revision_values(post_id: int, rev: Revision) -> dict[str, Any]:
    c = rev.content
    return {
        "id": rev.id,
        "post_id": post_id,
        "number": rev.number,
        "text": c.text,
        "channels": json.dumps(list(c.channels)),
        "scheduled_at": c.scheduled_at,
        "overrides": json.dumps(dict(c.overrides), ensure_ascii=False),
        "media": json.dumps(list(c.media), ensure_ascii=False),
        "media_alt": json.dumps(list(c.media_alt), ensure_ascii=False),
        "link": c.link,
        "notes": c.notes,
        "author_platform": rev.author.platform,
        "author_user_id": rev.author.user_id,
        "author_name": rev.author.name,
        "created_at": rev.created_at,
        "hash": rev.hash,
        "problems": json.dumps(list(rev.problems), ensure_ascii=False),
        "findings": findings_json(rev.findings),
    }


def approval_from_row(row: ApprovalRow) -> Approval:
    by = Person(row.by_platform, row.by_user_id, row.by_name)
    overridden = tuple(json.loads(row.overridden))
    return Approval(
        row.id,
        row.revision_id,
        row.revision_hash,
        by,
        row.at,
        row.voided,
        row.override_reason,
        overridden,
    )


def approval_values(post_id: int, a: Approval) -> dict[str, Any]:
    return {
        "id": a.id,
        "post_id": post_id,
        "revision_id": a.revision_id,
        "revision_hash": a.revision_hash,
        "by_platform": a.by.platform,
        "by_user_id": a.by.user_id,
        "by_name": a.by.name,
        "at": a.at,
        "voided": a.voided,
        "override_reason": a.override_reason,
        "overridden": json.dumps(list(a.overridden)),
    }


def delivery_from_row(row: DeliveryRow) -> Delivery:
    return Delivery(
        row.id,
        row.channel,
        DeliveryState(row.state),
        row.attempts,
        row.external_id,
        row.url,
        row.last_error,
        row.next_attempt_at,
        row.rules_waived,
    )


def delivery_values(post: Post, d: Delivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "post_id": post.id,
        "channel": d.channel,
        "state": d.state.value,
        "due_at": post.scheduled_at,
        "attempts": d.attempts,
        "external_id": d.external_id,
        "url": d.url,
        "last_error": d.last_error,
        "next_attempt_at": d.next_attempt_at,
        "rules_waived": d.rules_waived,
    }


def post_from_rows(
    row: PostRow,
    revisions: Iterable[RevisionRow],
    approvals: Iterable[ApprovalRow],
    deliveries: Iterable[DeliveryRow],
) -> Post:
    """The post from its row and its children's rows (in any order)."""
    assert row.id is not None
    thread = (
        ThreadRef(row.thread_platform, row.thread_channel, row.thread_ts, row.thread_url)
        if row.thread_platform and row.thread_channel and row.thread_ts
        else None
    )
    return Post(
        id=row.id,
        proposer=Person(row.proposer_platform, row.proposer_user_id, row.proposer_name),
        revisions=sorted((revision_from_row(r) for r in revisions), key=lambda r: r.number),
        state=State(row.state),
        tags=tuple(json.loads(row.tags)),
        campaign=row.campaign,
        urgent=row.urgent,
        approvals=[approval_from_row(a) for a in sorted(approvals, key=lambda a: a.at)],
        deliveries={d.channel: delivery_from_row(d) for d in deliveries},
        created_at=row.created_at,
        version=row.version,
        thread=thread,
        idempotency_key=row.idempotency_key,
        audit_seq=row.audit_seq,
        audit_head=row.audit_head,
    )


def thread_values(thread: ThreadRef | None) -> dict[str, Any]:
    """The post row's thread columns: where the approval thread lives, or all None."""
    return {
        "thread_platform": thread.platform if thread else None,
        "thread_channel": thread.channel if thread else None,
        "thread_ts": thread.ts if thread else None,
        "thread_url": thread.url if thread else None,
    }


def post_values(post: Post) -> dict[str, Any]:
    """The post row's columns except `id` and `version` (the repository sets those)."""
    return {
        "state": post.state.value,
        "proposer_platform": post.proposer.platform,
        "proposer_user_id": post.proposer.user_id,
        "proposer_name": post.proposer.name,
        "tags": json.dumps(list(post.tags), ensure_ascii=False),
        "campaign": post.campaign,
        "urgent": post.urgent,
        "created_at": post.created_at,
        "scheduled_at": post.scheduled_at,
        "current_revision_id": post.revision.id,
        "idempotency_key": post.idempotency_key,
        "audit_seq": post.audit_seq,
        "audit_head": post.audit_head,
    } | thread_values(post.thread)


def event_from_row(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        id=row.id,
        post_id=row.post_id,
        seq=row.seq,
        at=row.at,
        actor=Person(row.actor_platform, row.actor_user_id, row.actor_name),
        action=row.action,
        from_state=State(row.from_state) if row.from_state else None,
        to_state=State(row.to_state) if row.to_state else None,
        revision_hash=row.revision_hash,
        reason=row.reason,
        channel=row.channel,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def event_values(e: AuditEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "post_id": e.post_id,
        "seq": e.seq,
        "at": e.at,
        "actor_platform": e.actor.platform,
        "actor_user_id": e.actor.user_id,
        "actor_name": e.actor.name,
        "action": e.action,
        "from_state": e.from_state.value if e.from_state else None,
        "to_state": e.to_state.value if e.to_state else None,
        "revision_hash": e.revision_hash,
        "reason": e.reason,
        "channel": e.channel,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }
