"""Every Block Kit payload Clearpost builds, at its largest, is one real Slack accepts.

Each builder runs on the worst cases of tests/support/worst_case.py (14 channels, 5,000- and
60,000-character posts with emoji and ZWJ sequences, an override on every channel, every
delivery needing a person, 300-post calendars, long names) and its output goes through
tests/support/slack_limits.py: slack_sdk's Block Kit models and the limits they do not check.
The Slack stand-in runs the same check on every payload of every other Slack test.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from adapters.slack import blocks, full_post, ids
from bot.ports import Notice
from tests.support import worst_case
from tests.support.slack_limits import (
    block_text_length,
    message_problems,
    slack_error,
    view_problems,
)

ZONE = ZoneInfo("America/New_York")
CASES = list(worst_case.worst_posts())
NAMES = [name for name, _ in CASES]
POSTS = [post for _, post in CASES]


def action_ids(payload_blocks: list[dict[str, Any]]) -> list[str]:
    return [
        e["action_id"] for b in payload_blocks for e in b.get("elements", []) if "action_id" in e
    ]


@pytest.mark.parametrize("post", POSTS, ids=NAMES)
def test_the_thread_parent_of_every_worst_case_is_accepted_by_slack(post):
    payload = {"text": blocks.parent_text(post), "blocks": blocks.parent_blocks(post, ZONE)}

    assert message_problems(payload) == []


def test_every_channel_needing_a_person_gets_its_own_buttons_in_blocks_of_at_most_25():
    post = worst_case.worst_post(needing_person=True)

    parent = blocks.parent_blocks(post, ZONE)

    actions = [b for b in parent if b["type"] == "actions"]
    assert all(len(b["elements"]) <= 25 for b in actions)
    delivery_ids = [a for a in action_ids(parent) if ids.ACTION_SUFFIX in a]
    assert len(delivery_ids) == len(set(delivery_ids)) == 14 * 3
    for channel in worst_case.CHANNEL_NAMES:
        assert any(a.endswith(f"{ids.ACTION_SUFFIX}{channel}") for a in delivery_ids)


def test_a_clipped_parent_says_how_much_it_left_out_and_offers_the_whole_post():
    post = worst_case.worst_post(worst_case.TEXT_60000)

    parent = blocks.parent_blocks(post, ZONE)

    assert parent[2]["text"]["text"].endswith("more characters")
    assert ids.ACTION_FULL_POST in action_ids(parent)


@pytest.mark.parametrize("post", POSTS[:1] + POSTS[3:4], ids=[NAMES[0], NAMES[3]])
def test_every_thread_reply_about_a_delivery_is_accepted_by_slack(post):
    for channel, delivery in post.deliveries.items():
        from bot.deliveries import offered

        notice = Notice(
            post,
            "delivery",
            worst_case.LONG_NAME,
            f"{channel} failed: {worst_case.TEXT_5000}",
            channel=channel,
            actions=offered(delivery.state),
        )

        assert (
            message_problems({"text": notice.text[:3000], "blocks": blocks.reply_blocks(notice)})
            == []
        )


def test_a_calendar_of_300_posts_fits_one_message_and_counts_what_it_could_not_show():
    posts = worst_case.calendar_posts(300)

    payload = {"text": "The next 14 days", "blocks": blocks.calendar_blocks(posts, ZONE)}

    assert message_problems(payload) == []
    shown = sum(str(b).count("*#") for b in payload["blocks"])
    assert f"and {300 - shown} more posts" in str(payload["blocks"][-1])


def test_app_home_with_300_posts_in_every_list_is_accepted_by_slack():
    posts = worst_case.calendar_posts(300)

    view = blocks.home_view(posts, posts, posts, ZONE)

    assert view_problems(view) == []
    assert "more" in str(view["blocks"])


@pytest.mark.parametrize(
    "text", [worst_case.TEXT_4999, worst_case.TEXT_60000], ids=["4999", "60000"]
)
def test_the_edit_form_of_a_worst_case_post_is_accepted_by_slack(text):
    post = worst_case.worst_post(text)
    content = post.content

    view = blocks.proposal_modal(
        callback_id=ids.VIEW_EDIT,
        title=f"Edit post #{post.id}",
        submit="Save revision",
        channels=worst_case.CHANNEL_NAMES,
        zone=ZONE,
        private_metadata={"post_id": post.id, "response_url": "https://hooks.slack.com/x" * 4},
        text=content.text,
        chosen=content.channels,
        when=content.scheduled_at,
        media=content.media,
        notes=content.notes,
        urgent=True,
    )

    assert view_problems(view) == []


def test_the_edit_form_holds_a_4999_character_text_whole_in_two_parts():
    view = blocks.proposal_modal(
        callback_id=ids.VIEW_EDIT,
        title="Edit",
        submit="Save",
        channels=["x-main"],
        zone=ZONE,
        private_metadata={},
        text=worst_case.TEXT_4999,
    )

    parts = [
        b["element"].get("initial_value", "")
        for b in view["blocks"]
        if b.get("block_id", "").startswith(ids.FIELD_TEXT)
    ]
    assert len(parts) == 2
    assert "".join(parts) == worst_case.TEXT_4999


def test_reason_and_reschedule_modals_for_a_worst_case_post_are_accepted_by_slack():
    post = worst_case.worst_post()
    channel = worst_case.CHANNEL_NAMES[0]
    meta = {"post_id": post.id, "hash": post.revision.hash, "response_url": "https://x" * 20}

    for view in (
        blocks.reason_modal(post, ids.ACTION_REJECT, meta),
        blocks.reason_modal(post, ids.ACTION_REQUEST_CHANGES, meta),
        blocks.reschedule_modal(post, channel, meta),
    ):
        assert view_problems(view) == []


def test_every_page_of_the_full_post_is_accepted_and_together_they_hold_every_character():
    post = worst_case.worst_post(worst_case.TEXT_60000)

    pages = [full_post.full_post_view(post, n) for n in range(full_post.page_count(post))]

    assert [p for page in pages for p in view_problems(page)] == []
    assert all(block_text_length(page["blocks"]) <= 10_000 for page in pages)
    texts = [
        b["text"]["text"].split(":\n", 1)[1]
        for page in pages
        for b in page["blocks"]
        if b["type"] == "section"
    ]
    assert "".join(texts).startswith(worst_case.TEXT_60000)
    for channel in worst_case.CHANNEL_NAMES:
        assert f"{channel}: {worst_case.TEXT_60000}" in "".join(texts)


def test_the_limit_check_itself_catches_what_slack_refuses():
    """The checks above can fail: each of these is a payload real Slack refuses."""
    button = {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "action_id": "go"}
    context = {"type": "context", "elements": [{"type": "mrkdwn", "text": "a"}] * 11}
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "a" * 2_900}}

    assert message_problems({"blocks": [context]})
    assert message_problems({"blocks": [{"type": "actions", "elements": [button] * 2}]})
    assert message_problems({"blocks": [{"type": "actions", "elements": [button] * 26}]})
    assert message_problems({"blocks": [section] * 4})  # 11,600 characters in all
    assert message_problems({"blocks": [{"type": "divider"}] * 51})
    assert message_problems({"text": "a" * 4_001, "blocks": []})
    # ... and answers as Slack does: too much text in all is msg_blocks_too_long; a long
    # top-level text is only advised against (Slack truncates it past 40,000).
    assert slack_error(message_problems({"blocks": [section] * 4})) == "msg_blocks_too_long"
    assert slack_error(message_problems({"blocks": [context]})) == "invalid_blocks"
    assert slack_error(message_problems({"text": "a" * 4_001, "blocks": []})) is None
