"""Block Kit builders: pure functions, domain objects in, dicts out. No Web API calls here.

Times are shown with Slack's date formatting (`<!date^…>`) so each reader sees their own zone;
the fallback text after `|` is the practice's zone, for clients that cannot format dates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from adapters.slack import ids
from bot import timeparse
from bot.deliveries import offered
from bot.domain import ALLOWED_FROM, DeliveryState, Post, State
from bot.ports import Notice

Block = dict[str, Any]

SECTION_LIMIT = 2900  # Slack refuses section text over 3000 characters
OPTION_LIMIT = 100  # static select menus take at most 100 options

STATE_LINES: dict[State, str] = {
    State.IN_REVIEW: ":hourglass_flowing_sand: Waiting for approval",
    State.CHANGES_REQUESTED: ":pencil2: Changes requested",
    State.APPROVED: ":white_check_mark: Approved, scheduled",
    State.PUBLISHING: ":outbox_tray: Publishing",
    State.PUBLISHED: ":tada: Published",
    State.REJECTED: ":no_entry: Rejected",
    State.WITHDRAWN: ":leftwards_arrow_with_hook: Withdrawn",
    State.FAILED: ":warning: Publishing failed on a channel",
}


def escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> dict[str, Any]:
    """A plain_text object: shown as written, never formatted, linked or turned into emoji."""
    return {"type": "plain_text", "text": text, "emoji": False}


def clip(text: str, limit: int = SECTION_LIMIT) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"… ({len(text)} characters in all)"


def slack_time(moment: datetime, zone: ZoneInfo) -> str:
    fallback = timeparse.describe(moment, zone)
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def status_line(post: Post) -> str:
    line = STATE_LINES.get(post.state, post.state.label)
    if post.state is State.IN_REVIEW and post.approvals:
        line += f" ({len(post.live_approvals())} approval so far)"
    return f"*Post #{post.id}* · {line} · revision {post.revision.number}"


def _button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def decision_value(post: Post) -> str:
    """What a decision button carries: the post and the revision it was shown for."""
    return f"{post.id}:{post.revision.hash}"


def parse_decision_value(value: str) -> tuple[int, str | None]:
    number, _, revision_hash = value.partition(":")
    return int(number), revision_hash or None


def post_buttons(post: Post) -> list[Block]:
    """The moves the post's state allows; none once it is final."""
    value = decision_value(post)
    buttons: list[Block] = []
    if post.state in ALLOWED_FROM["approve"]:
        buttons.append(_button("Approve", ids.ACTION_APPROVE, value, "primary"))
    if post.state in ALLOWED_FROM["request_changes"]:
        buttons.append(_button("Request changes", ids.ACTION_REQUEST_CHANGES, value))
    if post.state in ALLOWED_FROM["reject"]:
        buttons.append(_button("Reject", ids.ACTION_REJECT, value, "danger"))
    if post.state in ALLOWED_FROM["revise"]:
        buttons.append(_button("Edit", ids.ACTION_EDIT, value))
    return buttons


def delivery_value(post: Post, channel: str) -> str:
    return f"{post.id}:{channel}"


def parse_delivery_value(value: str) -> tuple[int, str]:
    number, _, channel = value.partition(":")
    return int(number), channel


def _delivery_action_buttons(post: Post, channel: str, actions: Sequence[str]) -> list[Block]:
    buttons = []
    for name in actions:
        if name not in ids.DELIVERY_ACTIONS:
            continue  # an action this adapter does not offer yet stays in the text only
        action_id, label = ids.DELIVERY_ACTIONS[name]
        style = "primary" if name in ("retry", "publish_now") else None
        buttons.append(
            _button(f"{label} {channel}", action_id, delivery_value(post, channel), style)
        )
    return buttons


def delivery_buttons(post: Post) -> list[Block]:
    """The buttons for each channel a person has to decide about."""
    buttons: list[Block] = []
    for delivery in post.deliveries.values():
        actions = offered(delivery.state)
        buttons += _delivery_action_buttons(post, delivery.channel, actions)
    return buttons


def _deliveries_line(post: Post) -> str | None:
    if all(d.state is DeliveryState.WAITING for d in post.deliveries.values()):
        return None
    parts = []
    for d in post.deliveries.values():
        part = f"{d.channel}: {d.state.value}"
        if d.url:
            part = f"<{d.url}|{d.channel}>: {d.state.value}"
        parts.append(part)
    return " · ".join(parts)


def parent_text(post: Post) -> str:
    """Notification fallback: no post text, since it can hold PHI until approved."""
    return f"Post #{post.id} by {post.proposer.display}: {post.state.label}"


def parent_blocks(post: Post, zone: ZoneInfo) -> list[Block]:
    """The thread parent in the approval channel, rebuilt whole on every change."""
    content = post.content
    urgent = " :rotating_light: *Urgent*" if post.urgent else ""
    facts = (
        f"Proposed by <@{post.proposer.user_id}>"
        if post.proposer.platform == ids.PLATFORM
        else f"Proposed by {escape(post.proposer.display)}"
    )
    facts += f" · {', '.join(content.channels)} · {slack_time(content.scheduled_at, zone)}{urgent}"
    blocks: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": status_line(post)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": facts}]},
        # What a person wrote is shown as plain text: exactly what will be published, with no
        # formatting, mention or link made from it (mrkdwn would still render *bold* and _it_).
        {"type": "section", "text": plain(clip(content.text))},
    ]
    for channel, text in content.overrides.items():
        blocks.append({"type": "section", "text": plain(f"{channel}: {clip(text)}")})
    extras = [f"Media: {m}" for m in content.media]
    if content.link:
        extras.append(f"Link: {content.link}")
    if content.notes:
        extras.append(f"Notes to the reviewer: {content.notes}")
    extras += [f"⚠️ {p}" for p in post.revision.problems]
    if extras:
        blocks.append({"type": "context", "elements": [plain(clip(t)) for t in extras]})
    deliveries = _deliveries_line(post)
    if deliveries:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": deliveries}]})
    buttons = post_buttons(post) + delivery_buttons(post)
    if buttons:
        blocks.append({"type": "actions", "block_id": f"post_{post.id}", "elements": buttons})
    return blocks


def reply_blocks(notice: Notice) -> list[Block]:
    """One thread reply: the sentence, and Retry/Cancel when a delivery needs a person."""
    blocks: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": clip(escape(notice.text))}}
    ]
    if notice.kind == "delivery" and notice.channel and notice.actions:
        buttons = _delivery_action_buttons(notice.post, notice.channel, notice.actions)
        if buttons:
            blocks.append({"type": "actions", "elements": buttons})
    return blocks


# -- modals -----------------------------------------------------------------------------------


def _input(
    block_id: str, label: str, element: Block, optional: bool = False, hint: str = ""
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _option(name: str) -> Block:
    return {"text": {"type": "plain_text", "text": name}, "value": name}


def proposal_modal(
    *,
    callback_id: str,
    title: str,
    submit: str,
    channels: Sequence[str],
    zone: ZoneInfo,
    private_metadata: dict[str, Any],
    text: str = "",
    chosen: Sequence[str] = (),
    when: datetime | None = None,
    media: Sequence[str] = (),
    notes: str | None = None,
    urgent: bool = False,
) -> Block:
    """The proposal form, empty or prefilled (message shortcut, Edit)."""
    channel_select: Block = {
        "type": "multi_static_select",
        "placeholder": {"type": "plain_text", "text": "Where to publish"},
        "options": [_option(c) for c in list(channels)[:OPTION_LIMIT]],
    }
    picked = [c for c in chosen if c in channels]
    if picked:
        channel_select["initial_options"] = [_option(c) for c in picked]
    date_picker: Block = {"type": "datepicker"}
    time_picker: Block = {"type": "timepicker"}
    if when is not None:
        local = when.astimezone(zone)
        date_picker["initial_date"] = local.strftime("%Y-%m-%d")
        time_picker["initial_time"] = local.strftime("%H:%M")
    text_input: Block = {"type": "plain_text_input", "multiline": True}
    if text:
        text_input["initial_value"] = text[:3000]
    urls: Block = {"type": "plain_text_input", "multiline": True}
    if media:
        urls["initial_value"] = "\n".join(media)
    notes_input: Block = {"type": "plain_text_input", "multiline": True}
    if notes:
        notes_input["initial_value"] = notes
    urgent_option = {"text": {"type": "plain_text", "text": "Urgent"}, "value": "urgent"}
    urgent_box: Block = {"type": "checkboxes", "options": [urgent_option]}
    if urgent:
        urgent_box["initial_options"] = [urgent_option]
    zone_name = zone.key
    blocks = [
        _input(ids.FIELD_CHANNELS, "Channels", channel_select),
        _input(ids.FIELD_DATE, "Publish on", date_picker),
        _input(ids.FIELD_TIME, f"At ({zone_name} time)", time_picker),
        _input(ids.FIELD_TEXT, "Text", text_input),
        _input(
            ids.FIELD_MEDIA_FILES,
            "Media files",
            {"type": "file_input", "max_files": 4},
            optional=True,
        ),
        _input(ids.FIELD_MEDIA_URLS, "Media URLs", urls, optional=True, hint="One per line"),
        _input(ids.FIELD_NOTES, "Notes to the reviewer", notes_input, optional=True),
        _input(ids.FIELD_URGENT, "Priority", urgent_box, optional=True),
    ]
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(private_metadata),
        "blocks": blocks,
    }


REASON_WORDS = {
    ids.ACTION_REQUEST_CHANGES: ("Request changes", "Send back", "What should change?"),
    ids.ACTION_REJECT: ("Reject post", "Reject", "Why is it rejected?"),
}


def reason_modal(post: Post, action: str, private_metadata: dict[str, Any]) -> Block:
    title, submit, label = REASON_WORDS[action]
    return {
        "type": "modal",
        "callback_id": ids.VIEW_REASON,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(private_metadata),
        "blocks": [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"Post #{post.id} by {post.proposer.display}"},
            },
            _input(ids.FIELD_REASON, label, {"type": "plain_text_input", "multiline": True}),
        ],
    }


def reschedule_modal(post: Post, channel: str, private_metadata: dict[str, Any]) -> Block:
    zone_hint = "In the practice's time zone"
    return {
        "type": "modal",
        "callback_id": ids.VIEW_RESCHEDULE,
        "title": {"type": "plain_text", "text": "Reschedule"},
        "submit": {"type": "plain_text", "text": "Reschedule"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(private_metadata),
        "blocks": [
            _text(f"Post #{post.id} on {channel}: the approved text, at a new time."),
            _input(ids.FIELD_DATE, "Publish on", {"type": "datepicker"}),
            _input(ids.FIELD_TIME, "At", {"type": "timepicker"}, hint=zone_hint),
        ],
    }


# -- lists: /calendar and App Home ---------------------------------------------------------------


def post_line(post: Post, zone: ZoneInfo, show_text: bool = True) -> str:
    line = f"{slack_time(post.scheduled_at, zone)} · *#{post.id}* {post.state.label} · "
    line += ", ".join(post.channels)
    if show_text:
        line += f" · {escape(post.content.text[:80])}"
    if post.thread and post.thread.url:
        line += f" · <{post.thread.url}|thread>"
    return line


def calendar_blocks(posts: Sequence[Post], zone: ZoneInfo, days: int = 14) -> list[Block]:
    if not posts:
        return [_text(f"Nothing is scheduled in the next {days} days.")]
    lines = [post_line(p, zone) for p in posts]
    return [_text(f"*The next {days} days* ({len(posts)} posts)"), *_chunks(lines)]


def _text(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _chunks(lines: Sequence[str]) -> list[Block]:
    """Lines packed into sections under Slack's size limit."""
    blocks: list[Block] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > SECTION_LIMIT:
            blocks.append(_text(current))
            current = ""
        current = f"{current}\n{line}" if current else clip(line)
    if current:
        blocks.append(_text(current))
    return blocks[:40]  # a message holds 50 blocks at most


def home_view(
    mine: Sequence[Post],
    upcoming: Sequence[Post],
    queue: Sequence[Post] | None,
    zone: ZoneInfo,
) -> Block:
    """App Home: my proposals, the next 14 days, and for approvers what waits for them."""
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": "Clearpost"}}]
    if queue is not None:
        blocks.append(_text(f"*Waiting for your review* ({len(queue)}, oldest first)"))
        blocks += _chunks([post_line(p, zone) for p in queue]) or [_text("Nothing waits for you.")]
        blocks.append({"type": "divider"})
    blocks.append(_text("*My proposals*"))
    blocks += _chunks([post_line(p, zone) for p in mine]) or [
        _text("You have not proposed anything yet. Try `/propose`.")
    ]
    blocks.append({"type": "divider"})
    blocks += calendar_blocks(upcoming, zone)
    return {"type": "home", "blocks": blocks[:100]}
