"""A delivery: one channel of one post, its own state, and the moves it may make.

`ACTIONS_IN` is the one table of what a person may do about a delivery in each state: the
thread's buttons, the sentences that name them and the decisions that carry them out all read
it. A `Delivery` checks and makes its own moves; `Post` (domain.py) stays the aggregate root: it
asks the delivery to move, checks what only the post knows (is a revision approved?) and records
the audit event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.states import NEEDS_PERSON, DeliveryState

DeliveryAction = Literal["retry", "publish_now", "reschedule", "mark_published", "cancel"]

# What a person may do about a delivery, by its state. A state missing here allows nothing.
ACTIONS_IN: Mapping[DeliveryState, tuple[DeliveryAction, ...]] = {
    DeliveryState.WAITING: ("cancel",),
    DeliveryState.SCHEDULED: ("cancel",),
    DeliveryState.FAILED: ("retry", "mark_published", "cancel"),
    DeliveryState.UNKNOWN: ("retry", "mark_published", "cancel"),
    DeliveryState.MISSED: ("publish_now", "reschedule", "cancel"),
    DeliveryState.HELD: ("publish_now", "reschedule", "cancel"),
}

# "… so it cannot be <done>": each action as the end of a refusal sentence.
DONE: Mapping[DeliveryAction, str] = {
    "retry": "retried",
    "publish_now": "published now",
    "reschedule": "rescheduled",
    "mark_published": "marked as published",
    "cancel": "cancelled",
}


def allowed(action: DeliveryAction) -> frozenset[DeliveryState]:
    """The states in which a person may take this action."""
    return frozenset(state for state, actions in ACTIONS_IN.items() if action in actions)


def offered(state: DeliveryState) -> tuple[DeliveryAction, ...]:
    """The buttons a delivery shows: only where a person has to decide what happens next."""
    return ACTIONS_IN.get(state, ()) if state in NEEDS_PERSON else ()


class DeliveryMoveRefused(Exception):
    """A move this delivery's state does not allow; Post turns it into IllegalTransition."""

    def __init__(self, state: DeliveryState) -> None:
        super().__init__(state.value)
        self.state = state


@dataclass
class Delivery:
    """One channel of one post: its own state, so a post can succeed on three and fail on one.

    While PUBLISHING, `next_attempt_at` is the claim's lease: it names the claim, so the outcome
    of an older call is never mistaken for the outcome of the current one. `rules_waived` is an
    approver's "publish now" after a hold: blackouts and quiet hours no longer hold it back."""

    id: str
    channel: str
    state: DeliveryState = DeliveryState.WAITING
    attempts: int = 0
    external_id: str | None = None
    url: str | None = None
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    rules_waived: bool = False

    def _require(self, *states: DeliveryState) -> None:
        if self.state not in states:
            raise DeliveryMoveRefused(self.state)

    # -- the dispatcher's moves ------------------------------------------------------------------

    def claim(self, lease_until: datetime | None) -> None:
        self._require(DeliveryState.SCHEDULED, DeliveryState.FAILED)
        self.state = DeliveryState.PUBLISHING
        self.attempts += 1
        self.next_attempt_at = lease_until

    def resend(self, lease_until: datetime) -> None:
        """A new claim on a call whose dispatcher died (idempotent networks only)."""
        self._require(DeliveryState.PUBLISHING)
        self.attempts += 1
        self.next_attempt_at = lease_until

    def release(self) -> None:
        """A claim whose call never started: due again at once, no attempt spent."""
        self._require(DeliveryState.PUBLISHING)
        self.state = DeliveryState.SCHEDULED
        self.attempts = max(0, self.attempts - 1)
        self.next_attempt_at = None

    def finish(
        self,
        outcome: DeliveryState,
        *,
        url: str | None = None,
        external_id: str | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """What the network said. SCHEDULED with `retry_at` means "try again then"."""
        self.state = outcome
        self.url = url or self.url
        self.external_id = external_id or self.external_id
        self.last_error = error
        self.next_attempt_at = retry_at

    def is_claim(self, lease_until: datetime | None) -> bool:
        """Is a call made under this lease the delivery's current claim?"""
        return self.state is DeliveryState.PUBLISHING and self.next_attempt_at == lease_until

    # -- a person's moves --------------------------------------------------------------------------

    def requeue(self, action: DeliveryAction, due: datetime) -> None:
        """Retry, publish now or reschedule: out at `due`, with a fresh round of attempts."""
        self._require(*allowed(action))
        self.state = DeliveryState.SCHEDULED
        self.next_attempt_at = due
        self.last_error = None
        self.attempts = 0
        # A person who says "publish now" has seen why it was held; a new time is checked anew.
        self.rules_waived = action == "publish_now"

    def hold(self) -> None:
        """Due inside a blackout or quiet hours: nothing is sent until a person decides."""
        self._require(DeliveryState.SCHEDULED)
        self.state = DeliveryState.HELD
        self.next_attempt_at = None

    def cancel(self) -> None:
        self._require(*allowed("cancel"))
        self.state = DeliveryState.CANCELLED
        self.next_attempt_at = None

    def mark_published(self, url: str | None) -> None:
        self._require(*allowed("mark_published"))
        self.state = DeliveryState.PUBLISHED
        self.url = url or self.url
        self.last_error = None
        self.next_attempt_at = None
