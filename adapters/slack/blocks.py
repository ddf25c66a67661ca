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

from adapters.slack import budget, ids
from bot import timeparse
from bot.consent_findings import offers_consent, shown_findings
from bot.deliveries import offered
from bot.delivery_desk import stoppable
from bot.domain import ALLOWED_FROM, DeliveryState, Post, State
from bot.media import shown_described
from bot.ports import Notice
from bot.screening_gate import override_line

Block = dict[str, Any]

SECTION_LIMIT = budget.SECTION_LIMIT
OPTION_LIMIT = 100  # static select menus take at most 100 options
CONTEXT_LIMIT = 10  # elements in a context block
ACTIONS_LIMIT = 25  # elements in an actions block
BUTTON_TEXT = 75  # characters of a button's label
# The thread parent's shares of budget.MESSAGE_BUDGET (units of text): the rest is headings,
# buttons and the deliveries line.
TEXT_SHARE = 2_000
OVERRIDES_TEXT = 2_000
DETAIL_TEXT = 300
DETAILS_TEXT = 1_500
CHANNELS_TEXT = 700
DELIVERIES_TEXT = 1_000
CALENDAR_TEXT = 8_000  # /calendar's list of posts, in one ephemeral message
TEXT_PARTS = 5  # inputs of 3,000 for one text in a form: 15,000 characters at most
HOME_LIST_TEXT = 6_000  # each list on App Home (a view holds 100 blocks; no total documented)

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
    return budget.clip(text, limit)


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
    if post.state in ALLOWED_FROM["withdraw"]:
        withdraw = _button("Withdraw", ids.ACTION_WITHDRAW, value)
        withdraw["confirm"] = _confirm(
            "Withdraw this post?", "It will never be published. Only its proposer can do this."
        )
        buttons.append(withdraw)
    if offers_consent(post) and post.state in ALLOWED_FROM["record_consent"]:
        # Shown to everyone (a message cannot differ per reader); the core decides on click.
        buttons.append(_button("Record consent", ids.ACTION_RECORD_CONSENT, value))
    if stoppable(post):
        stop = _button("Stop this post", ids.ACTION_STOP, value, "danger")
        stop["confirm"] = _confirm(
            "Stop this post?", "Every channel is called off; nothing of it will be published."
        )
        buttons.append(stop)
    return buttons


def _confirm(title: str, text: str) -> Block:
    """Slack's own "are you sure" dialog: shown by the client, no request until confirmed."""
    return {
        "title": {"type": "plain_text", "text": title},
        "text": {"type": "plain_text", "text": text},
        "confirm": {"type": "plain_text", "text": "Yes"},
        "deny": {"type": "plain_text", "text": "No"},
    }


def delivery_value(post: Post, channel: str) -> str:
    return f"{post.id}:{channel}"


def parse_delivery_value(value: str) -> tuple[int, str]:
    number, _, channel = value.partition(":")
    return int(number), channel


def _delivery_action_buttons(post: Post, channel: str, actions: Sequence[str]) -> list[Block]:
    """One channel's buttons; their action ids end in ":<channel>", so several channels'
    buttons in one message never repeat an id."""
    buttons = []
    for name in actions:
        if name not in ids.DELIVERY_ACTIONS:
            continue  # an action this adapter does not offer yet stays in the text only
        action_id, label = ids.DELIVERY_ACTIONS[name]
        style = "primary" if name in ("retry", "publish_now") else None
        text = budget.clip(f"{label} {budget.clip(channel, 40)}", BUTTON_TEXT)
        unique = f"{action_id}{ids.ACTION_SUFFIX}{channel}"
        buttons.append(_button(text, unique, delivery_value(post, channel), style))
    return buttons


def delivery_buttons(post: Post) -> list[Block]:
    """The buttons for each channel a person has to decide about."""
    buttons: list[Block] = []
    for delivery in post.deliveries.values():
        actions = offered(delivery.state)
        buttons += _delivery_action_buttons(post, delivery.channel, actions)
    return buttons


def delivery_action_blocks(post: Post) -> list[Block]:
    """Each channel's buttons, in actions blocks of at most 25 elements (Slack's cap), a
    channel's buttons never split between two blocks."""
    out: list[Block] = []
    current: list[Block] = []
    for delivery in post.deliveries.values():
        buttons = _delivery_action_buttons(post, delivery.channel, offered(delivery.state))
        if current and len(current) + len(buttons) > ACTIONS_LIMIT:
            out.append({"type": "actions", "elements": current})
            current = []
        current += buttons
    if current:
        out.append({"type": "actions", "elements": current})
    for i, block in enumerate(out):
        block["block_id"] = f"deliveries_{post.id}_{i}"
    return out


def _deliveries_line(post: Post) -> str | None:
    if all(d.state is DeliveryState.WAITING for d in post.deliveries.values()):
        return None
    parts = []
    for d in post.deliveries.values():
        part = f"{d.channel}: {d.state.value}"
        if d.url:
            part = f"<{d.url}|{d.channel}>: {d.state.value}"
        parts.append(part)
    # Whole parts only: a cut inside <url|name> would break the link's markup.
    shown, left = budget.within(parts, DELIVERIES_TEXT)
    return " · ".join(shown) + (f" · and {left} more channels" if left else "")


def parent_text(post: Post) -> str:
    """Notification fallback: no post text, since it can hold PHI until approved."""
    return budget.clip(f"Post #{post.id} by {post.proposer.display}: {post.state.label}", 300)


def _overrides_lines(post: Post) -> list[str]:
    overrides = post.content.overrides
    if not overrides:
        return []
    share = max(120, OVERRIDES_TEXT // len(overrides))
    return [budget.clip(f"{channel}: {text}", share) for channel, text in overrides.items()]


def _details(post: Post) -> tuple[list[str], int]:
    """Media, link, notes and each problem, each clipped, as many as the budget holds."""
    content = post.content
    extras = [
        f"Media: {shown_described(m, content.alt_for(i))}" for i, m in enumerate(content.media)
    ]
    if content.link:
        extras.append(f"Link: {content.link}")
    if content.notes:
        extras.append(f"Notes to the reviewer: {content.notes}")
    extras += [f"⚠️ {p}" for p in shown_findings(post)]
    overridden = override_line(post)  # so the signers of later stages see whose and why
    if overridden:
        extras.append(overridden)
    return budget.within([budget.clip(t, DETAIL_TEXT) for t in extras], DETAILS_TEXT)


def _context_blocks(texts: Sequence[str]) -> list[Block]:
    """Plain-text context elements, at most 10 to a block (Slack's cap)."""
    return [
        {"type": "context", "elements": [plain(t) for t in texts[i : i + CONTEXT_LIMIT]]}
        for i in range(0, len(texts), CONTEXT_LIMIT)
    ]


def _was_clipped(post: Post, left_out: int) -> bool:
    content = post.content
    whole = [content.text, *[f"{c}: {t}" for c, t in content.overrides.items()]]
    shown = [budget.clip(content.text, TEXT_SHARE), *_overrides_lines(post)]
    return left_out > 0 or whole != shown or _details_clipped(post)


def _details_clipped(post: Post) -> bool:
    shown, _ = _details(post)
    return any(line.endswith("more characters") for line in shown)


def parent_blocks(post: Post, zone: ZoneInfo) -> list[Block]:
    """The thread parent in the approval channel, rebuilt whole on every change. Each part has
    a share of the message's budget; what does not fit says so and "Show full post" opens it."""
    content = post.content
    flagged = post.urgent or (post.checklist is not None and post.checklist.urgent)
    urgent = " :rotating_light: *Urgent*" if flagged else ""
    facts = (
        f"Proposed by <@{post.proposer.user_id}>"
        if post.proposer.platform == ids.PLATFORM
        else f"Proposed by {escape(post.proposer.display)}"
    )
    channels = escape(budget.clip(", ".join(content.channels), CHANNELS_TEXT))
    facts += f" · {channels} · {slack_time(content.scheduled_at, zone)}{urgent}"
    blocks: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": status_line(post)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": facts}]},
        *checklist_blocks(post),
        # What a person wrote is shown as plain text: exactly what will be published, with no
        # formatting, mention or link made from it (mrkdwn would still render *bold* and _it_).
        {"type": "section", "text": plain(budget.clip(content.text, TEXT_SHARE))},
    ]
    blocks += [{"type": "section", "text": plain(t)} for t in budget.pack(_overrides_lines(post))]
    details, left_out = _details(post)
    if left_out:
        details.append(f"… and {left_out} more: Show full post")
    blocks += _context_blocks(details)
    deliveries = _deliveries_line(post)
    if deliveries:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": deliveries}]})
    buttons = post_buttons(post)
    if _was_clipped(post, left_out):
        buttons.append(_button("Show full post", ids.ACTION_FULL_POST, decision_value(post)))
    if buttons:
        blocks.append({"type": "actions", "block_id": f"post_{post.id}", "elements": buttons})
    return blocks + delivery_action_blocks(post)


def checklist_blocks(post: Post) -> list[Block]:
    """The approval stages the core computed: who signed each, who is next (names only)."""
    if post.checklist is None or not post.checklist.staged:
        return []
    rows = "\n".join(post.checklist.rows())
    return [{"type": "section", "text": plain(clip(f"Approval stages:\n{rows}"))}]


def reply_blocks(notice: Notice) -> list[Block]:
    """One thread reply: the sentence, and Retry/Cancel when a delivery needs a person."""
    blocks: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": clip(escape(notice.text))}}
    ]
    if notice.diff:  # what an edit changed (bot/revision_diff.py), as plain text
        blocks.append({"type": "section", "text": plain(clip("\n".join(notice.diff)))})
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
    media_alt: Sequence[str] = (),
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
    urgent_option = {"text": {"type": "plain_text", "text": "Urgent"}, "value": "urgent"}
    urgent_box: Block = {"type": "checkboxes", "options": [urgent_option]}
    if urgent:
        urgent_box["initial_options"] = [urgent_option]
    zone_name = zone.key
    blocks = [
        _input(ids.FIELD_CHANNELS, "Channels", channel_select),
        _input(ids.FIELD_DATE, "Publish on", date_picker),
        _input(ids.FIELD_TIME, f"At ({zone_name} time)", time_picker),
        *text_fields(text),
        _input(
            ids.FIELD_MEDIA_FILES,
            "Media files",
            {"type": "file_input", "max_files": 4},
            optional=True,
        ),
        _text_input(ids.FIELD_MEDIA_URLS, "Media URLs", "\n".join(media), "One per line"),
        _text_input(
            ids.FIELD_MEDIA_ALT,
            "Media descriptions (alt text)",
            "\n".join(media_alt).rstrip("\n"),
            "What each image shows, for people who cannot see it: one line per media item, in "
            "order (attached files first, then the URLs). Published with the image.",
        ),
        _text_input(ids.FIELD_NOTES, "Notes to the reviewer", notes or ""),
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


def _text_input(block_id: str, label: str, value: str, hint: str = "") -> Block:
    """An optional input prefilled with `value`, or, when Slack's input cannot hold it all, a
    sentence saying it is kept as it is (never a cut value that would be saved cut)."""
    if budget.units(value) > budget.INPUT_LIMIT:
        return _text(
            f"*{label}*: {len(value):,} characters, more than a Slack form field holds; kept "
            "exactly as they are."
        )
    element: Block = {"type": "plain_text_input", "multiline": True}
    element["max_length"] = budget.INPUT_LIMIT
    if value:
        element["initial_value"] = value
    return _input(block_id, label, element, optional=True, hint=hint)


def text_fields(text: str) -> list[Block]:
    """The text as the form can hold it: one input of at most 3,000 characters (Slack's cap),
    or several consecutive parts, joined again on submit; a text longer than TEXT_PARTS inputs
    hold is not put in the form at all (a cut text would be saved cut) and a sentence says so."""
    pieces = budget.split(text, budget.INPUT_LIMIT)
    if len(pieces) > TEXT_PARTS:
        return [_text(too_long_to_edit(text))]
    fields = []
    for i, piece in enumerate(pieces):
        element: Block = {"type": "plain_text_input", "multiline": True}
        element["max_length"] = budget.INPUT_LIMIT
        if piece:
            element["initial_value"] = piece
        label = "Text" if len(pieces) == 1 else f"Text, part {i + 1} of {len(pieces)}"
        hint = "Parts are joined as they are, with nothing added between them."
        fields.append(
            _input(ids.text_field(i), label, element, hint=hint if len(pieces) > 1 else "")
        )
    return fields


def fits_form(text: str) -> bool:
    """Whether the text fits the form's text inputs whole."""
    return len(budget.split(text, budget.INPUT_LIMIT)) <= TEXT_PARTS


def too_long_to_propose(text: str) -> str:
    return (
        f"That message is {len(text):,} characters, more than a Slack form can hold "
        f"({TEXT_PARTS * budget.INPUT_LIMIT:,}), so no form was opened and nothing was proposed. "
        "Shorten it, then use the shortcut again or `/propose`."
    )


def too_long_to_edit(text: str) -> str:
    return (
        f"The text is {len(text):,} characters, more than a Slack form can hold "
        f"({TEXT_PARTS * budget.INPUT_LIMIT:,}), so it is not in this form and is kept exactly "
        "as it is. Change the channels, time, media or notes here; to change the text, withdraw "
        "the post and propose the new text again."
    )


REASON_WORDS = {
    ids.ACTION_REQUEST_CHANGES: ("Request changes", "Send back", "What should change?"),
    ids.ACTION_REJECT: ("Reject post", "Reject", "Why is it rejected?"),
    ids.ACTION_APPROVE_OVERRIDE: (
        "Approve with override",
        "Approve",
        "Screening found high-severity findings. Why approve it as it is?",
    ),
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
    channels = post.channels
    line += ", ".join(channels[:3]) + (f" +{len(channels) - 3} more" if len(channels) > 3 else "")
    if show_text:
        line += f" · {escape(budget.clip(post.content.text, 80))}"
    if post.thread and post.thread.url:
        line += f" · <{post.thread.url}|thread>"
    return line


def calendar_blocks(
    posts: Sequence[Post], zone: ZoneInfo, days: int = 14, text_budget: int = CALENDAR_TEXT
) -> list[Block]:
    """The next days' posts, as many as the message's budget holds; the rest are counted and
    `/calendar export` named, where they all are."""
    if not posts:
        return [_text(f"Nothing is scheduled in the next {days} days.")]
    lines, left = budget.within([post_line(p, zone) for p in posts], text_budget)
    blocks = [_text(f"*The next {days} days* ({len(posts)} posts)"), *_chunks(lines)]
    if left:
        more = f"… and {left} more posts not shown here: `/calendar export` lists every one."
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    return blocks


def _text(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _chunks(lines: Sequence[str]) -> list[Block]:
    """Lines packed into sections under Slack's size limit."""
    return [_text(text) for text in budget.pack(lines)]


def _listed(posts: Sequence[Post], zone: ZoneInfo, text_budget: int) -> list[Block]:
    lines, left = budget.within([post_line(p, zone) for p in posts], text_budget)
    blocks = _chunks(lines)
    if left:
        more = f"… and {left} more"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    return blocks


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
        blocks += _listed(queue, zone, HOME_LIST_TEXT) or [_text("Nothing waits for you.")]
        blocks.append({"type": "divider"})
    blocks.append(_text("*My proposals*"))
    blocks += _listed(mine, zone, HOME_LIST_TEXT) or [
        _text("You have not proposed anything yet. Try `/propose`.")
    ]
    blocks.append({"type": "divider"})
    blocks += calendar_blocks(upcoming, zone)
    return {"type": "home", "blocks": blocks[:100]}
