"""What people decide about a post's deliveries: retry, publish now, reschedule, mark as
published, cancel.

Each decision is one transaction like every other workflow verb: the policy is asked, the post's
delivery move applied (bot/deliveries.py) and saved with compare-and-set, and the thread told
after the commit. `DeliveryDecisions` is a mixin of `Workflow`, so `workflow.retry_delivery(...)`
reads as before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot import timeparse
from bot.domain import NEEDS_PERSON, DeliveryState, Person, Post
from bot.errors import IllegalTransition, NotAllowed, UsageError
from bot.ports import Notice

if TYPE_CHECKING:
    from bot.workflow import Workflow


class DeliveryDecisions:
    """The delivery decisions of `Workflow` (approvers; the proposer may also cancel). Each
    method is typed `self: Workflow`: it uses the workflow's policy, transaction and thread."""

    def retry_delivery(
        self: Workflow, post_id: int, by: Person, channel: str | None = None
    ) -> Post:
        """Send a failed or unknown delivery again now (approvers only)."""
        return self._delivery_decision(
            post_id,
            by,
            channel,
            "retry",
            {DeliveryState.FAILED, DeliveryState.UNKNOWN},
            lambda post, ch, now: post.requeue_delivery(ch, by, now, now, "delivery_retried"),
            "asked to retry {channels}",
        )

    def publish_now(self: Workflow, post_id: int, by: Person, channel: str | None = None) -> Post:
        """Publish a delivery that was missed while Clearpost was down, now (approvers only)."""
        return self._delivery_decision(
            post_id,
            by,
            channel,
            "publish now",
            {DeliveryState.MISSED},
            lambda post, ch, now: post.requeue_delivery(ch, by, now, now, "delivery_publish_now"),
            "asked to publish {channels} now",
        )

    def reschedule_delivery(
        self: Workflow, post_id: int, by: Person, when: str | datetime, channel: str | None = None
    ) -> Post:
        """A new time for a missed, failed or unknown delivery of the approved post (approvers
        only); the approved content is unchanged, so it needs no new approval."""
        due = self.resolve_time(when)
        shown = timeparse.describe(due, self.zone)
        return self._delivery_decision(
            post_id,
            by,
            channel,
            "reschedule",
            set(NEEDS_PERSON),
            lambda post, ch, now: post.requeue_delivery(ch, by, now, due, "delivery_rescheduled"),
            "rescheduled {channels} for " + shown,
        )

    def mark_published(
        self: Workflow, post_id: int, by: Person, channel: str | None = None, url: str | None = None
    ) -> Post:
        """A person found the post on the network after an unknown outcome (approvers only)."""
        return self._delivery_decision(
            post_id,
            by,
            channel,
            "mark as published",
            set(NEEDS_PERSON),
            lambda post, ch, now: post.mark_delivery_published(ch, by, now, (url or "").strip()),
            "marked {channels} as published",
        )

    def cancel_delivery(
        self: Workflow, post_id: int, by: Person, channel: str | None = None
    ) -> Post:
        """Call off a channel that has not gone out (approvers, or the proposer)."""
        return self._delivery_decision(
            post_id,
            by,
            channel,
            "cancel",
            {DeliveryState.WAITING, DeliveryState.SCHEDULED, *NEEDS_PERSON},
            lambda post, ch, now: post.cancel_delivery(ch, by, now),
            "cancelled {channels}",
            proposer_may=True,
        )

    def _delivery_decision(
        self: Workflow,
        post_id: int,
        by: Person,
        channel: str | None,
        doing: str,
        states: set[DeliveryState],
        move: Callable[[Post, str, datetime], object],
        summary: str,
        proposer_may: bool = False,
    ) -> Post:
        chosen: list[str] = []

        def apply(post: Post, now: datetime) -> None:
            allowed = self.policy.is_approver(by) or (proposer_may and post.proposer.ref == by.ref)
            if not allowed:
                who = "approvers or the proposer" if proposer_may else "compliance approvers"
                raise NotAllowed(f"Only {who} can {doing} on post #{post.id}.")
            chosen[:] = _channels_in(post, channel, states, doing)
            for ch in chosen:
                move(post, ch, now)

        post = self._change(post_id, apply)
        text = f"{by.display} " + summary.format(channels=", ".join(chosen)) + "."
        for ch in chosen:
            self.tell(Notice(post, "delivery", by.display, text, channel=ch))
        return post


# "… so it cannot be <done>": the refusal reads as a sentence.
_DONE = {
    "retry": "retried",
    "publish now": "published now",
    "reschedule": "rescheduled",
    "mark as published": "marked as published",
    "cancel": "cancelled",
}


def _channels_in(
    post: Post, channel: str | None, states: set[DeliveryState], doing: str
) -> list[str]:
    """The named channel, or every delivery of the post this decision applies to."""
    if channel is not None:
        name = channel.strip().lower().lstrip("#")
        if name not in post.deliveries:
            going = ", ".join(post.deliveries) or "no channel"
            raise UsageError(f"Post #{post.id} is not going to `{name}`; it goes to {going}.")
        return [name]
    found = [ch for ch, d in post.deliveries.items() if d.state in states]
    if not found:
        raise IllegalTransition(post.id, "not waiting for anyone on any channel", _DONE[doing])
    return found
