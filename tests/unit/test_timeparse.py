"""Publish times as a practice types them, in its own time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import TimeNotUnderstood
from bot.timeparse import check_moment, describe, parse_time

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)  # Wednesday, 12:00 in New York


@pytest.mark.parametrize(
    ("phrase", "expected_utc"),
    [
        ("2026-12-01 09:00", datetime(2026, 12, 1, 14, 0, tzinfo=UTC)),
        ("tomorrow 9am", datetime(2026, 11, 26, 14, 0, tzinfo=UTC)),
        ("next monday 10:00", datetime(2026, 11, 30, 15, 0, tzinfo=UTC)),
        ("tomorrow at 9am", datetime(2026, 11, 26, 14, 0, tzinfo=UTC)),
        ("in 2 hours", datetime(2026, 11, 25, 19, 0, tzinfo=UTC)),
        ("dec 3 9am", datetime(2026, 12, 3, 14, 0, tzinfo=UTC)),
        ("12/01/2026 9:00", datetime(2026, 12, 1, 14, 0, tzinfo=UTC)),
    ],
)
def test_iso_and_natural_phrases_mean_the_practice_wall_clock(phrase, expected_utc):
    assert parse_time(phrase, NY, NOW) == expected_utc


def test_the_same_phrase_means_a_different_moment_in_another_zone():
    assert parse_time("2026-12-01 09:00", BERLIN, NOW) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_a_bare_time_already_past_today_means_tomorrow():
    assert parse_time("9am", NY, NOW) == datetime(2026, 11, 26, 14, 0, tzinfo=UTC)


def test_a_day_without_a_time_of_day_is_refused_with_an_example():
    with pytest.raises(TimeNotUnderstood) as refused:
        parse_time("monday", NY, NOW)

    assert "no time of day" in str(refused.value)
    assert "Example: monday 9am" in str(refused.value)


def test_the_past_is_refused_showing_what_was_understood():
    with pytest.raises(TimeNotUnderstood) as refused:
        parse_time("2026-11-20 09:00", NY, NOW)

    assert "Fri 20 Nov 2026 09:00 EST" in str(refused.value)
    assert "in the past" in str(refused.value)


def test_gibberish_is_refused_with_an_example():
    with pytest.raises(TimeNotUnderstood, match="could not read"):
        parse_time("whenever the flu season starts", NY, NOW)


@pytest.mark.parametrize(
    ("phrase", "why"),
    [("2027-03-14 02:30", "does not exist"), ("2027-11-07 01:30", "happens twice")],
)
def test_times_that_dst_makes_missing_or_double_are_refused(phrase, why):
    with pytest.raises(TimeNotUnderstood, match=why):
        parse_time(phrase, NY, NOW)


def test_a_picker_time_is_checked_the_same_way():
    assert check_moment(datetime(2026, 12, 1, 9, 0), NY, NOW) == datetime(
        2026, 12, 1, 14, 0, tzinfo=UTC
    )
    with pytest.raises(TimeNotUnderstood, match="does not exist"):
        check_moment(datetime(2027, 3, 14, 2, 30), NY, NOW)
    with pytest.raises(TimeNotUnderstood, match="in the past"):
        check_moment(datetime(2026, 1, 1, 9, 0), NY, NOW)


def test_times_are_described_in_the_practice_zone():
    assert describe(datetime(2026, 7, 1, 13, 0, tzinfo=UTC), NY) == "Wed 01 Jul 2026 09:00 EDT"


# 01:30 EDT on the autumn change (the hour that repeats) and 01:30 EST on the spring change
# (the next hour is skipped): "now" and "in …" name one instant there too.
FOLD_FIRST = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
BEFORE_GAP = datetime(2027, 3, 14, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "phrase", "expected_utc"),
    [
        (FOLD_FIRST, "now", FOLD_FIRST),
        (FOLD_FIRST, "in 45 min", datetime(2026, 11, 1, 6, 15, tzinfo=UTC)),  # 01:15 EST
        (BEFORE_GAP, "in 1 hour", datetime(2027, 3, 14, 7, 30, tzinfo=UTC)),  # 03:30 EDT
        (BEFORE_GAP, "In 90 minutes", datetime(2027, 3, 14, 8, 0, tzinfo=UTC)),
    ],
)
def test_now_and_in_a_while_count_from_now_across_a_dst_change(now, phrase, expected_utc):
    assert parse_time(phrase, NY, now) == expected_utc


def test_now_drops_the_seconds_like_every_other_time():
    assert parse_time("now", NY, NOW.replace(second=42)) == NOW
