"""The audit trail as one chain across every post, and how to check it.

Each post's events are chained (domain.audit_hash); that cannot show a post deleted with all its
events, or a whole database put back to an older copy. So every event is also a link in one
global chain, numbered 1, 2, 3… in commit order: a link holds the event's post, its number in the
post, the event's own hash and the previous link's hash. A purge is a link of its own, naming the
posts it removed, so the chain stays whole after a purge (the links of purged events are kept:
they hold hashes and numbers, no words).

What the database alone cannot show is a rollback to an older, internally consistent copy. A
checkpoint, the chain's length and last hash signed with a key the database never sees (HMAC),
is written outside the database; a chain shorter than a checkpoint, or different at its length,
was rolled back or rewritten.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.audit import event_intact
from bot.domain import AuditEvent

EVENT, PURGE = "event", "purge"


@dataclass(frozen=True)
class ChainLink:
    seq: int
    kind: str  # EVENT or PURGE
    at: datetime
    post_id: int | None  # EVENT: whose event
    post_seq: int | None  # EVENT: its number in that post's trail
    event_hash: str  # EVENT: the event's own hash; PURGE: the hash of `detail`
    detail: str | None  # PURGE: what was purged, by whom (JSON)
    prev_hash: str
    hash: str


def link_hash(
    prev_hash: str,
    seq: int,
    kind: str,
    at: datetime,
    post_id: int | None,
    post_seq: int | None,
    event_hash: str,
) -> str:
    body = json.dumps(
        [seq, kind, at.isoformat(), post_id, post_seq, event_hash], separators=(",", ":")
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _link(
    head: ChainLink | None,
    kind: str,
    at: datetime,
    post_id: int | None,
    post_seq: int | None,
    event_hash: str,
    detail: str | None = None,
) -> ChainLink:
    seq = head.seq + 1 if head else 1
    prev = head.hash if head else ""
    digest = link_hash(prev, seq, kind, at, post_id, post_seq, event_hash)
    return ChainLink(seq, kind, at, post_id, post_seq, event_hash, detail, prev, digest)


def extend(head: ChainLink | None, events: Iterable[AuditEvent]) -> list[ChainLink]:
    """The links that append `events`, in order, after `head` (None: an empty chain)."""
    links: list[ChainLink] = []
    for event in events:
        head = _link(head, EVENT, event.at, event.post_id, event.seq, event.hash)
        links.append(head)
    return links


def purge_link(head: ChainLink | None, at: datetime, detail: Mapping[str, object]) -> ChainLink:
    """The link recording a purge; `detail` names who purged, before when, and which posts."""
    text = json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str)
    return _link(head, PURGE, at, None, None, hashlib.sha256(text.encode()).hexdigest(), text)


def purged_posts(link: ChainLink) -> list[int]:
    if link.kind != PURGE or not link.detail:
        return []
    posts = json.loads(link.detail).get("posts", [])
    return [int(p) for p in posts]


# -- checkpoints ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """The chain's length and last hash at a moment, signed outside the database."""

    seq: int
    hash: str
    at: datetime

    def payload(self) -> bytes:
        return json.dumps(
            {"seq": self.seq, "hash": self.hash, "at": self.at.isoformat()},
            sort_keys=True,
            separators=(",", ":"),
        ).encode()

    def sign(self, key: bytes) -> str:
        return hmac.new(key, self.payload(), hashlib.sha256).hexdigest()

    def signed_by(self, key: bytes, mac: str) -> bool:
        return hmac.compare_digest(self.sign(key), mac)


# -- verifying --------------------------------------------------------------------------------


def _event_name(post_id: int | None, post_seq: int | None, link_seq: int) -> str:
    return f"post #{post_id} event {post_seq} (chain entry {link_seq})"


@dataclass
class ChainCheck:
    """Reads the chain link by link, each with the event it names (or None if that row is gone),
    and collects sentences naming every changed, inserted or deleted event and deleted post.

    Built with what must be known before the walk: the posts that exist, the posts a purge
    removed, and the checkpoint lengths to remember hashes at. Memory grows with the number of
    posts, not of events.
    """

    post_ids: set[int]
    purged: set[int] = field(default_factory=set)
    checkpoint_seqs: set[int] = field(default_factory=set)
    findings: list[str] = field(default_factory=list)
    last: ChainLink | None = None
    links: int = 0
    events: int = 0
    _at_checkpoint: dict[int, str] = field(default_factory=dict)
    _deleted_posts: dict[int, int] = field(default_factory=dict)  # post -> events gone

    def see(self, link: ChainLink, event: AuditEvent | None) -> None:
        expected = self.last.seq + 1 if self.last else 1
        if link.seq > expected:
            self.findings.append(
                f"chain entries {expected}–{link.seq - 1} are missing: "
                "events were deleted from the database"
            )
        elif link.seq < expected:
            self.findings.append(f"chain entry {link.seq} appears twice")
        prev = self.last.hash if self.last else ""
        recomputed = link_hash(
            link.prev_hash,
            link.seq,
            link.kind,
            link.at,
            link.post_id,
            link.post_seq,
            link.event_hash,
        )
        if recomputed != link.hash or (link.seq == expected and link.prev_hash != prev):
            self.findings.append(f"chain entry {link.seq} was changed")
        if link.kind == PURGE:
            digest = hashlib.sha256((link.detail or "").encode()).hexdigest()
            if digest != link.event_hash:
                self.findings.append(f"the purge record at chain entry {link.seq} was changed")
        else:
            self._see_event(link, event)
        if link.seq in self.checkpoint_seqs:
            self._at_checkpoint[link.seq] = link.hash
        self.last = link
        self.links += 1

    def _see_event(self, link: ChainLink, event: AuditEvent | None) -> None:
        name = _event_name(link.post_id, link.post_seq, link.seq)
        if event is None:
            assert link.post_id is not None
            if link.post_id in self.purged:
                return
            if link.post_id in self.post_ids:
                self.findings.append(f"{name} was deleted")
            else:
                gone = self._deleted_posts.get(link.post_id, 0)
                self._deleted_posts[link.post_id] = gone + 1
            return
        self.events += 1
        if not event_intact(event) or event.hash != link.event_hash:
            when = event.at.strftime("%Y-%m-%d %H:%M UTC")
            self.findings.append(f"{name}, {event.action} at {when}, was changed")

    def inserted(self, events: Iterable[AuditEvent]) -> None:
        """Events in the database that no link names: added behind the chain's back."""
        for event in events:
            self.findings.append(
                f"post #{event.post_id} event {event.seq} ({event.action}) was inserted: "
                "it is not in the chain"
            )

    def checkpoints(self, signed: Sequence[tuple[Checkpoint, str]]) -> None:
        """Compare the chain with checkpoints already checked for their signature; `where`
        names each for the sentence."""
        length = self.last.seq if self.last else 0
        for checkpoint, where in signed:
            when = checkpoint.at.strftime("%Y-%m-%d %H:%M UTC")
            if checkpoint.seq > length:
                self.findings.append(
                    f"the database ends at chain entry {length} but the checkpoint of {when} "
                    f"({where}) saw entry {checkpoint.seq}: the database was rolled back or "
                    "its newest events were deleted"
                )
            elif checkpoint.seq and self._at_checkpoint.get(checkpoint.seq) != checkpoint.hash:
                self.findings.append(
                    f"the chain up to entry {checkpoint.seq} differs from the checkpoint of "
                    f"{when} ({where}): its history was rewritten"
                )

    def finish(self) -> list[str]:
        for post_id, count in sorted(self._deleted_posts.items()):
            self.findings.append(f"post #{post_id} was deleted with its {count} event(s)")
        self._deleted_posts.clear()
        return self.findings
