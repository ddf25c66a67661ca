"""Posts, revisions, approvals and the audit trail, and the legal moves between states.

A post is the aggregate: every change goes through one of its methods, which checks the move is
legal, changes the state and appends an audit event to the post's hash chain. The workflow service
decides *who* may call a method (policies.py); this module decides *when* a method may be called.
The states live in states.py, people in people.py; a delivery checks and makes its own moves
(deliveries.py), and the post asks it to, then records the event.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.deliveries import DONE, Delivery, DeliveryAction, DeliveryMoveRefused
from bot.errors import IllegalTransition, RevisionChanged
from bot.people import SYSTEM, Person
from bot.screening import PostFinding
from bot.states import EDITABLE_STATES, FINAL_STATES, NEEDS_PERSON, DeliveryState, State

if TYPE_CHECKING:
    from bot.approval_stages import Checklist
    from bot.consent import Consent

# What each action may start from. Anything else is an IllegalTransition with a clear message.
ALLOWED_FROM: Mapping[str, frozenset[State]] = {
    "revise": EDITABLE_STATES,
    "approve": frozenset({State.IN_REVIEW}),
    "request_changes": frozenset({State.IN_REVIEW}),
    "reject": frozenset({State.IN_REVIEW, State.CHANGES_REQUESTED, State.APPROVED}),
    "withdraw": EDITABLE_STATES,
    "start_publishing": frozenset({State.APPROVED, State.PUBLISHING, State.FAILED}),
    # A consent is noted while the post can still change, before any of it goes out.
    "record_consent": EDITABLE_STATES,
}

ACTION_WORDS: Mapping[str, str] = {
    "revise": "edited",
    "approve": "approved",
    "request_changes": "sent back for changes",
    "reject": "rejected",
    "withdraw": "withdrawn",
    "start_publishing": "published",
    "record_consent": "given a patient's consent",
}


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Content:
    """What a proposer writes: the parts of a revision that are reviewed and published."""

    text: str
    channels: tuple[str, ...]
    scheduled_at: datetime  # aware, UTC
    overrides: Mapping[str, str] = field(default_factory=dict)  # channel -> its own text
    media: tuple[str, ...] = ()
    link: str | None = None
    notes: str | None = None  # to the reviewer; never published
    # Each media item's description (alt text), in the order of `media`; "" where there is
    # none, () when no item has one. Published, so screened, hashed and diffed like the text.
    media_alt: tuple[str, ...] = ()

    def text_for(self, channel: str) -> str:
        return self.overrides.get(channel, self.text)

    def alt_for(self, index: int) -> str:
        """The description of media item `index` (0-based), "" when it has none."""
        return self.media_alt[index] if index < len(self.media_alt) else ""

    def content_hash(self) -> str:
        """Pins an approval to exactly what will be published (notes excluded)."""
        fields: dict[str, object] = {
            "text": self.text,
            "channels": list(self.channels),
            "scheduled_at": self.scheduled_at.isoformat(),
            "overrides": dict(sorted(self.overrides.items())),
            "media": list(self.media),
            "link": self.link,
        }
        if any(self.media_alt):  # only then, so revisions from before alt text keep their hash
            fields["media_alt"] = [self.alt_for(i) for i in range(len(self.media))]
        canonical = json.dumps(
            fields,
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    def changes_from(self, older: Content) -> list[str]:
        """Names of the fields that differ, for 'what changed' messages."""
        names = [
            "text",
            "channels",
            "scheduled_at",
            "overrides",
            "media",
            "media_alt",
            "link",
            "notes",
        ]
        return [n for n in names if self._field(n) != older._field(n)]

    def _field(self, name: str) -> object:
        if name == "media_alt":  # compared item by item: () and ("", "") both mean none
            return [(m, self.alt_for(i)) for i, m in enumerate(self.media) if self.alt_for(i)]
        return getattr(self, name)


@dataclass(frozen=True)
class Revision:
    id: str
    number: int
    content: Content
    author: Person
    created_at: datetime
    hash: str
    problems: tuple[str, ...] = ()  # what publishers and screening found, shown to reviewers
    # What screening found, as data: approval is decided on these (screening_gate.py).
    findings: tuple[PostFinding, ...] = ()

    @property
    def short_hash(self) -> str:
        return self.hash[:8]


@dataclass
class Approval:
    id: str
    revision_id: str
    revision_hash: str
    by: Person
    at: datetime
    voided: bool = False
    # "Approve with override": the approver's reason and the finding kinds it let through; it
    # covers the later stages of this revision (screening_gate.py).
    override_reason: str | None = None
    overridden: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditEvent:
    """One append-only line of the audit trail; `hash` chains it to the event before it."""

    id: str
    post_id: int
    seq: int
    at: datetime
    actor: Person
    action: str
    from_state: State | None
    to_state: State | None
    revision_hash: str | None
    reason: str | None
    channel: str | None
    prev_hash: str
    hash: str


def audit_hash(prev_hash: str, fields: Mapping[str, object]) -> str:
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def event_fields(
    post_id: int,
    seq: int,
    at: datetime,
    actor: Person,
    action: str,
    from_state: State | None,
    to_state: State | None,
    revision_hash: str | None,
    reason: str | None,
    channel: str | None,
) -> dict[str, object]:
    return {
        "post_id": post_id,
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor.ref,
        "actor_name": actor.name,
        "action": action,
        "from": from_state.value if from_state else None,
        "to": to_state.value if to_state else None,
        "revision_hash": revision_hash,
        "reason": reason,
        "channel": channel,
    }


_CURRENT = object()  # "the post's state now", as opposed to None for "no state yet"


@dataclass(frozen=True)
class ThreadRef:
    """Where a post's approval thread lives on its platform (opaque to the core)."""

    platform: str
    channel: str
    ts: str
    url: str | None = None


@dataclass
class Post:
    id: int
    proposer: Person
    revisions: list[Revision]
    state: State = State.IN_REVIEW
    tags: tuple[str, ...] = ()
    campaign: str | None = None
    urgent: bool = False
    approvals: list[Approval] = field(default_factory=list)
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    created_at: datetime | None = None
    version: int = 0
    thread: ThreadRef | None = None
    idempotency_key: str | None = None
    audit_seq: int = 0
    audit_head: str = ""
    pending_events: list[AuditEvent] = field(default_factory=list)
    # The approval checklist as the policy reads it now: not stored, attached for display.
    checklist: Checklist | None = field(default=None, compare=False, repr=False)
    # Patients' consents on file (consent_findings.py): not stored here, attached for display.
    consents_on_file: tuple[Consent, ...] = field(default=(), compare=False, repr=False)

    # -- reading -----------------------------------------------------------------------------

    @property
    def revision(self) -> Revision:
        return self.revisions[-1]

    @property
    def content(self) -> Content:
        return self.revision.content

    @property
    def channels(self) -> tuple[str, ...]:
        return self.content.channels

    @property
    def scheduled_at(self) -> datetime:
        return self.content.scheduled_at

    def live_approvals(self) -> list[Approval]:
        """Approvals of the current revision that no edit has voided."""
        rev = self.revision
        return [
            a
            for a in self.approvals
            if not a.voided and a.revision_id == rev.id and a.revision_hash == rev.hash
        ]

    @property
    def approved_revision(self) -> Revision | None:
        """The revision that may be published, or None: only ever the approved one."""
        if self.state not in (State.APPROVED, State.PUBLISHING, State.PUBLISHED, State.FAILED):
            return None
        return self.revision if self.live_approvals() else None

    # -- moves -------------------------------------------------------------------------------

    def _require(self, action: str) -> None:
        if self.state not in ALLOWED_FROM[action]:
            raise IllegalTransition(self.id, self.state.value, ACTION_WORDS[action])

    def _require_current(self, revision_hash: str | None) -> None:
        if revision_hash is not None and revision_hash != self.revision.hash:
            raise RevisionChanged(self.id, self.revision.number)

    def record(
        self,
        action: str,
        actor: Person,
        at: datetime,
        *,
        to_state: State | None = None,
        reason: str | None = None,
        channel: str | None = None,
        from_state: State | None | object = _CURRENT,
    ) -> AuditEvent:
        """Append an audit event; state-changing moves pass the new state."""
        seq = self.audit_seq + 1
        before = self.state if from_state is _CURRENT else from_state
        assert before is None or isinstance(before, State)
        fields = event_fields(
            self.id, seq, at, actor, action, before, to_state, self.revision.hash, reason, channel
        )
        event = AuditEvent(
            id=new_id(),
            post_id=self.id,
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            from_state=before,
            to_state=to_state,
            revision_hash=self.revision.hash,
            reason=reason,
            channel=channel,
            prev_hash=self.audit_head,
            hash=audit_hash(self.audit_head, fields),
        )
        self.audit_seq = seq
        self.audit_head = event.hash
        self.pending_events.append(event)
        return event

    def _move(self, to: State, action: str, actor: Person, at: datetime, **kw: object) -> None:
        before = self.state
        self.state = to
        self.record(action, actor, at, to_state=to, from_state=before, **kw)  # type: ignore[arg-type]

    def revise(
        self,
        content: Content,
        by: Person,
        at: datetime,
        problems: Sequence[str],
        findings: Sequence[PostFinding] = (),
    ) -> bool:
        """A new immutable revision, screened anew. Voids every approval (and with it any
        screening override); an approved post returns to review.

        Returns True when an approval was voided.
        """
        self._require("revise")
        number = self.revision.number + 1
        revision = Revision(
            id=new_id(),
            number=number,
            content=content,
            author=by,
            created_at=at,
            hash=content.content_hash(),
            problems=tuple(problems),
            findings=tuple(findings),
        )
        voided = False
        for approval in self.approvals:
            if not approval.voided:
                approval.voided = True
                voided = True
        self.revisions.append(revision)
        self._reset_deliveries(content.channels)
        self._move(State.IN_REVIEW, "revised", by, at, reason=f"revision {number}")
        return voided

    def approve(
        self,
        by: Person,
        at: datetime,
        revision_hash: str | None,
        required: int | Callable[[Post], bool],
        *,
        again: bool = False,
        note: str | None = None,
        override_reason: str | None = None,
        overridden: Sequence[str] = (),
    ) -> bool:
        """Record one approval of the current revision. Returns True when the post is approved.

        `required` is a count of approvals, or the policy's "are all stages signed?" asked with
        the new approval in place. `again` lets one account sign a second stage (when the
        practice allows it); `note` says in the audit trail which stage was signed;
        `override_reason` and `overridden` record an approval given over screening findings."""
        self._require("approve")
        self._require_current(revision_hash)
        if not again and any(a.by.ref == by.ref for a in self.live_approvals()):
            raise IllegalTransition(self.id, "already approved by you", "approved twice")
        rev = self.revision
        self.approvals.append(
            Approval(new_id(), rev.id, rev.hash, by, at, False, override_reason, tuple(overridden))
        )
        if isinstance(required, int):
            complete = len(self.live_approvals()) >= required
        else:
            complete = required(self)
        if not complete:
            self.record("approval_added", by, at, reason=note)
            return False
        for delivery in self.deliveries.values():
            if delivery.state is DeliveryState.WAITING:  # a channel cancelled in review stays off
                delivery.state = DeliveryState.SCHEDULED
        self._move(State.APPROVED, "approved", by, at, reason=note)
        return True

    def request_changes(
        self, by: Person, at: datetime, revision_hash: str | None, reason: str
    ) -> None:
        self._require("request_changes")
        self._require_current(revision_hash)
        self._move(State.CHANGES_REQUESTED, "changes_requested", by, at, reason=reason)

    def reject(self, by: Person, at: datetime, revision_hash: str | None, reason: str) -> None:
        self._require("reject")
        self._require_current(revision_hash)
        self._cancel_deliveries()
        self._move(State.REJECTED, "rejected", by, at, reason=reason)

    def withdraw(self, by: Person, at: datetime, reason: str | None = None) -> None:
        self._require("withdraw")
        self._cancel_deliveries()
        self._move(State.WITHDRAWN, "withdrawn", by, at, reason=reason)

    def comment(self, by: Person, at: datetime, text: str) -> None:
        self.record("commented", by, at, reason=text)

    # -- deliveries: the dispatcher's side ------------------------------------------------------

    def start_publishing(
        self, channel: str, by: Person, at: datetime, lease_until: datetime | None = None
    ) -> Delivery:
        """Claim one delivery for a publisher call. Only an approved revision gets this far.

        `lease_until` is how long the claim holds: a delivery still publishing after it was left
        by a dispatcher that died mid-call, and is resent or asked about, never blindly reposted.
        """
        self._require("start_publishing")
        self._require_approved()
        delivery = self._delivery(channel, "published", lambda d: d.claim(lease_until))
        if self.state is not State.PUBLISHING:
            self._move(State.PUBLISHING, "publishing", by, at, channel=channel)
        else:
            self.record("delivery_claimed", by, at, channel=channel)
        return delivery

    def resume_publishing(self, channel: str, at: datetime, lease_until: datetime) -> Delivery:
        """Claim again a delivery whose dispatcher died mid-call; only for a network that
        recognises the repeated request by its idempotency key and will not post twice."""
        self._require_approved()
        delivery = self._delivery(channel, "sent again", lambda d: d.resend(lease_until))
        self.record("delivery_resent", SYSTEM, at, channel=channel, reason="lease expired")
        return delivery

    def finish_delivery(
        self,
        channel: str,
        outcome: DeliveryState,
        at: datetime,
        *,
        url: str | None = None,
        external_id: str | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Record what the network said; the post settles once no delivery is in flight.

        `outcome` SCHEDULED with `retry_at` means "try again then" (a transient failure).
        """
        self.deliveries[channel].finish(
            outcome, url=url, external_id=external_id, error=error, retry_at=retry_at
        )
        action = "delivery_retry_planned" if outcome is DeliveryState.SCHEDULED else None
        self.record(
            action or f"delivery_{outcome.value}", SYSTEM, at, channel=channel, reason=error
        )
        self._settle(at)

    def late_success(
        self, channel: str, at: datetime, url: str | None, external_id: str | None
    ) -> bool:
        """An older call (its claim ran out, or a person re-queued it) published after all.

        Not yet sent again, it counts: the delivery is published and a re-queued send is called
        off, so the post does not go out twice. Returns False when another call is in flight
        already; that one's outcome decides, and the thread is told of the earlier post."""
        delivery = self.deliveries[channel]
        if delivery.state in (DeliveryState.PUBLISHED, DeliveryState.CANCELLED):
            return False
        if delivery.state is DeliveryState.PUBLISHING:
            self.record("delivery_late_success", SYSTEM, at, channel=channel, reason=url)
            return False
        self.finish_delivery(channel, DeliveryState.PUBLISHED, at, url=url, external_id=external_id)
        return True

    def release_delivery(self, channel: str, at: datetime) -> None:
        """Give back a claim whose call never started (shutdown): it is due again at once."""
        self._delivery(channel, "released", Delivery.release)
        self.record("delivery_released", SYSTEM, at, channel=channel)

    def miss_delivery(self, channel: str, at: datetime, reason: str) -> None:
        """It came due while Clearpost was down, longer ago than the grace window allows."""
        delivery = self.deliveries.get(channel)
        if delivery is None or delivery.state is not DeliveryState.SCHEDULED:
            state = delivery.state.value if delivery else "not going"
            raise IllegalTransition(self.id, f"{state} on {channel}", "marked missed")
        self.finish_delivery(channel, DeliveryState.MISSED, at, error=reason)

    def hold_delivery(self, channel: str, at: datetime, reason: str) -> None:
        """Due inside a blackout or quiet hours that came after the approval: held for a person
        (reschedule, publish now anyway, or cancel); nothing failed."""
        self._delivery(channel, "held", Delivery.hold)
        self.deliveries[channel].last_error = reason
        self.record("delivery_held", SYSTEM, at, channel=channel, reason=reason)
        self._settle(at)

    # -- deliveries: a person's decisions ---------------------------------------------------------

    def requeue_delivery(
        self, channel: str, by: Person, at: datetime, due: datetime, action: DeliveryAction
    ) -> Delivery:
        """Retry, publish now or reschedule: a delivery that needs a person goes out at `due`."""
        self._require_approved()
        delivery = self._delivery(channel, DONE[action], lambda d: d.requeue(action, due))
        audit = {
            "retry": "delivery_retried",
            "publish_now": "delivery_publish_now",
            "reschedule": "delivery_rescheduled",
        }[action]
        if self.state is State.FAILED:
            self._move(State.PUBLISHING, audit, by, at, channel=channel)
        else:
            self.record(audit, by, at, channel=channel)
        return delivery

    def cancel_delivery(self, channel: str, by: Person, at: datetime) -> None:
        """This channel will not be published (the others go on)."""
        self._delivery(channel, DONE["cancel"], Delivery.cancel)
        self.record("delivery_cancelled", by, at, channel=channel)
        if self.state in (State.APPROVED, State.PUBLISHING, State.FAILED):
            self._settle(at)
        elif all(d.state is DeliveryState.CANCELLED for d in self.deliveries.values()):
            # Still in review with every channel called off: nothing could ever publish.
            self._move(State.WITHDRAWN, "all_deliveries_cancelled", SYSTEM, at)

    def mark_delivery_published(
        self, channel: str, by: Person, at: datetime, url: str | None = None
    ) -> None:
        """A person checked the network and found the post there (after an unknown outcome)."""
        self._delivery(channel, DONE["mark_published"], lambda d: d.mark_published(url))
        self.record("delivery_marked_published", by, at, channel=channel)
        self._settle(at)

    # -- helpers -------------------------------------------------------------------------------

    def _require_approved(self) -> None:
        if self.approved_revision is None:
            raise IllegalTransition(self.id, self.state.value, "published without approval")

    def _delivery(self, channel: str, doing: str, move: Callable[[Delivery], None]) -> Delivery:
        """Ask one delivery to move; a move its state refuses reads as a sentence."""
        delivery = self.deliveries.get(channel)
        if delivery is None:
            raise IllegalTransition(self.id, f"not going to {channel}", doing)
        try:
            move(delivery)
        except DeliveryMoveRefused as refused:
            raise IllegalTransition(self.id, f"{refused.state.value} on {channel}", doing) from None
        return delivery

    def _settle(self, at: datetime) -> None:
        states = {d.state for d in self.deliveries.values()}
        if states & {DeliveryState.PUBLISHING, DeliveryState.SCHEDULED}:
            return
        if states == {DeliveryState.CANCELLED}:
            # Every channel was called off before anything went out: nothing will publish.
            self._move(State.WITHDRAWN, "all_deliveries_cancelled", SYSTEM, at)
        elif states <= {DeliveryState.PUBLISHED, DeliveryState.CANCELLED}:
            if self.state is not State.PUBLISHED:
                self._move(State.PUBLISHED, "published", SYSTEM, at)
        elif states <= {DeliveryState.PUBLISHED, DeliveryState.CANCELLED, DeliveryState.HELD}:
            return  # held by a blackout: waiting for a person's decision, nothing has failed
        elif self.state is not State.FAILED:
            # FAILED here means "a person has to decide": a refusal, an unknown or a miss.
            self._move(State.FAILED, "failed", SYSTEM, at)

    def _reset_deliveries(self, channels: Sequence[str]) -> None:
        self.deliveries = {
            ch: replace(self.deliveries[ch], state=DeliveryState.WAITING, rules_waived=False)
            if ch in self.deliveries
            else Delivery(new_id(), ch)
            for ch in channels
        }

    def _cancel_deliveries(self) -> None:
        for delivery in self.deliveries.values():
            if delivery.state in (
                DeliveryState.WAITING,
                DeliveryState.SCHEDULED,
                DeliveryState.HELD,
            ):
                delivery.state = DeliveryState.CANCELLED


def new_post(
    content: Content,
    proposer: Person,
    at: datetime,
    *,
    problems: Sequence[str] = (),
    findings: Sequence[PostFinding] = (),
    tags: Sequence[str] = (),
    campaign: str | None = None,
    urgent: bool = False,
    idempotency_key: str | None = None,
) -> Post:
    """A fresh proposal in review. Its id is 0 until the repository assigns the number."""
    revision = Revision(
        id=new_id(),
        number=1,
        content=content,
        author=proposer,
        created_at=at,
        hash=content.content_hash(),
        problems=tuple(problems),
        findings=tuple(findings),
    )
    return Post(
        id=0,
        proposer=proposer,
        revisions=[revision],
        tags=tuple(tags),
        campaign=campaign,
        urgent=urgent,
        deliveries={ch: Delivery(new_id(), ch) for ch in content.channels},
        created_at=at,
        idempotency_key=idempotency_key,
    )


__all__ = [
    "ACTION_WORDS",
    "ALLOWED_FROM",
    "EDITABLE_STATES",
    "FINAL_STATES",
    "NEEDS_PERSON",
    "SYSTEM",
    "Approval",
    "AuditEvent",
    "Content",
    "Delivery",
    "DeliveryState",
    "Person",
    "Post",
    "Revision",
    "State",
    "ThreadRef",
    "audit_hash",
    "event_fields",
    "new_id",
    "new_post",
]
