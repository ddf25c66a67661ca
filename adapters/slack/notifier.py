"""SlackNotifier: the ChatNotifier port over slack-sdk's WebClient.

The workflow calls it after each commit. `announce` raises when the parent cannot be posted (the
workflow keeps the post and `announce_pending` tries again); what went wrong is remembered per
post so the listener can tell the proposer what to do about it.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.slack import blocks, budget, ids
from bot.domain import Post, ThreadRef
from bot.ports import Notice

log = logging.getLogger(__name__)

# A message's top-level text: Slack advises under 4,000 characters (truncated past 40,000).
TOP_TEXT = 3_500

# Web API errors a person can fix, and what to tell them. Anything else is reported generically.
FIXES: dict[str, str] = {
    "channel_not_found": (
        "the approval channel `{channel}` does not exist or is private without Clearpost in it. "
        "Ask your Slack admin to check SLACK_APPROVAL_CHANNEL (a channel id such as C0123456789) "
        "and to `/invite @Clearpost` there"
    ),
    "not_in_channel": (
        "Clearpost is not a member of the approval channel `{channel}`. "
        "Type `/invite @Clearpost` in that channel"
    ),
    "is_archived": (
        "the approval channel `{channel}` is archived. Ask your Slack admin for a new one"
    ),
    "ratelimited": "Slack is rate limiting Clearpost right now",
}


def explain(error: Exception, channel: str) -> str:
    """A sentence about why a Web API call failed, with what to do about it."""
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error", "unknown_error"))
        fix = FIXES.get(code)
        if fix:
            return fix.format(channel=channel)
        return f"Slack answered `{code}`"
    return "Slack could not be reached"


class SlackNotifier:
    """Posts the thread parent, updates it in place, replies in the thread, DMs the proposer."""

    platform = ids.PLATFORM

    def __init__(self, client: WebClient, approval_channel: str, zone: ZoneInfo) -> None:
        self.client = client
        self.approval_channel = approval_channel
        self.zone = zone
        self.failures: dict[int, str] = {}  # post id -> why the last announce failed

    def announce(self, post: Post) -> ThreadRef:
        try:
            response = self.client.chat_postMessage(
                channel=self.approval_channel,
                text=blocks.parent_text(post),
                blocks=blocks.parent_blocks(post, self.zone),
                unfurl_links=False,
                unfurl_media=False,
            )
        except Exception as exc:
            self.failures[post.id] = explain(exc, self.approval_channel)
            raise
        self.failures.pop(post.id, None)
        channel, ts = str(response["channel"]), str(response["ts"])
        log.info("post %s announced in %s (ts %s)", post.id, channel, ts)
        return ThreadRef(ids.PLATFORM, channel, ts, self.permalink(channel, ts))

    def permalink(self, channel: str, ts: str) -> str | None:
        try:
            return str(self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
        except SlackApiError as exc:
            log.warning("no permalink for %s/%s: %s", channel, ts, exc.response.get("error"))
            return None

    def notify(self, notice: Notice) -> None:
        """Each part is tried on its own, so a failed update still lets the DM go out."""
        post = notice.post
        thread = post.thread
        if thread is not None and thread.platform == ids.PLATFORM:
            self._try(
                "update",
                post,
                lambda: self.client.chat_update(
                    channel=thread.channel,
                    ts=thread.ts,
                    text=blocks.parent_text(post),
                    blocks=blocks.parent_blocks(post, self.zone),
                ),
            )
            self._try(
                "reply",
                post,
                lambda: self.client.chat_postMessage(
                    channel=thread.channel,
                    thread_ts=thread.ts,
                    # Reasons and comments are people's words: <!channel> in one pings nobody.
                    text=budget.clip(blocks.escape(notice.text), TOP_TEXT),
                    blocks=blocks.reply_blocks(notice),
                    unfurl_links=False,
                ),
            )
        link = f" <{thread.url}|Open the thread>" if thread and thread.url else ""
        dm_to = [p for p in notice.tell_people if p.platform == ids.PLATFORM]
        if notice.tell_proposer and post.proposer.platform == ids.PLATFORM:
            dm_to.insert(0, post.proposer)
        said = budget.clip(blocks.escape(notice.text), TOP_TEXT)
        for person in dict.fromkeys(dm_to):
            # A user id as the channel posts in the app's DM with that person (chat.postMessage).
            self._try(
                "dm",
                post,
                lambda user=person.user_id: self.client.chat_postMessage(
                    channel=user,
                    text=f"Post #{post.id}: {said}{link}",
                    unfurl_links=False,
                ),
            )

    def _try(self, what: str, post: Post, call: object) -> None:
        try:
            call()  # type: ignore[operator]
        except Exception as exc:  # one failed part must not stop the others
            code = exc.response.get("error") if isinstance(exc, SlackApiError) else None
            log.warning("post %s: slack %s failed (%s)", post.id, what, code or type(exc).__name__)
