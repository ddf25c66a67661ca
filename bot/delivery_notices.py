"""What the approval thread reads about a delivery: one sentence per outcome, and its buttons.

The dispatcher decides what happened (dispatch.py); this module only words it, so every sentence a
person sees about publishing is in one place. Messages carry channel names, times and the
network's own plain reason, never post text.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import timeparse
from bot.deliveries import offered
from bot.domain import SYSTEM, DeliveryState, Post
from bot.ports import Notice

# Recorded as the reason of a missed delivery (the audit trail and the delivery's last error).
MISSED_REASON = "missed while Clearpost was down"


def stopped_mid_call(channel: str) -> str:
    """A claim whose lease ran out on a network that cannot recognise a repeated request."""
    return f"Clearpost stopped while publishing on {channel}, so it may have posted."


def no_publisher(channel: str) -> str:
    return f"No publisher is set up for `{channel}`; run `clearpost channels check`."


PUBLISHER_FAILED_RETRYING = "The publisher failed unexpectedly; trying again."


def publisher_failed(channel: str) -> str:
    return f"Publishing on {channel} failed unexpectedly."


def gave_up(attempts: int) -> str:
    """The kind shown for a transient failure that ran out of attempts."""
    return f"gave up after {attempts} attempts"


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return timeparse.describe(moment.astimezone(UTC), zone)


def published_notice(post: Post, channel: str) -> Notice:
    url = post.deliveries[channel].url
    text = f"Published on {channel}: {url}" if url else f"Published on {channel}."
    return Notice(post, "delivery", SYSTEM.display, text, channel=channel)


def retry_notice(post: Post, channel: str, message: str, at: datetime, zone: ZoneInfo) -> Notice:
    text = f"Not published on {channel} yet: {message} Trying again at {_when(at, zone)}."
    return Notice(post, "delivery", SYSTEM.display, text, channel=channel)


def failure_notice(post: Post, channel: str, kind: str, message: str) -> Notice:
    """`kind` is "unknown" (it may have posted: check first), "permanent", or a phrase such as
    `gave_up(5)` shown in brackets."""
    if kind == "unknown":
        text = (
            f"{message} Check {channel}, then press Retry if it is not there, "
            "or Mark as published if it is."
        )
        state = DeliveryState.UNKNOWN
    else:
        why = "" if kind == "permanent" else f" ({kind})"
        text = (
            f"Could not publish on {channel}{why}: {message} "
            "Fix what it says, then Retry, or Cancel this channel (Mark as published if it "
            "went out after all)."
        )
        state = DeliveryState.FAILED
    return _for_a_person(post, channel, text, offered(state))


def missed_notice(
    post: Post, channel: str, due: datetime, zone: ZoneInfo, late_after: timedelta
) -> Notice:
    minutes = int(late_after.total_seconds() // 60)
    text = (
        f"Not published on {channel}: it was due {_when(due, zone)}, while Clearpost was not "
        f"running, more than {minutes} minutes ago. Publish now, Reschedule, or Cancel."
    )
    return _for_a_person(post, channel, text, offered(DeliveryState.MISSED))


def held_notice(
    post: Post, channel: str, due: datetime, rule: str, opens: datetime, zone: ZoneInfo
) -> Notice:
    """A delivery caught by a blackout or quiet hours that came after its approval."""
    text = (
        f"Held on {channel}: it is due {_when(due, zone)}, inside {rule}. Nothing was published. "
        f"Reschedule it (the next allowed time is {_when(opens, zone)}), Publish now anyway "
        "(an approver), or Cancel."
    )
    return _for_a_person(post, channel, text, offered(DeliveryState.HELD))


def _for_a_person(post: Post, channel: str, text: str, actions: tuple[str, ...]) -> Notice:
    """A delivery a person has to decide about: the proposer hears too, and gets the buttons."""
    return Notice(
        post, "delivery", SYSTEM.display, text, tell_proposer=True, channel=channel, actions=actions
    )
