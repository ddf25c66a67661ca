"""The states a post and each of its deliveries can be in.

Kept apart from the classes that move between them (domain.py, deliveries.py) so both can name
them without importing each other.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    FAILED = "failed"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


FINAL_STATES = frozenset({State.PUBLISHED, State.REJECTED, State.WITHDRAWN})
EDITABLE_STATES = frozenset({State.IN_REVIEW, State.CHANGES_REQUESTED, State.APPROVED})


class DeliveryState(StrEnum):
    WAITING = "waiting"  # the post is not approved yet
    SCHEDULED = "scheduled"  # approved; due at the post's time
    PUBLISHING = "publishing"  # claimed by a dispatcher; a publisher call is in flight
    PUBLISHED = "published"
    FAILED = "failed"
    UNKNOWN = "unknown"  # a call may or may not have reached the network: a person decides
    CANCELLED = "cancelled"
    MISSED = "missed"  # came due while Clearpost was down, past the grace window: a person decides
    HELD = "held"  # due inside a blackout or quiet hours added after approval: a person decides


# Delivery states in which a person has to decide what happens next.
NEEDS_PERSON = frozenset(
    {DeliveryState.FAILED, DeliveryState.UNKNOWN, DeliveryState.MISSED, DeliveryState.HELD}
)
