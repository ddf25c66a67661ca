"""Account alerts in the approval channel: a token about to expire, a refresh refused.

They are about a channel's account, not about one post, so they go to the approval channel
itself (not a post's thread) on each chat platform this process talks to. Publishers are built
before the chat platforms, so the alerts are a late-bound target list: `attach(chats)` after.
A platform that cannot be reached loses the sentence (logged); the store keeps the state, so
`clearpost channels check` still shows it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

log = logging.getLogger(__name__)

Target = Callable[[str], None]


class ApprovalChannelAlerts:
    """A `Tell`: one sentence to every attached approval channel."""

    def __init__(self) -> None:
        self.targets: dict[str, Target] = {}

    def __call__(self, text: str) -> None:
        for platform, target in list(self.targets.items()):
            try:
                target(text)
            except Exception as exc:  # one platform down must not stop the others
                log.warning("account alert not delivered to %s (%s)", platform, type(exc).__name__)

    def attach(self, chats: Mapping[str, Any]) -> None:
        """`chats`: platform -> bootstrap.Chat; each known notifier gets a target."""
        for platform, chat in chats.items():
            target = target_for(chat.notifier)
            if target is not None:
                self.targets[platform] = target


def target_for(notifier: Any) -> Target | None:
    """How a platform's notifier says one sentence in its approval channel."""
    if hasattr(notifier, "client") and hasattr(notifier, "approval_channel"):  # Slack

        def slack(text: str) -> None:
            notifier.client.chat_postMessage(
                channel=notifier.approval_channel, text=text, unfurl_links=False
            )

        return slack
    if hasattr(notifier, "book") and hasattr(notifier, "send"):  # Teams
        return _teams_target(notifier)
    if hasattr(notifier, "write"):  # the console

        def console(text: str) -> None:
            notifier.write(f"[#approvals] {text}")

        return console
    return None


def _teams_target(notifier: Any) -> Target:
    def teams(text: str) -> None:
        from botbuilder.core import MessageFactory

        channel = notifier.book.approval_channel()
        if channel is None or notifier.loop is None:
            raise ConnectionError("no Teams approval channel yet")
        future = asyncio.run_coroutine_threadsafe(
            notifier.send(channel, MessageFactory.text(text)), notifier.loop
        )
        future.result(timeout=notifier.timeout)

    return teams
