"""Blackouts and quiet hours, pure: which channel is closed when, and when it opens again."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.schedule_rules import Blackout, PublishingClosed, QuietHours, ScheduleRules
from bot.wall_clock import first_instant

ZONE = ZoneInfo("America/New_York")
NIGHT = QuietHours("x-main", time(22), time(7))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def rules(*blackouts: Blackout, quiet: tuple[QuietHours, ...] = (NIGHT,)) -> ScheduleRules:
    return ScheduleRules(ZONE, blackouts, quiet)


def test_quiet_hours_close_only_their_own_channel():
    late_evening = utc(2026, 11, 26, 4, 30)  # Wed 23:30 EST

    closure = rules().closure("x-main", late_evening)

    assert closure is not None and "quiet hours for x-main (22:00–07:00)" in closure.rule
    assert closure.until == utc(2026, 11, 26, 12, 0)  # Thu 07:00 EST
    assert rules().closure("facebook-clinic", late_evening) is None
    assert rules().closure("x-main", utc(2026, 11, 26, 12, 0)) is None  # 07:00 is open


def test_a_blackout_of_dates_closes_every_channel_through_its_last_day_local_time():
    christmas = Blackout.local(date(2026, 12, 24), date(2026, 12, 26), ZONE, "Christmas closure")
    everything = rules(christmas, quiet=())

    assert christmas.start == utc(2026, 12, 24, 5, 0)  # 24 Dec 00:00 EST
    assert christmas.end == utc(2026, 12, 27, 5, 0)  # 27 Dec 00:00 EST
    assert everything.closure("blog", utc(2026, 12, 27, 4, 59)) is not None
    assert everything.closure("blog", utc(2026, 12, 27, 5, 0)) is None


def test_a_blackout_naming_channels_leaves_the_others_open():
    embargo = Blackout.local(
        datetime(2026, 12, 1, 9), datetime(2026, 12, 1, 17), ZONE, "Press embargo", ["x-main"]
    )

    assert rules(embargo, quiet=()).closure("x-main", utc(2026, 12, 1, 15)) is not None
    assert rules(embargo, quiet=()).closure("blog", utc(2026, 12, 1, 15)) is None


def test_the_refusal_names_the_rule_and_the_next_time_every_channel_is_open():
    embargo = Blackout.local(
        datetime(2026, 12, 1, 20), datetime(2026, 12, 1, 23), ZONE, "Press embargo"
    )

    with pytest.raises(PublishingClosed) as refused:
        rules(embargo).check(["facebook-clinic", "x-main"], utc(2026, 12, 2, 2))  # 21:00 EST

    # The embargo ends 23:00, but x-main's quiet hours run on until 07:00.
    assert str(refused.value) == (
        "facebook-clinic may not publish Tue 01 Dec 2026 21:00 EST: blackout “Press embargo”. "
        "The next allowed time is Wed 02 Dec 2026 07:00 EST."
    )


def test_quiet_hours_on_the_spring_forward_night_end_at_seven_local_which_is_an_hour_earlier_utc():
    # 8 Mar 2026: 02:00 EST jumps to 03:00 EDT. The quiet night is an hour shorter.
    just_before_seven = utc(2026, 3, 8, 10, 59)  # 06:59 EDT

    closure = rules().closure("x-main", just_before_seven)

    assert closure is not None and closure.until == utc(2026, 3, 8, 11, 0)  # 07:00 EDT
    assert rules().closure("x-main", utc(2026, 3, 8, 11, 0)) is None
    assert rules().closure("x-main", utc(2026, 3, 8, 7, 30)) is not None  # 03:30 EDT


def test_quiet_hours_on_the_fall_back_night_cover_both_passes_of_the_repeated_hour():
    # 1 Nov 2026: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
    first_pass = utc(2026, 11, 1, 5, 30)  # 01:30 EDT
    second_pass = utc(2026, 11, 1, 6, 30)  # 01:30 EST

    for moment in (first_pass, second_pass):
        closure = rules().closure("x-main", moment)
        assert closure is not None and closure.until == utc(2026, 11, 1, 12, 0)  # 07:00 EST


def test_quiet_hours_ending_inside_the_skipped_hour_open_when_the_clocks_jump():
    early = QuietHours("x-main", time(1), time(2, 30))  # 02:30 does not exist on 8 Mar 2026

    closure = rules(quiet=(early,)).closure("x-main", utc(2026, 3, 8, 6, 45))  # 01:45 EST

    assert closure is not None and closure.until == utc(2026, 3, 8, 7, 0)  # 03:00 EDT


def test_a_repeated_wall_time_reads_as_its_first_pass_not_before_the_given_moment():
    repeated = datetime(2026, 11, 1, 1, 30)

    assert first_instant(repeated, ZONE) == utc(2026, 11, 1, 5, 30)
    assert first_instant(repeated, ZONE, not_before=utc(2026, 11, 1, 6)) == utc(2026, 11, 1, 6, 30)


def test_a_blackout_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends before it starts"):
        Blackout.local(date(2026, 12, 26), date(2026, 12, 24), ZONE, "Backwards")
