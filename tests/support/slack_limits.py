"""What real Slack would refuse in a payload Clearpost sends, checked without Slack.

Two layers: slack_sdk's own Block Kit models (`Block.parse(...).to_dict()` and `View(...)` run
every validator the SDK knows: section text 3,000, context 10 elements, actions 25, header 150,
button text 75 and value 2,000, option text 75 and value 150, view title 24, 100 blocks a view,
private_metadata 3,000 ...), then the limits the models do not check, each with where it is
written down (read 2026-11-29 at docs.slack.dev / api.slack.com):

documented
- a message holds at most 50 blocks; a modal or App Home 100 (reference/block-kit/blocks);
- action_id unique among the action_ids of its block; block_id unique in a message or view
  (reference/block-kit/block-elements, .../blocks). We hold action_ids unique in the whole
  message or view, which is stricter and is what bolt routes by;
- plain_text_input: max_length at most 3,000, and an initial_value longer than the input's
  maximum cannot be shown (reference/block-kit/block-elements/plain-text-input-element);
- a static select holds at most 100 options (reference/block-kit/block-elements/select-menu);
- chat.postMessage `text`: Slack truncates past 40,000 characters; keep it under 4,000
  (reference/methods/chat.postMessage).

measured, not documented
- `msg_blocks_too_long`: a message whose blocks carry more than about 13,200 characters of text
  in all is refused (slackapi/bolt-js#2509, 2025-04-24: 13,297 with markdown blocks only,
  13,172 with a divider added; #2867, 2026-04-11: refused at 11,341 summed `text` with
  rich_text and section blocks). `MESSAGE_TEXT_BUDGET` stays under the lowest report.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
INPUT_MAX = 3_000
SELECT_OPTIONS = 100
TOP_TEXT_TRUNCATED = 40_000
TOP_TEXT_ADVISED = 4_000
# Below the lowest refusal reported (11,341 in bolt-js#2867), with room for Slack's own framing.
MESSAGE_TEXT_BUDGET = 10_000

# Problems Slack does not refuse but we do not send: a notification cut at about 4,000.
ADVISED = "advised: "
TOO_LONG = "msg_blocks_too_long: "

MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url")
VIEW_METHODS = ("views.open", "views.update", "views.push", "views.publish")


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def block_text_length(blocks: Sequence[dict[str, Any]]) -> int:
    """Characters of every `text` string in the blocks: what `msg_blocks_too_long` counts."""
    total = 0
    for node in _walk(list(blocks)):
        text = node.get("text")
        if isinstance(text, str):
            total += len(text)
    return total


def _model_problems(blocks: Sequence[dict[str, Any]]) -> list[str]:
    problems = []
    for i, block in enumerate(blocks):
        try:
            parsed = Block.parse(block)
            if parsed is None or type(parsed) is Block:
                problems.append(f"block {i}: slack_sdk does not know type {block.get('type')!r}")
                continue
            parsed.to_dict()  # runs every validator, nested elements included
        except (SlackObjectFormationError, TypeError, KeyError, ValueError) as exc:
            problems.append(f"block {i} ({block.get('type')}): {exc}")
    return problems


def _element_problems(blocks: Sequence[dict[str, Any]]) -> list[str]:
    problems = []
    action_ids: list[str] = []
    block_ids: list[str] = []
    for block in blocks:
        if "block_id" in block:
            block_ids.append(str(block["block_id"]))
    for node in _walk(list(blocks)):
        kind = node.get("type")
        if "action_id" in node:
            action_ids.append(str(node["action_id"]))
        if kind == "plain_text_input":
            limit = int(node.get("max_length", INPUT_MAX))
            if limit > INPUT_MAX:
                problems.append(f"plain_text_input max_length {limit} > {INPUT_MAX}")
            initial = node.get("initial_value")
            if isinstance(initial, str) and len(initial) > min(limit, INPUT_MAX):
                problems.append(f"plain_text_input initial_value of {len(initial)} characters")
        if kind in ("static_select", "multi_static_select"):
            if len(node.get("options") or []) > SELECT_OPTIONS:
                problems.append(f"{kind} with {len(node['options'])} options")
    for name, found in (("action_id", action_ids), ("block_id", block_ids)):
        repeated = sorted({x for x in found if found.count(x) > 1})
        if repeated:
            problems.append(f"repeated {name}s: {repeated}")
    return problems


def message_problems(payload: dict[str, Any]) -> list[str]:
    """What Slack would refuse or truncate in a chat.postMessage / chat.update / response_url
    payload (its `text` and `blocks`)."""
    blocks = list(payload.get("blocks") or [])
    problems = _model_problems(blocks) + _element_problems(blocks)
    if len(blocks) > MESSAGE_BLOCKS:
        problems.append(f"{len(blocks)} blocks in a message (at most {MESSAGE_BLOCKS})")
    text_length = block_text_length(blocks)
    if text_length > MESSAGE_TEXT_BUDGET:
        problems.append(
            f"{TOO_LONG}{text_length} characters of block text (budget {MESSAGE_TEXT_BUDGET})"
        )
    top = payload.get("text")
    if isinstance(top, str) and len(top) > TOP_TEXT_ADVISED:
        problems.append(f"{ADVISED}top-level text of {len(top)} characters (keep under 4,000)")
    return problems


def view_problems(view: dict[str, Any]) -> list[str]:
    """What Slack would refuse in a modal or App Home view."""
    blocks = list(view.get("blocks") or [])
    problems = _model_problems(blocks) + _element_problems(blocks)
    try:
        View(**view).to_dict()
    except (SlackObjectFormationError, TypeError) as exc:
        problems.append(f"view: {exc}")
    if len(blocks) > VIEW_BLOCKS:
        problems.append(f"{len(blocks)} blocks in a view (at most {VIEW_BLOCKS})")
    text_length = block_text_length(blocks)
    if view.get("type") == "modal" and text_length > MESSAGE_TEXT_BUDGET * 3:
        # Not documented for views; a modal three times a message's budget is where we stop.
        problems.append(f"{text_length} characters of block text in a modal")
    return problems


def payload_problems(method: str, params: dict[str, Any]) -> list[str]:
    """Problems in whatever a Web API call or response_url post carries; [] for other calls."""
    if method in MESSAGE_METHODS and ("blocks" in params or "text" in params):
        return message_problems(params)
    if method in VIEW_METHODS and isinstance(params.get("view"), dict):
        return view_problems(params["view"])
    return []


def slack_error(problems: list[str]) -> str | None:
    """The error real Slack would answer for these problems, or None when it would accept
    the payload (only advice broken)."""
    refused = [p for p in problems if not p.startswith(ADVISED)]
    if not refused:
        return None
    if all(p.startswith(TOO_LONG) for p in refused):
        return "msg_blocks_too_long"
    return "invalid_blocks"
