"""Which posts an export reads: the period, channels and states, streamed from the database."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.selection import parse_selection, stream_posts
from bot.commands import ProposeRequest
from bot.domain import State
from bot.errors import UnknownChannel, UsageError

ZONE = ZoneInfo("America/New_York")


def propose(workflow, nurse, when: str, channels=("x-main",), text="Flu shots"):  # type: ignore[no-untyped-def]
    return workflow.propose(ProposeRequest(channels=channels, when=when, text=text), by=nurse)


def test_the_default_period_is_this_month_and_the_next_in_the_practice_zone(workflow):
    selection = parse_selection(workflow)

    # The test clock is 25 Nov 2026: November and December, New York time.
    assert selection.start == datetime(2026, 11, 1, tzinfo=ZONE)
    assert selection.end == datetime(2027, 1, 1, tzinfo=ZONE)
    assert selection.describe() == "2026-11-01 to 2026-12-31 (America/New_York)"


def test_months_and_days_are_accepted_and_the_end_is_included(workflow):
    months = parse_selection(workflow, "2026-12", "2027-01")
    days = parse_selection(workflow, "2026-12-05", "2026-12-05")

    assert (months.start, months.end) == (
        datetime(2026, 12, 1, tzinfo=ZONE),
        datetime(2027, 2, 1, tzinfo=ZONE),
    )
    assert (days.start, days.end) == (
        datetime(2026, 12, 5, tzinfo=ZONE),
        datetime(2026, 12, 6, tzinfo=ZONE),
    )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("december", None, "not a start date"),
        ("2026-13", None, "not a start date"),
        ("2026-12", "2026-11", "before its start"),
        ("2026-01", "2030-01", "longer than 36 months"),
    ],
)
def test_a_period_that_cannot_be_used_is_refused_with_an_example(workflow, start, end, message):
    with pytest.raises(UsageError, match=message) as refused:
        parse_selection(workflow, start, end)

    assert "Example: 2026-12 2027-01" in str(refused.value)


def test_channels_and_states_are_checked(workflow):
    picked = parse_selection(workflow, channels=["x"], states=["in review", "approved"])

    assert picked.channels == ("x-main",)
    assert picked.states == (State.IN_REVIEW, State.APPROVED)
    with pytest.raises(UnknownChannel):
        parse_selection(workflow, channels=["tiktok"])
    with pytest.raises(UsageError, match="“sent” is not a post state"):
        parse_selection(workflow, states=["sent"])


def test_streaming_reads_every_post_of_the_period_in_time_order_across_batches(workflow, nurse):
    late = propose(workflow, nurse, "2026-12-20 09:00")
    early = [propose(workflow, nurse, "2026-12-01 09:00", text=f"Post {n}") for n in range(5)]
    propose(workflow, nurse, "2027-01-05 09:00")  # outside the period
    on_blog = propose(workflow, nurse, "2026-12-10 09:00", channels=("blog",))
    selection = parse_selection(workflow, "2026-12", "2026-12")

    streamed = list(stream_posts(workflow, selection.query(), batch_size=2))

    assert [p.id for p in streamed] == [p.id for p in early] + [on_blog.id, late.id]
    assert streamed[0].scheduled_at == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


def test_streaming_honours_channel_and_state_filters(workflow, nurse, officer):
    x_post = propose(workflow, nurse, "2026-12-01 09:00")
    blog_post = propose(workflow, nurse, "2026-12-02 09:00", channels=("blog",))
    workflow.approve(blog_post.id, officer)
    selection = parse_selection(workflow, "2026-12", channels=["x-main"])
    approved = parse_selection(workflow, "2026-12", states=["approved"])

    assert [p.id for p in stream_posts(workflow, selection.query())] == [x_post.id]
    assert [p.id for p in stream_posts(workflow, approved.query())] == [blog_post.id]
