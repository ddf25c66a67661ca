"""Checking the append-only, hash-chained audit trail of a post.

Each event's hash covers its own fields and the previous event's hash, so editing or deleting any
stored event breaks every hash after it. `verify` recomputes the chain and also checks that the
trail agrees with the post's current state.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import AuditEvent, Post, audit_hash, event_fields


def event_intact(event: AuditEvent) -> bool:
    """The event's stored hash is the hash of its stored fields and its stored prev_hash."""
    fields = event_fields(
        event.post_id,
        event.seq,
        event.at,
        event.actor,
        event.action,
        event.from_state,
        event.to_state,
        event.revision_hash,
        event.reason,
        event.channel,
    )
    return event.hash == audit_hash(event.prev_hash, fields)


def verify(post: Post, events: Sequence[AuditEvent]) -> list[str]:
    """Plain-sentence problems; an empty list means the trail is intact and consistent."""
    problems: list[str] = []
    prev = ""
    state = None
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            problems.append(f"event {expected_seq} is missing (found {event.seq} instead)")
            break
        if event.prev_hash != prev or not event_intact(event):
            problems.append(f"event {event.seq} ({event.action}) was altered")
        if event.to_state is not None:
            if state is not None and event.from_state is not state:
                problems.append(
                    f"event {event.seq} moves from {event.from_state} but the post was {state}"
                )
            state = event.to_state
        prev = event.hash
    if not events:
        problems.append("the post has no audit events")
    elif prev != post.audit_head:
        problems.append("the trail does not end where the post says it does")
    if state is not None and state is not post.state:
        problems.append(f"the trail ends in {state.value} but the post is {post.state.value}")
    return problems
