"""Working-hours SLA arithmetic in the practice's zone: weekends and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.working_hours import WorkingHours

ZONE = ZoneInfo("America/New_York")
OFFICE = WorkingHours(ZONE)  # Mon–Fri 08:00–18:00
FOUR_HOURS = timedelta(hours=4)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_four_working_hours_from_friday_afternoon_end_on_monday_morning():
    friday_4pm = utc(2026, 11, 20, 21)  # Fri 16:00 EST

    assert OFFICE.add(friday_4pm, FOUR_HOURS) == utc(2026, 11, 23, 15)  # Mon 10:00 EST


def test_the_sla_across_the_autumn_change_counts_monday_in_standard_time():
    # Fri 30 Oct 2026 16:00 EDT; clocks go back on Sunday 1 Nov.
    friday_4pm = utc(2026, 10, 30, 20)

    deadline = OFFICE.add(friday_4pm, FOUR_HOURS)

    assert deadline == utc(2026, 11, 2, 15)  # Mon 10:00 EST, not 14:00 UTC
    assert OFFICE.between(friday_4pm, deadline) == FOUR_HOURS


def test_the_sla_across_the_spring_change_counts_monday_in_daylight_time():
    friday_5pm = utc(2026, 3, 6, 22)  # Fri 17:00 EST; clocks jump on Sunday 8 Mar

    assert OFFICE.add(friday_5pm, FOUR_HOURS) == utc(2026, 3, 9, 15)  # Mon 11:00 EDT


def test_a_proposal_made_at_night_starts_counting_when_the_office_opens():
    tuesday_night = utc(2026, 11, 25, 3)  # Tue 22:00 EST

    assert OFFICE.add(tuesday_night, FOUR_HOURS) == utc(2026, 11, 25, 17)  # Wed 12:00 EST


def test_working_time_between_skips_nights_and_weekends():
    assert OFFICE.between(utc(2026, 11, 20, 21), utc(2026, 11, 23, 15)) == FOUR_HOURS
    assert OFFICE.between(utc(2026, 11, 21, 15), utc(2026, 11, 22, 15)) == timedelta(0)


def test_configured_days_and_hours_are_used():
    saturday_clinic = WorkingHours(ZONE, time(9), time(13), frozenset({5}))

    assert saturday_clinic.add(utc(2026, 11, 20, 21), FOUR_HOURS) == utc(2026, 11, 21, 18)


def test_an_overnight_working_day_is_refused():
    with pytest.raises(ValueError, match="end after it starts"):
        WorkingHours(ZONE, time(22), time(6))
