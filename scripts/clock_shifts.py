"""The wall-clock shifts the time-sensitive tests also run under (scripts/test.sh).

`clock_shifts.py` prints the labels; `clock_shifts.py LABEL` prints how many seconds to move
"now" so that a run starting at once starts a year ahead, or a minute before the next US
daylight-saving change of that kind (America/New_York, the tests' practice's zone), so the run
crosses the change while it goes on.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("America/New_York")
LEAD = timedelta(minutes=1)


def next_changes(after: datetime) -> dict[str, datetime]:
    """The next spring-forward and fall-back instants after `after`, found hour by hour."""
    found: dict[str, datetime] = {}
    moment = after.replace(minute=0, second=0, microsecond=0)
    offset = moment.astimezone(ZONE).utcoffset()
    while len(found) < 2:
        moment += timedelta(hours=1)
        now_offset = moment.astimezone(ZONE).utcoffset()
        if now_offset != offset:
            assert now_offset is not None and offset is not None
            found.setdefault("dst-spring" if now_offset > offset else "dst-fall", moment)
            offset = now_offset
    return found


def shifts(now: datetime) -> dict[str, datetime]:
    found = {"year-ahead": now + timedelta(days=365)}
    found.update({label: at - LEAD for label, at in next_changes(now).items()})
    return found


def main(args: list[str]) -> None:
    now = datetime.now(UTC)
    targets = shifts(now)
    if not args:
        print("\n".join(targets))
        return
    print(int((targets[args[0]] - now).total_seconds()))


if __name__ == "__main__":
    main(sys.argv[1:])
