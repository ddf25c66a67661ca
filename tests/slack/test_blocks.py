"""The Block Kit builders are pure: what a reader sees for a post in each state."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from adapters.slack import blocks
from bot.domain import Content, Person, State, new_post

ZONE = ZoneInfo("America/New_York")


def a_post(text: str = "Flu shots <today> & tomorrow", state: State = State.IN_REVIEW):
    content = Content(text, ("x-main",), datetime(2026, 12, 1, 14, tzinfo=UTC))
    post = new_post(content, Person("slack", "U1", "nora"), datetime(2026, 11, 25, tzinfo=UTC))
    post.id, post.state = 7, state
    return post


def test_post_text_is_plain_text_so_it_cannot_mention_link_or_format():
    written = "<!channel> see <https://evil|here> & *more*"
    text = blocks.parent_blocks(a_post(written), ZONE)[2]["text"]

    # plain_text is shown as written: Slack makes no mention, link or bold from it.
    assert text == {"type": "plain_text", "text": written, "emoji": False}


def test_a_very_long_text_is_clipped_under_slacks_section_limit_and_says_so():
    parent = blocks.parent_blocks(a_post("a" * 10_000), ZONE)
    text_block = parent[2]

    assert len(text_block["text"]["text"]) < 3000
    assert text_block["text"]["text"].endswith("… 8,030 more characters")
    buttons = [e["text"]["text"] for b in parent if b["type"] == "actions" for e in b["elements"]]
    assert "Show full post" in buttons


def test_final_posts_have_no_buttons():
    for state in (State.PUBLISHED, State.REJECTED, State.WITHDRAWN):
        assert all(b["type"] != "actions" for b in blocks.parent_blocks(a_post(state=state), ZONE))


def test_the_time_is_shown_in_each_readers_zone_with_the_practice_time_as_fallback():
    assert blocks.slack_time(datetime(2026, 12, 1, 14, tzinfo=UTC), ZONE) == (
        "<!date^1796133600^{date_short_pretty} at {time}|Tue 01 Dec 2026 09:00 EST>"
    )


def test_the_notification_text_carries_no_post_text():
    assert blocks.parent_text(a_post("Secret patient detail")) == "Post #7 by nora: in review"
