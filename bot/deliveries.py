"""A delivery: one channel of one post, and the moves made on it.

The dispatcher claims, resends, releases and finishes deliveries; people retry, publish now,
reschedule, cancel or mark one as published. `DeliveryMoves` holds those moves for `Post` (the
aggregate, in domain.py), so every change still goes through the post, is checked against its
state and appends to its audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.errors import IllegalTransition
from bot.people import SYSTEM, Person
from bot.states import NEEDS_PERSON, DeliveryState, State

if TYPE_CHECKING:
    from bot.domain import Post


@dataclass
class Delivery:
    """One channel of one post: its own state, so a post can succeed on three and fail on one."""

    id: str
    channel: str
    state: DeliveryState = DeliveryState.WAITING
    attempts: int = 0
    external_id: str | None = None
    url: str | None = None
    last_error: str | None = None
    next_attempt_at: datetime | None = None


class DeliveryMoves:
    """The delivery moves of `Post`; a mixin, so `post.start_publishing(...)` reads as before.
    Each method is typed `self: Post`: it uses the post's state, approvals and audit trail."""

    # -- publishing (the dispatcher's side) ---------------------------------------------------

    def start_publishing(
        self: Post, channel: str, by: Person, at: datetime, lease_until: datetime | None = None
    ) -> Delivery:
        """Claim one delivery for a publisher call. Only an approved revision gets this far.

        `lease_until` is how long the claim holds: a delivery still publishing after it was left
        by a dispatcher that died mid-call, and is resent or asked about, never blindly reposted.
        """
        self._require("start_publishing")
        if self.approved_revision is None:
            raise IllegalTransition(self.id, self.state.value, "published without approval")
        delivery = self.deliveries[channel]
        if delivery.state not in (DeliveryState.SCHEDULED, DeliveryState.FAILED):
            raise IllegalTransition(self.id, f"{delivery.state.value} on {channel}", "published")
        delivery.state = DeliveryState.PUBLISHING
        delivery.attempts += 1
        delivery.next_attempt_at = lease_until
        if self.state is not State.PUBLISHING:
            self._move(State.PUBLISHING, "publishing", by, at, channel=channel)
        else:
            self.record("delivery_claimed", by, at, channel=channel)
        return delivery

    def resume_publishing(
        self: Post, channel: str, at: datetime, lease_until: datetime
    ) -> Delivery:
        """Claim again a delivery whose dispatcher died mid-call; only for a network that
        recognises the repeated request by its idempotency key and will not post twice."""
        delivery = self._delivery_in(channel, {DeliveryState.PUBLISHING}, "sent again")
        if self.approved_revision is None:
            raise IllegalTransition(self.id, self.state.value, "published without approval")
        delivery.attempts += 1
        delivery.next_attempt_at = lease_until
        self.record("delivery_resent", SYSTEM, at, channel=channel, reason="lease expired")
        return delivery

    def finish_delivery(
        self: Post,
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
        delivery = self.deliveries[channel]
        delivery.state = outcome
        delivery.url = url or delivery.url
        delivery.external_id = external_id or delivery.external_id
        delivery.last_error = error
        delivery.next_attempt_at = retry_at
        action = "delivery_retry_planned" if outcome is DeliveryState.SCHEDULED else None
        self.record(
            action or f"delivery_{outcome.value}", SYSTEM, at, channel=channel, reason=error
        )
        self._settle(at)

    def release_delivery(self: Post, channel: str, at: datetime) -> None:
        """Give back a claim whose call never started (shutdown): it is due again at once."""
        delivery = self._delivery_in(channel, {DeliveryState.PUBLISHING}, "released")
        delivery.state = DeliveryState.SCHEDULED
        delivery.attempts = max(0, delivery.attempts - 1)
        delivery.next_attempt_at = None
        self.record("delivery_released", SYSTEM, at, channel=channel)

    def miss_delivery(self: Post, channel: str, at: datetime, reason: str) -> None:
        """It came due while Clearpost was down, longer ago than the grace window allows."""
        self._delivery_in(channel, {DeliveryState.SCHEDULED}, "marked missed")
        self.finish_delivery(channel, DeliveryState.MISSED, at, error=reason)

    # -- a person's decisions about deliveries -------------------------------------------------

    def requeue_delivery(
        self: Post, channel: str, by: Person, at: datetime, due: datetime, action: str
    ) -> Delivery:
        """Retry, publish now or reschedule: a delivery that needs a person goes out at `due`."""
        delivery = self._delivery_in(channel, NEEDS_PERSON, "sent again")
        if self.approved_revision is None:
            raise IllegalTransition(self.id, self.state.value, "published without approval")
        delivery.state = DeliveryState.SCHEDULED
        delivery.next_attempt_at = due
        delivery.last_error = None
        delivery.attempts = 0  # a person's decision starts a fresh round of retries and backoff
        if self.state is State.FAILED:
            self._move(State.PUBLISHING, action, by, at, channel=channel)
        else:
            self.record(action, by, at, channel=channel)
        return delivery

    def cancel_delivery(self: Post, channel: str, by: Person, at: datetime) -> None:
        """This channel will not be published (the others go on)."""
        allowed = {DeliveryState.SCHEDULED, DeliveryState.WAITING, *NEEDS_PERSON}
        delivery = self._delivery_in(channel, allowed, "cancelled")
        delivery.state = DeliveryState.CANCELLED
        delivery.next_attempt_at = None
        self.record("delivery_cancelled", by, at, channel=channel)
        if self.state in (State.APPROVED, State.PUBLISHING, State.FAILED):
            self._settle(at)
        elif all(d.state is DeliveryState.CANCELLED for d in self.deliveries.values()):
            # Still in review with every channel called off: nothing could ever publish.
            self._move(State.WITHDRAWN, "all_deliveries_cancelled", SYSTEM, at)

    def mark_delivery_published(
        self: Post, channel: str, by: Person, at: datetime, url: str | None = None
    ) -> None:
        """A person checked the network and found the post there (after an unknown outcome)."""
        delivery = self._delivery_in(channel, NEEDS_PERSON, "marked as published")
        delivery.state = DeliveryState.PUBLISHED
        delivery.url = url or delivery.url
        delivery.last_error = None
        delivery.next_attempt_at = None
        self.record("delivery_marked_published", by, at, channel=channel)
        self._settle(at)

    def _delivery_in(
        self: Post, channel: str, states: frozenset[DeliveryState] | set[DeliveryState], doing: str
    ) -> Delivery:
        delivery = self.deliveries.get(channel)
        if delivery is None:
            raise IllegalTransition(self.id, f"not going to {channel}", doing)
        if delivery.state not in states:
            raise IllegalTransition(self.id, f"{delivery.state.value} on {channel}", doing)
        return delivery

    def _settle(self: Post, at: datetime) -> None:
        states = {d.state for d in self.deliveries.values()}
        if states & {DeliveryState.PUBLISHING, DeliveryState.SCHEDULED}:
            return
        if states == {DeliveryState.CANCELLED}:
            # Every channel was called off before anything went out: nothing will publish.
            self._move(State.WITHDRAWN, "all_deliveries_cancelled", SYSTEM, at)
        elif states <= {DeliveryState.PUBLISHED, DeliveryState.CANCELLED}:
            if self.state is not State.PUBLISHED:
                self._move(State.PUBLISHED, "published", SYSTEM, at)
        elif self.state is not State.FAILED:
            # FAILED here means "a person has to decide": a refusal, an unknown or a miss.
            self._move(State.FAILED, "failed", SYSTEM, at)
