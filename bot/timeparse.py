"""Publish times: ISO or natural phrases in the practice's zone -> aware UTC, or a clear refusal.

dateparser understands the phrase; this module adds what a clinic needs on top: a time of day is
required (a bare "monday" would mean midnight), the past is refused, and local times that do not
exist (the spring-forward gap) or exist twice (the autumn overlap) are refused with what was
understood, because guessing would publish an hour off.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser  # type: ignore[import-untyped]

from bot.errors import TimeNotUnderstood

EXAMPLE = "tomorrow 9am, next monday 10:00, or 2026-12-01 09:00"

# A phrase names a time of day if it has a clock time, am/pm, a relative offset, or a named time.
_TIME_OF_DAY = re.compile(
    r"\d{1,2}:\d{2}|\d\s*(?:am|pm)\b|\b(?:noon|midnight|now)\b|\bin\s+\d+\s*(?:min|hour|h\b)",
    re.I,
)

_PARSER_LANGUAGES = ["en"]

# "now", "in 20 min", "in 2 hours": an instant counted from now, whatever the wall clock does.
_RELATIVE = re.compile(r"now|in\s+(\d{1,4})\s*(m|mins?|minutes?|h|hrs?|hours?)", re.I)


def describe(moment: datetime, zone: ZoneInfo) -> str:
    """How the practice reads a time: 'Thu 26 Nov 2026 09:00 EST'."""
    local = moment.astimezone(zone)
    return local.strftime("%a %d %b %Y %H:%M %Z")


def _dst_problem(naive: datetime, zone: ZoneInfo) -> str | None:
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    shown = naive.strftime("%a %d %b %Y %H:%M")
    # Round-tripping through UTC changes a time that does not exist on the wall clock.
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return (
            f"{shown} does not exist in {zone.key}: the clocks jump forward then. "
            "Pick a time outside that hour."
        )
    return (
        f"{shown} happens twice in {zone.key}: the clocks go back then. "
        "Pick a time outside that hour."
    )


def parse_time(
    phrase: str,
    zone: ZoneInfo,
    now: datetime,
    *,
    date_order: str = "MDY",
    allow_past: bool = False,
) -> datetime:
    """The UTC moment a phrase means for the practice, or TimeNotUnderstood saying why not."""
    phrase = phrase.strip()
    if not phrase:
        raise TimeNotUnderstood("No publish time was given.", EXAMPLE)
    relative = _RELATIVE.fullmatch(phrase)
    if relative:
        # Counted on UTC: local arithmetic would land in the hour DST skips or repeats.
        amount, unit = relative.groups()
        ahead = timedelta(0)
        if amount:
            scale = "hours" if unit.lower().startswith("h") else "minutes"
            ahead = timedelta(**{scale: int(amount)})
        return (now.astimezone(UTC) + ahead).replace(second=0, microsecond=0)
    local_now = now.astimezone(zone).replace(tzinfo=None)
    parsed = dateparser.parse(
        phrase,
        languages=_PARSER_LANGUAGES,
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local_now,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "DATE_ORDER": date_order,
        },
    )
    if parsed is None:
        raise TimeNotUnderstood(f"I could not read “{phrase}” as a date and time.", EXAMPLE)
    if not _TIME_OF_DAY.search(phrase):
        raise TimeNotUnderstood(
            f"“{phrase}” gives a day ({parsed:%a %d %b %Y}) but no time of day.",
            f"{phrase} 9am",
        )
    parsed = parsed.replace(second=0, microsecond=0)
    problem = _dst_problem(parsed, zone)
    if problem:
        raise TimeNotUnderstood(problem, EXAMPLE)
    moment: datetime = parsed.replace(tzinfo=zone).astimezone(UTC)
    # A minute of slack so "now" and "in 1 min" are not refused for the seconds spent typing.
    if not allow_past and moment < now - timedelta(minutes=1):
        raise TimeNotUnderstood(
            f"I understood “{phrase}” as {describe(moment, zone)}, which is in the past.",
            EXAMPLE,
        )
    return moment


def check_moment(moment: datetime, zone: ZoneInfo, now: datetime) -> datetime:
    """A time from a date/time picker: naive means the practice's wall clock. -> aware UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(second=0, microsecond=0)
        problem = _dst_problem(moment, zone)
        if problem:
            raise TimeNotUnderstood(problem, EXAMPLE)
        moment = moment.replace(tzinfo=zone)
    moment = moment.astimezone(UTC)
    if moment < now - timedelta(minutes=1):
        raise TimeNotUnderstood(
            f"{describe(moment, zone)} is in the past. Pick a time from now on.", EXAMPLE
        )
    return moment


def looks_like_time(phrase: str, zone: ZoneInfo, now: datetime, date_order: str = "MDY") -> bool:
    """True when dateparser reads the phrase at all (used to find where a time ends in a line)."""
    return (
        dateparser.parse(
            phrase,
            languages=_PARSER_LANGUAGES,
            settings={
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
                "DATE_ORDER": date_order,
            },
        )
        is not None
    )
