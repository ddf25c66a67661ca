"""`[schedule_rules]`: blackouts, quiet hours, working hours and the review SLA.

```toml
[schedule_rules]
quiet_hours = { "x-main" = "22:00-07:00" }
working_days = ["mon", "tue", "wed", "thu", "fri"]
working_hours = "08:00-18:00"
review_sla_hours = 4          # working hours before the first reminder, again to escalate
urgent_sla_minutes = 30       # wall-clock minutes for urgent posts
backup_approvers = ["slack:U0BACKUP"]

[[schedule_rules.blackouts]]
start = 2026-12-24            # dates are whole days in the practice's zone, end included
end = 2026-12-26
reason = "Christmas closure"

[[schedule_rules.blackouts]]
start = 2026-12-01T09:00:00   # a local date and time
end = 2026-12-01T17:00:00
reason = "Press embargo"
channels = ["x-main"]
```

The core receives plain values from here (`rules`, `reminder_policy`), never these models.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.domain import Person, Post
from bot.reminders import ReminderPolicy, refs_to_people
from bot.schedule_rules import Blackout, QuietHours, ScheduleRules
from bot.working_hours import WorkingHours

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*")


def parse_span(value: str) -> tuple[time, time]:
    """`22:00-07:00` -> (22:00, 07:00); a ValueError says how to write it."""
    match = _SPAN.fullmatch(value)
    if not match:
        raise ValueError(f"“{value}” is not a span of hours; write it like 22:00-07:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        return time(h1, m1), time(h2, m2)
    except ValueError:
        raise ValueError(f"“{value}” has an hour past 23:59; write it like 22:00-07:00") from None


class BlackoutSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: datetime | date
    end: datetime | date
    reason: str = Field(min_length=1)
    channels: list[str] = Field(default_factory=list)  # none: every channel

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date_or_datetime(cls, value: Any) -> Any:
        # "2026-12-24" is a whole day; "2026-12-24T18:00" or "2026-12-24 18:00" a moment.
        if isinstance(value, str) and len(value.strip()) <= 10:
            return date.fromisoformat(value.strip())
        return value

    @model_validator(mode="after")
    def _in_order(self) -> BlackoutSettings:
        def wall(moment: datetime | date, last_day: bool) -> datetime:
            if isinstance(moment, datetime):
                return moment.replace(tzinfo=None) if moment.tzinfo is None else moment
            return datetime.combine(moment + timedelta(days=int(last_day)), time())

        start, end = wall(self.start, False), wall(self.end, True)
        if start.tzinfo is None and end.tzinfo is None and end <= start:
            raise ValueError(f"the blackout “{self.reason}” ends before it starts")
        return self


class ScheduleRulesSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    blackouts: list[BlackoutSettings] = Field(default_factory=list)
    quiet_hours: dict[str, str] = Field(default_factory=dict)  # channel -> "22:00-07:00"
    working_days: list[str] = Field(default_factory=lambda: list(DAY_NAMES[:5]))
    working_hours: str = "08:00-18:00"
    review_sla_hours: float = Field(default=4, gt=0, le=24 * 7)
    urgent_sla_minutes: int = Field(default=30, ge=1, le=24 * 60)
    backup_approvers: list[str] = Field(default_factory=list)

    @field_validator("quiet_hours")
    @classmethod
    def _spans(cls, value: dict[str, str]) -> dict[str, str]:
        for channel, span in value.items():
            start, end = parse_span(span)
            if start == end:
                raise ValueError(f"quiet hours for {channel} start and end at the same time")
        return {channel.lower(): span for channel, span in value.items()}

    @field_validator("working_days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        days = [d.strip().lower()[:3] for d in value]
        unknown = [d for d in days if d not in DAY_NAMES]
        if unknown or not days:
            raise ValueError(f"working_days are named {', '.join(DAY_NAMES)}; got {value}")
        return days

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        start, end = parse_span(value)
        if not start < end:
            raise ValueError("working_hours must end after they start, e.g. 08:00-18:00")
        return value

    @field_validator("backup_approvers")
    @classmethod
    def _refs(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if ":" not in v]
        if bad:
            raise ValueError(f"backup approvers are written platform:user_id; got {bad}")
        return value

    def rules(self, zone: ZoneInfo) -> ScheduleRules:
        blackouts = tuple(
            Blackout.local(b.start, b.end, zone, b.reason, b.channels) for b in self.blackouts
        )
        quiet = tuple(
            QuietHours(channel, *parse_span(span)) for channel, span in self.quiet_hours.items()
        )
        return ScheduleRules(zone, blackouts, quiet)

    def working(self, zone: ZoneInfo) -> WorkingHours:
        start, end = parse_span(self.working_hours)
        days = frozenset(DAY_NAMES.index(d) for d in self.working_days)
        return WorkingHours(zone, start, end, days)

    def reminder_policy(
        self,
        zone: ZoneInfo,
        approvers: Iterable[str],
        urgent: Callable[[Post], bool],
        waiting_on: Callable[[Post], Sequence[Person] | None] | None = None,
    ) -> ReminderPolicy:
        return ReminderPolicy(
            hours=self.working(zone),
            sla=timedelta(hours=self.review_sla_hours),
            urgent_sla=timedelta(minutes=self.urgent_sla_minutes),
            approvers=refs_to_people(sorted(approvers)),
            backup_approvers=refs_to_people(self.backup_approvers),
            is_urgent=urgent,
            waiting_on=waiting_on,
        )
