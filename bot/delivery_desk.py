"""What people decide about a post's deliveries: retry, publish now, reschedule, mark as
published, cancel.

Which action a delivery allows is `ACTIONS_IN` (deliveries.py), the same table the thread's
buttons come from, whether a person names one channel or leaves it to every channel that fits.
Each decision is one transaction: the policy is asked, the post's delivery move applied and
saved with compare-and-set, and the thread told after the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot import timeparse
from bot.deliveries import DONE, DeliveryAction, allowed
from bot.domain import DeliveryState, Person, Post, State
from bot.drafting import Drafting
from bot.errors import IllegalTransition, UsageError
from bot.policies import ApprovalPolicy
from bot.ports import Notice
from bot.service import Service


@dataclass
class DeliveryDesk:
    service: Service
    drafting: Drafting
    policy: ApprovalPolicy

    def retry(self, post_id: int, by: Person, channel: str | None = None) -> Post:
        """Send a failed or unknown delivery again now (approvers only)."""
        return self._decide(
            post_id,
            by,
            channel,
            "retry",
            lambda post, ch, now: post.requeue_delivery(ch, by, now, now, "retry"),
            "asked to retry {channels}",
        )

    def publish_now(self, post_id: int, by: Person, channel: str | None = None) -> Post:
        """Publish a missed delivery now, or a held one anyway, whatever blackout or quiet hours
        held it (approvers only)."""
        return self._decide(
            post_id,
            by,
            channel,
            "publish_now",
            lambda post, ch, now: post.requeue_delivery(ch, by, now, now, "publish_now"),
            "asked to publish {channels} now",
        )

    def reschedule(
        self, post_id: int, by: Person, when: str | datetime, channel: str | None = None
    ) -> Post:
        """A new time for a missed or held delivery of the approved post (approvers only); the
        approved content is unchanged, so it needs no new approval. A time inside a blackout or
        the channel's quiet hours is refused, as at propose time."""
        due = self.drafting.resolve_time(when)
        shown = timeparse.describe(due, self.service.zone)

        def move(post: Post, channel: str, now: datetime) -> None:
            self.drafting.rules.check([channel], due)
            post.requeue_delivery(channel, by, now, due, "reschedule")

        return self._decide(
            post_id, by, channel, "reschedule", move, "rescheduled {channels} for " + shown
        )

    def mark_published(
        self, post_id: int, by: Person, channel: str | None = None, url: str | None = None
    ) -> Post:
        """A person found the post on the network after an unknown outcome (approvers only)."""
        return self._decide(
            post_id,
            by,
            channel,
            "mark_published",
            lambda post, ch, now: post.mark_delivery_published(ch, by, now, (url or "").strip()),
            "marked {channels} as published",
        )

    def cancel(self, post_id: int, by: Person, channel: str | None = None) -> Post:
        """Call off a channel that has not gone out (approvers, or the proposer)."""
        return self._decide(
            post_id,
            by,
            channel,
            "cancel",
            lambda post, ch, now: post.cancel_delivery(ch, by, now),
            "cancelled {channels}",
        )

    def stop(self, post_id: int, by: Person) -> Post:
        """ "Stop this post": call off every channel of an approved post before any has gone
        out (approvers, or the proposer); each channel's cancellation is audited, and the post
        ends withdrawn. Refused once a channel is publishing or published."""
        chosen: list[str] = []

        def apply(post: Post, now: datetime) -> None:
            self.policy.check_can_act_on_delivery(by, post, "cancel")
            if not stoppable(post):
                raise IllegalTransition(post.id, _why_not_stoppable(post), "stopped")
            chosen[:] = _channels_for(post, None, "cancel")
            for ch in chosen:
                post.cancel_delivery(ch, by, now)

        post = self.service.change(post_id, apply)
        text = f"{by.display} stopped the post: {', '.join(chosen)} will not be published."
        self.service.tell(Notice(post, "stopped", by.display, text, tell_proposer=True))
        return post

    def _decide(
        self,
        post_id: int,
        by: Person,
        channel: str | None,
        action: DeliveryAction,
        move: Callable[[Post, str, datetime], object],
        summary: str,
    ) -> Post:
        chosen: list[str] = []

        def apply(post: Post, now: datetime) -> None:
            self.policy.check_can_act_on_delivery(by, post, action)
            chosen[:] = _channels_for(post, channel, action)
            for ch in chosen:
                move(post, ch, now)

        post = self.service.change(post_id, apply)
        text = f"{by.display} " + summary.format(channels=", ".join(chosen)) + "."
        for ch in chosen:
            self.service.tell(Notice(post, "delivery", by.display, text, channel=ch))
        return post


def _channels_for(post: Post, channel: str | None, action: DeliveryAction) -> list[str]:
    """The named channel, or every delivery of the post in a state that allows the action."""
    if channel is not None:
        name = channel.strip().lower().lstrip("#")
        if name not in post.deliveries:
            going = ", ".join(post.deliveries) or "no channel"
            raise UsageError(f"Post #{post.id} is not going to `{name}`; it goes to {going}.")
        return [name]
    states = allowed(action)
    found = [ch for ch, d in post.deliveries.items() if d.state in states]
    if not found:
        raise IllegalTransition(post.id, "not waiting for anyone on any channel", DONE[action])
    return found


def stoppable(post: Post) -> bool:
    """Whether "Stop this post" applies: approved, and no channel has gone out or is going."""
    gone = {DeliveryState.PUBLISHING, DeliveryState.PUBLISHED}
    states = {d.state for d in post.deliveries.values()}
    return post.state is State.APPROVED and not states & gone and bool(states & allowed("cancel"))


def _why_not_stoppable(post: Post) -> str:
    if post.state is State.APPROVED:
        return "already going out"
    return post.state.value
