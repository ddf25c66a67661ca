"""Cards for what a person decides after approval, in Teams: a delivery that needs someone
(Retry / Publish now / Reschedule / Mark as published / Cancel, per channel), and the post as a
whole (Withdraw for the proposer, "Stop this post" for an approved post not yet gone out).

Pure builders. Which buttons a delivery shows is `offered()` (bot/deliveries.py), the table the
thread's sentences are written from; who may press them is asked of the core when a card is
rendered for one reader (the refresh) and again when a button is pressed. Destructive choices
(Cancel, Withdraw, Stop) open a small confirmation first (Action.ShowCard), and Reschedule opens
its date and time inputs the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from adapters.teams import cards
from adapters.teams.budget import clip, fit
from bot.deliveries import DeliveryAction
from bot.domain import Post

DELIVERY, DELIVERY_REFRESH = "delivery", "delivery_refresh"
WITHDRAW, STOP = "withdraw", "stop"
LABELS: dict[str, str] = {
    "retry": "Retry",
    "publish_now": "Publish now",
    "reschedule": "Reschedule",
    "mark_published": "Mark as published",
    "cancel": "Cancel",
}
NOTICE_CHARS = 2_000  # the thread's sentence, carried in the buttons to redraw the card


def _confirm(title: str, question: str, *inner: dict[str, Any]) -> dict[str, Any]:
    """A button that opens a small card with the question, any inputs, and the real action."""
    body: list[dict[str, Any]] = [cards.text_block(question)]
    body += [item for item in inner if not item["type"].startswith("Action.")]
    actions = [item for item in inner if item["type"].startswith("Action.")]
    return {
        "type": "Action.ShowCard",
        "title": title,
        "card": {"type": "AdaptiveCard", "body": body, "actions": actions},
    }


def delivery_button(post: Post, channel: str, action: str, notice: str) -> dict[str, Any] | None:
    """One channel's button for `action`, or None for an action Teams does not offer."""
    if action not in LABELS:
        return None
    title = f"{LABELS[action]} {channel}"
    data = {"post_id": post.id, "channel": channel, "action": action, "notice": notice}
    press = cards.execute_button(title, DELIVERY, data)
    if action == "reschedule":
        return _confirm(
            title,
            f"A new time for post #{post.id} on {channel}, in the practice's time zone; the "
            "approved text is unchanged.",
            {"type": "Input.Date", "id": "date", "label": "Publish on", "isRequired": True},
            {"type": "Input.Time", "id": "time", "label": "At", "isRequired": True},
            press,
        )
    if action == "cancel":
        question = f"Call off post #{post.id} on {channel}? It will not be published there."
        return _confirm(title, question, {**press, "title": f"Yes, cancel {channel}"})
    return press


def delivery_card(
    post: Post,
    channel: str,
    notice: str,
    actions: Iterable[str],
    *,
    status: str | None = None,
    error: str | None = None,
    refresh_users: Sequence[str] | None = None,
) -> cards.Card:
    """The thread's reply about one delivery, with its buttons; `status` is what was just
    done, `error` a refusal for the person who pressed. With `refresh_users`, each reader's
    client asks the bot for their own buttons."""
    wanted = list(actions)

    def build(limit: int | None) -> cards.Card:
        # The sentence rides in each button to redraw the card: clipped alike, so it fits.
        kept = clip(clip(notice, NOTICE_CHARS), limit)
        buttons = [b for a in wanted if (b := delivery_button(post, channel, a, kept))]
        body = [cards.plain_block(kept)]
        if status:
            body.append(cards.plain_block(clip(status, limit), weight="Bolder", separator=True))
        if error:
            body.append(cards.plain_block(clip(error, limit), color="attention", weight="Bolder"))
        built = cards.card(body, buttons)
        if refresh_users is not None:
            data = {"post_id": post.id, "channel": channel, "notice": kept}
            block: dict[str, Any] = {
                "action": cards.execute_button("Refresh", DELIVERY_REFRESH, data)
            }
            if refresh_users:
                block["userIds"] = list(dict.fromkeys(refresh_users))[: cards.MAX_REFRESH_USERS]
            built["refresh"] = block
        return built

    return fit(build)


def post_buttons(post: Post, may_withdraw: bool, may_stop: bool) -> list[dict[str, Any]]:
    """Withdraw (the proposer, while it can still change) and Stop this post (an approved post
    before any channel went out), each behind a confirmation."""
    found = []
    data = {"post_id": post.id}
    if may_withdraw:
        reason = {"type": "Input.Text", "id": "withdraw_reason", "label": "Why (optional)"}
        found.append(
            _confirm(
                "Withdraw",
                f"Withdraw post #{post.id}? It will not be published.",
                reason,
                cards.execute_button("Yes, withdraw it", WITHDRAW, data, style="destructive"),
            )
        )
    if may_stop:
        found.append(
            _confirm(
                "Stop this post",
                f"Stop post #{post.id}? No channel has published it yet; none will.",
                cards.execute_button("Yes, stop it", STOP, data, style="destructive"),
            )
        )
    return found


def delivery_action(raw: Any) -> DeliveryAction | None:
    """The action a card's button names, or None for anything else."""
    for action in LABELS:
        if raw == action:
            return action  # type: ignore[return-value]
    return None
