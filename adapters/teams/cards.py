"""Adaptive Card builders for Teams: pure functions, domain objects in, dicts out.

Times are shown with the card's DATE()/TIME() functions, which Teams renders in each reader's
own locale and time zone, followed by the practice's wall clock for the record.

The approval card uses Universal Actions (card version 1.5): the card posted in the channel shows
the post and its state to everyone, and its `refresh` block makes Teams ask the bot
(`adaptiveCard/action`, verb `refresh`) for each reader's own view; approvers get the decision
buttons, everyone else the state. `userIds` lists the approvers' Teams user ids (MRIs, at most
60) so they refresh automatically in large channels; with none known it is left out, so every
reader in a channel of up to 60 members refreshes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from adapters.teams.budget import clip, fit
from bot import timeparse
from bot.consent_findings import shown_findings
from bot.domain import Post, State
from bot.media import alt_field, shown_described
from bot.screening_gate import override_line

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"

Card = dict[str, Any]

# Verbs of the Action.Execute buttons and of the task module forms.
APPROVE, REQUEST_CHANGES, REJECT, REFRESH = "approve", "request_changes", "reject", "refresh"
PROPOSE_FORM, EDIT_FORM = "propose_form", "edit_form"
SHOW_POST = "show_post"  # the dialog with the whole post, paged

# While someone may still act on the post as a whole (decide, withdraw, stop), each reader's
# client asks for their own view.
REFRESHED = frozenset({State.IN_REVIEW, State.CHANGES_REQUESTED, State.APPROVED})
MAX_REFRESH_USERS = 60  # Teams refreshes at most 60 listed users automatically

FORM_FIELDS = (
    "channels",
    "date",
    "time",
    "text",
    "overrides",
    "media",
    "media_alt",
    "notes",
    "urgent",
)

HELP_TEXT = (
    "**Clearpost** commands:\n\n"
    "- `propose` opens the proposal form; `propose <channels> <when> <text>` proposes in one "
    "line, e.g. `propose x,facebook tomorrow 9am Flu shots are in!`\n"
    "- `calendar` shows the next 14 days; `calendar export` sends the workbook; "
    "`calendar template` sends a plan to fill in; send the filled plan back to me in a "
    "personal chat to propose its rows\n"
    "- `help` shows this\n\n"
    "In a channel, @mention Clearpost first. Replies in a post's approval thread are recorded "
    "as review comments."
)

_STATE_COLOR = {
    State.IN_REVIEW: "accent",
    State.CHANGES_REQUESTED: "warning",
    State.APPROVED: "good",
    State.PUBLISHING: "accent",
    State.PUBLISHED: "good",
    State.REJECTED: "attention",
    State.WITHDRAWN: "default",
    State.FAILED: "attention",
}


def card(
    body: list[dict[str, Any]],
    actions: list[dict[str, Any]] | None = None,
    version: str = "1.5",
) -> Card:
    built: Card = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": version, "body": body}
    if actions:
        built["actions"] = actions
    return built


def attachment(content: Card) -> dict[str, Any]:
    return {"contentType": CARD_TYPE, "content": content}


def text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


# What a TextRun takes; the rest of a plain block's style goes on its RichTextBlock.
_RUN_STYLE = frozenset(("color", "fontType", "highlight", "isSubtle", "italic", "size", "weight"))
_TEMPLATE_OPENING = re.compile(r"\{(?=\{)")


def inert(text: str) -> str:
    """Text as written, with no `{{…}}` for Teams to evaluate (a zero-width space splits the
    braces, so {{DATE(…)}} reads as typed instead of becoming a date)."""
    return _TEMPLATE_OPENING.sub("{\u200b", text)


def checklist_blocks(post: Post) -> list[dict[str, Any]]:
    """The approval stages the core computed: who signed each, who is next (names only)."""
    if post.checklist is None or not post.checklist.staged:
        return []
    rows = [plain_block(row, spacing="None") for row in post.checklist.rows()]
    return [text_block("Approval stages", weight="Bolder"), *rows]


def plain_block(*runs: str | tuple[str, dict[str, Any]], **style: Any) -> dict[str, Any]:
    """What a person wrote (post text, names, reasons, media URLs), shown exactly as written:
    a RichTextBlock's TextRuns are never read as markdown, so `**`, `[label](url)` and lists
    stay characters and no link is built from them; templates are made inert. Each run is a
    string, or (string, its own TextRun style); `style` applies to every run and the block."""
    run_style = {k: v for k, v in style.items() if k in _RUN_STYLE}
    block_style = {k: v for k, v in style.items() if k not in _RUN_STYLE}
    inlines = []
    for run in runs:
        text, own = (run, {}) if isinstance(run, str) else run
        inlines.append({"type": "TextRun", "text": inert(text), **run_style, **own})
    return {"type": "RichTextBlock", "inlines": inlines, **block_style}


def reader_time(moment: datetime, zone: ZoneInfo) -> str:
    """Rendered by Teams in the reader's locale; the practice's time follows for the record."""
    iso = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{{{{DATE({iso}, SHORT)}}}} {{{{TIME({iso})}}}} ({timeparse.describe(moment, zone)})"


def approved_by(post: Post) -> str | None:
    """Who approved the revision that is going out, so the card keeps saying it."""
    names = [a.by.display for a in post.live_approvals()]
    return f"Approved by {', '.join(names)}" if names else None


def post_card(post: Post, zone: ZoneInfo, **shown: Any) -> Card:
    """The approval card: what will be published, where and when, and the decision buttons.

    `status` is the last thing that happened (e.g. "Approved by Olga"); `error` is a refusal
    shown to the person who clicked, with what they typed kept in the reason box. `buttons`
    False is the view without decisions (the shared card, or someone who may not decide), with
    `note` saying why; `refresh_users` (possibly empty) adds the Universal Actions refresh.
    `more` actions follow the decisions (Withdraw, Stop this post). Within the message budget:
    long texts are clipped, "Show the full post" opens the whole.
    """
    return fit(lambda limit: _post_card(post, zone, limit=limit, **shown))


def _post_card(
    post: Post,
    zone: ZoneInfo,
    *,
    limit: int | None,
    status: str | None = None,
    error: str | None = None,
    reason: str = "",
    buttons: bool = True,
    refresh_users: Sequence[str] | None = None,
    note: str | None = None,
    more: Sequence[dict[str, Any]] = (),
) -> Card:
    content = post.content
    flagged = post.urgent or (post.checklist is not None and post.checklist.urgent)
    urgent = " · URGENT" if flagged else ""
    body: list[dict[str, Any]] = [
        text_block(f"Post #{post.id}{urgent}", weight="Bolder", size="Medium"),
        text_block(
            f"{post.state.label.capitalize()} · revision {post.revision.number}",
            color=_STATE_COLOR.get(post.state, "default"),
            weight="Bolder",
            spacing="None",
        ),
        plain_block(("Proposed by: ", {"weight": "Bolder"}), clip(post.proposer.display, limit)),
        {
            "type": "FactSet",
            "facts": [
                {"title": "Channels", "value": ", ".join(content.channels)},
                {"title": "When", "value": reader_time(content.scheduled_at, zone)},
            ],
        },
        *checklist_blocks(post),
        # Everything a person wrote is shown exactly as it will be published: plain text.
        plain_block(clip(content.text, limit)),
    ]
    for channel, override in content.overrides.items():
        body.append(
            plain_block(
                (f"{channel}: ", {"weight": "Bolder"}), clip(override, limit), isSubtle=True
            )
        )
    for index, media in enumerate(content.media):
        shown = shown_described(media, content.alt_for(index))
        body.append(plain_block("Media: ", clip(shown, limit)))  # as written, never a link
    if content.link:
        body.append(plain_block("Link: ", clip(content.link, limit)))
    if content.notes:
        body.append(
            plain_block("Notes to the reviewer: ", clip(content.notes, limit), isSubtle=True)
        )
    if post.revision.problems:
        body.append(text_block("Problems found before publishing:", weight="Bolder"))
        body.extend(
            plain_block(f"⚠ {clip(p, limit)}", color="warning") for p in shown_findings(post)
        )
    overridden = override_line(post)  # so the signers of later stages see whose and why
    if overridden:
        body.append(plain_block(clip(overridden, limit), weight="Bolder"))
    for delivery in post.deliveries.values():
        if delivery.url or delivery.last_error:
            detail = clip(delivery.url or delivery.last_error or "", limit)
            body.append(plain_block(f"{delivery.channel}: {delivery.state.value} {detail}"))
    approval = approved_by(post)
    if approval and approval != status:
        body.append(plain_block(approval, separator=True))
    if status:
        body.append(plain_block(clip(status, limit), weight="Bolder", separator=True))
    if error:
        body.append(plain_block(clip(error, limit), color="attention", weight="Bolder"))
    actions: list[dict[str, Any]] = []
    if limit is not None:
        actions.append(task_button("Show the full post", SHOW_POST, post_id=post.id))
    if post.state is State.IN_REVIEW and not buttons and note:
        body.append(plain_block(note, isSubtle=True, separator=True))
    if post.state is State.IN_REVIEW and buttons:
        body.append(
            {
                "type": "Input.Text",
                "id": "reason",
                "label": "Reason (needed to request changes or reject)",
                "isMultiline": True,
                "value": reason,  # what they typed comes back whole
            }
        )
        data = {"post_id": post.id, "revision_hash": post.revision.hash}
        actions[:0] = [
            execute_button("Approve", APPROVE, data, style="positive"),
            execute_button("Request changes", REQUEST_CHANGES, data),
            execute_button("Reject", REJECT, data, style="destructive"),
        ]
    built = card(body, [*actions, *more], version="1.5")
    if refresh_users is not None and post.state in REFRESHED:
        built["refresh"] = refresh_block(post.id, refresh_users)
    return built


def refresh_block(post_id: int, users: Sequence[str]) -> dict[str, Any]:
    """Teams sends `adaptiveCard/action` with verb `refresh` to get each reader's view."""
    block: dict[str, Any] = {
        "action": execute_button("Refresh", REFRESH, {"post_id": post_id}),
    }
    if users:
        block["userIds"] = list(dict.fromkeys(users))[:MAX_REFRESH_USERS]
    return block


def execute_button(title: str, verb: str, data: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": dict(data), **extra}


def task_button(title: str, verb: str, **data: Any) -> dict[str, Any]:
    """A button that opens a dialog (task module) through the task/fetch invoke."""
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {"msteams": {"type": "task/fetch"}, "clearpost": verb, **data},
    }


def propose_prompt_card() -> Card:
    return card(
        [text_block("Propose a post for the practice's social channels.")],
        [task_button("Open the proposal form", PROPOSE_FORM)],
    )


def form_card(
    channel_names: Sequence[str],
    values: Mapping[str, Any],
    *,
    token: str,
    verb: str = PROPOSE_FORM,
    post_id: int | None = None,
    error: str | None = None,
    kept: Mapping[str, str] | None = None,
    submit: Mapping[str, Any] | None = None,
) -> Card:
    """The proposal (or edit) form. `values` keeps what was typed when it comes back with an
    error; `token` makes a double submit of the same form one proposal. `kept` names fields
    shown as a sentence instead of an input (too long to edit here; left as they are);
    `submit` is more data the form sends back."""
    body: list[dict[str, Any]] = []
    if error:
        body.append(text_block(error, color="attention", weight="Bolder"))
    inputs: list[dict[str, Any]] = [
        {
            "type": "Input.ChoiceSet",
            "id": "channels",
            "label": "Channels",
            "isMultiSelect": True,
            "isRequired": True,
            "choices": [{"title": n, "value": n} for n in channel_names],
            "value": str(values.get("channels") or ""),
        },
        {"type": "Input.Date", "id": "date", "label": "Date", "value": values.get("date", "")},
        {"type": "Input.Time", "id": "time", "label": "Time", "value": values.get("time", "")},
        {
            "type": "Input.Text",
            "id": "text",
            "label": "Text",
            "isMultiline": True,
            "value": str(values.get("text") or ""),
        },
        {
            "type": "Input.Text",
            "id": "overrides",
            "label": "Per-channel texts, one per line as channel: text (optional)",
            "isMultiline": True,
            "value": str(values.get("overrides") or ""),
        },
        {
            "type": "Input.Text",
            "id": "media",
            "label": "Media link (optional)",
            "style": "Url",
            "value": str(values.get("media") or ""),
        },
        {
            "type": "Input.Text",
            "id": "media_alt",
            "label": "Media descriptions (alt text), one line per media item, in order (optional)",
            "isMultiline": True,
            "placeholder": "What each image shows, for people who cannot see it",
            "value": str(values.get("media_alt") or ""),
        },
        {
            "type": "Input.Text",
            "id": "notes",
            "label": "Notes to the reviewer (optional)",
            "value": str(values.get("notes") or ""),
        },
        {
            "type": "Input.Toggle",
            "id": "urgent",
            "title": "Urgent",
            "value": "true" if str(values.get("urgent")).lower() == "true" else "false",
        },
    ]
    kept = kept or {}
    for field in inputs:
        shown = field["id"] not in kept
        body.append(field if shown else text_block(kept[field["id"]], isSubtle=True))
    data: dict[str, Any] = {"clearpost": verb, "token": token, **(submit or {})}
    if post_id is not None:
        data["post_id"] = post_id
    title = "Propose" if verb == PROPOSE_FORM else "Save the new revision"
    return card(body, [{"type": "Action.Submit", "title": title, "data": data}])


def form_values(post: Post, zone: ZoneInfo) -> dict[str, str]:
    """A post's content as the form's values, for editing."""
    content = post.content
    local = content.scheduled_at.astimezone(zone)
    return {
        "channels": ",".join(content.channels),
        "date": local.strftime("%Y-%m-%d"),
        "time": local.strftime("%H:%M"),
        "text": content.text,
        "overrides": "\n".join(f"{ch}: {t}" for ch, t in content.overrides.items()),
        "media": " ".join(content.media),
        "media_alt": alt_field(content.media_alt),
        "notes": content.notes or "",
        "urgent": "true" if post.urgent else "false",
    }


def calendar_card(posts: Sequence[Post], zone: ZoneInfo, days: int) -> Card:
    """The next `days` days, as many posts as the message budget holds; the rest are counted
    and the workbook (`calendar export`) has them all."""
    if not posts:
        return card([text_block(f"Nothing is scheduled in the next {days} days.")])
    return fit(lambda shown: _calendar_card(posts, zone, days, shown))


def _calendar_card(posts: Sequence[Post], zone: ZoneInfo, days: int, shown: int | None) -> Card:
    body = [text_block(f"The next {days} days", weight="Bolder", size="Medium")]
    for post in posts[:shown]:
        body.append(
            {
                "type": "FactSet",
                "separator": True,
                "facts": [
                    {"title": f"#{post.id}", "value": reader_time(post.scheduled_at, zone)},
                    {"title": "State", "value": post.state.label},
                    {"title": "Channels", "value": ", ".join(post.channels)},
                ],
            }
        )
        body.append(plain_block(clip(post.content.text, 80), spacing="None"))
    hidden = len(posts) - len(posts[:shown])
    if hidden:
        more = f"and {hidden} more (send `calendar export` for the workbook with every post)"
        body.append(text_block(more, separator=True, weight="Bolder"))
    return card(body)


def notice_card(
    text: str,
    *,
    link: str | None = None,
    edit_post: int | None = None,
    more: Sequence[dict[str, Any]] = (),
) -> Card:
    """A decision told to the proposer in a personal chat: the link and, if open, Edit; `more`
    actions after them. A long text (a reviewer's reason) is clipped to the budget."""
    actions: list[dict[str, Any]] = []
    if link:
        actions.append({"type": "Action.OpenUrl", "title": "Open the thread", "url": link})
    if edit_post is not None:
        actions.append(task_button("Edit", EDIT_FORM, post_id=edit_post))
    actions += more
    return fit(lambda limit: card([plain_block(clip(text, limit))], actions))
