"""The network API versions Clearpost pins, each with the sunset its network documents.

One table, so a reader sees at a glance what will stop working and when; each publisher reads
its default version from here, and a test fails when any pinned version is within
SUNSET_MARGIN of its sunset. Moving to a newer version: read the network's migration guide, change
the row (version, sunset, source, checked), run the contract tests.

A network that has retired the version we send answers 426 (LinkedIn: `NONEXISTENT_VERSION`,
"Version Header is Deprecated") or 410 Gone; base.failed_for_status reports that as "Clearpost
needs an update", not as a refusal of the post.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class PinnedVersion:
    """One network's pinned API version and the last day it is documented to work."""

    network: str
    version: str
    sunset: date  # the network's documented sunset (or "available until") date
    source: str  # the page the date comes from
    checked: date  # the day that page was read


SUNSET_MARGIN = timedelta(days=30)

# learn.microsoft.com/linkedin/marketing/integrations/migrations ("API Migration Status", read
# 2026-11-29): 202603 (March 2026) is Active until March 16, 2027. 202510 was retired on
# 2026-10-15 and 202511 on 2026-11-16. Newer versions (202607, per .../marketing/versioning)
# exist, but their sunset dates were not yet in the table we read: pin one with a documented date.
LINKEDIN = PinnedVersion(
    "linkedin",
    "202603",
    date(2027, 3, 16),
    "learn.microsoft.com/linkedin/marketing/integrations/migrations",
    date(2026, 11, 29),
)

# developers.facebook.com/docs/graph-api/changelog/versions (read 2026-11-29; the changelog page
# says "Updated: Oct 29, 2026", its newest row introduced November 4, 2026, after v26.0 of July
# 29, 2026): v23.0, released May 29, 2025, is available until October 8, 2027. Facebook Pages and
# Instagram share it.
GRAPH = PinnedVersion(
    "facebook",
    "v23.0",
    date(2027, 10, 8),
    "developers.facebook.com/docs/graph-api/changelog/versions",
    date(2026, 11, 29),
)

PINNED: tuple[PinnedVersion, ...] = (LINKEDIN, GRAPH)


def near_sunset(
    today: date, pinned: Iterable[PinnedVersion] = PINNED, margin: timedelta = SUNSET_MARGIN
) -> list[PinnedVersion]:
    """The pinned versions whose sunset is within `margin` of `today` (or already past)."""
    return [row for row in pinned if row.sunset - today <= margin]
