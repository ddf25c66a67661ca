"""The Action.Execute buttons pressed after approval, in Teams: a delivery's Retry / Publish now /
Reschedule / Mark as published / Cancel, and Withdraw / Stop this post.

Each press goes to the same core verb as Slack's button and the console's command; the core
decides who may and when, and a refusal comes back on the card in the person's words. The card
that comes back is drawn for the person who pressed: only the buttons the core lets them use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from adapters.teams import cards, delivery_cards
from bot import timeparse
from bot.deliveries import DeliveryAction, offered
from bot.delivery_desk import stoppable
from bot.domain import ALLOWED_FROM, Person, Post
from bot.errors import ClearpostError
from bot.policies import ApprovalPolicy
from bot.workflow import Workflow

Core = Callable[..., Awaitable[Any]]

VERBS = frozenset(
    {
        delivery_cards.DELIVERY,
        delivery_cards.DELIVERY_REFRESH,
        delivery_cards.WITHDRAW,
        delivery_cards.STOP,
    }
)
PICK_A_TIME = "Pick the new day and time."


def may_act(workflow: Workflow, person: Person, post: Post, action: DeliveryAction) -> bool:
    try:
        workflow.check_may_act_on_delivery(person, post, action)
    except ClearpostError:
        return False
    return True


def may_withdraw(person: Person, post: Post) -> bool:
    """The proposer, while the post can still change (the rule `withdraw` applies)."""
    try:
        ApprovalPolicy.check_is_proposer(person, post, "withdraw")
    except ClearpostError:
        return False
    return post.state in ALLOWED_FROM["withdraw"]


def may_stop(workflow: Workflow, person: Person, post: Post) -> bool:
    return stoppable(post) and may_act(workflow, person, post, "cancel")


def post_buttons(workflow: Workflow, person: Person, post: Post) -> list[dict[str, Any]]:
    """Withdraw / Stop this post as this person may press them on the approval card."""
    return delivery_cards.post_buttons(
        post, may_withdraw(person, post), may_stop(workflow, person, post)
    )


class PostActions:
    """Answers the presses; `core` runs a synchronous core call on the bot's threads."""

    def __init__(
        self,
        workflow: Workflow,
        core: Core,
        approval_view: Callable[..., Awaitable[dict[str, Any]]],
    ) -> None:
        self.workflow = workflow
        self.core = core
        self.approval_view = approval_view

    async def on_press(
        self,
        verb: str,
        post_id: int,
        data: dict[str, Any],
        person: Person,
        decider: Person | None,
        refusal: str | None,
    ) -> dict[str, Any]:
        """`decider` is the person if the press may decide (a Teams work account), else None
        with `refusal` saying why."""
        if verb in (delivery_cards.WITHDRAW, delivery_cards.STOP):
            return await self._post_press(verb, post_id, data, person, decider, refusal)
        channel = str(data.get("channel") or "")
        notice = str(data.get("notice") or "")
        status, error = None, None
        if verb == delivery_cards.DELIVERY:
            action = delivery_cards.delivery_action(data.get("action"))
            if decider is None:
                error = refusal
            elif action is not None:
                try:
                    status = await self._decide(action, post_id, decider, channel, data)
                except ClearpostError as exc:
                    error = str(exc)
        reader = decider or person
        post = await self._post(post_id)
        if isinstance(post, dict):
            return post
        delivery = post.deliveries.get(channel)
        actions = offered(delivery.state) if delivery else ()
        mine = [a for a in actions if may_act(self.workflow, reader, post, a)]
        return delivery_cards.delivery_card(post, channel, notice, mine, status=status, error=error)

    async def _decide(
        self, action: DeliveryAction, post_id: int, by: Person, channel: str, data: dict[str, Any]
    ) -> str:
        """Carry out the press; what the person who pressed reads on the card."""
        workflow = self.workflow
        if action == "retry":
            await self.core(workflow.retry_delivery, post_id, by, channel)
            return f"{by.display} asked to retry {channel}; it will be sent again shortly."
        if action == "publish_now":
            await self.core(workflow.publish_now, post_id, by, channel)
            return f"{by.display} asked to publish {channel} now."
        if action == "mark_published":
            await self.core(workflow.mark_published, post_id, by, channel)
            return f"{by.display} marked {channel} as published."
        if action == "cancel":
            await self.core(workflow.cancel_delivery, post_id, by, channel)
            return f"{by.display} cancelled {channel}; it will not be published there."
        date, time = str(data.get("date") or "").strip(), str(data.get("time") or "").strip()
        if not date or not time:
            raise ClearpostError(PICK_A_TIME)
        post = await self.core(workflow.reschedule_delivery, post_id, by, f"{date} {time}", channel)
        when = post.deliveries[channel].next_attempt_at
        shown = timeparse.describe(when, workflow.zone) if when else f"{date} {time}"
        return f"{by.display} rescheduled {channel} for {shown}."

    async def _post_press(
        self,
        verb: str,
        post_id: int,
        data: dict[str, Any],
        person: Person,
        decider: Person | None,
        refusal: str | None,
    ) -> dict[str, Any]:
        status, error = None, None
        try:
            if verb == delivery_cards.WITHDRAW:
                reason = str(data.get("withdraw_reason") or "") or None
                await self.core(self.workflow.withdraw, post_id, person, reason)
                status = f"Withdrawn by {person.display}; it will not be published."
            elif decider is None:
                error = refusal
            else:
                await self.core(self.workflow.stop, post_id, decider)
                status = f"{decider.display} stopped the post; no channel will publish it."
        except ClearpostError as exc:
            error = str(exc)
        post = await self._post(post_id)
        if isinstance(post, dict):
            return post
        return await self.approval_view(post, decider or person, status=status, error=error)

    async def _post(self, post_id: int) -> Post | dict[str, Any]:
        """The post as it is now, or a card saying why there is none (a damaged button)."""
        try:
            found: Post = await self.core(self.workflow.get, post_id)
        except ClearpostError as exc:
            return cards.card([cards.text_block(str(exc), color="attention")])
        return found
