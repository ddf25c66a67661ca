"""How long the audit trail and published revisions are kept, and what a purge may remove.

Nothing in Clearpost deletes an audit event or a revision; `clearpost audit purge` alone removes
posts that ended (published, rejected, withdrawn) with every event before a day that is itself
past the retention period, and records the purge in the audit chain.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.errors import RetentionNotOver


def years_before(moment: datetime, years: int) -> datetime:
    """The same day and time `years` earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def check_purge(before: datetime, now: datetime, years: int) -> None:
    """Refuse a purge that would reach into the retention period."""
    earliest = years_before(now, years)
    if before > earliest:
        shown: date = before.date()
        raise RetentionNotOver(shown.isoformat(), earliest.date().isoformat(), years)
