"""`[schedule_rules]` settings: what they accept, and the sentence for what they refuse."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from pydantic import ValidationError

from adapters.settings import Settings

pytestmark = pytest.mark.usefixtures("clean_env")


def test_blackouts_quiet_hours_and_the_sla_come_from_the_toml_file(tmp_path, monkeypatch):
    config = tmp_path / "clearpost.toml"
    config.write_text(
        'timezone = "America/New_York"\n'
        "[schedule_rules]\n"
        'quiet_hours = { "X-Main" = "22:00-07:00" }\n'
        'working_days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]\n'
        'working_hours = "09:00-17:00"\n'
        "review_sla_hours = 2\n"
        "[[schedule_rules.blackouts]]\n"
        "start = 2026-12-01T09:00:00\n"
        "end = 2026-12-01T17:00:00\n"
        'reason = "Press embargo"\n'
        'channels = ["blog"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CLEARPOST_CONFIG", str(config))

    settings = Settings()
    rules = settings.schedule_rules.rules(settings.zone)
    working = settings.schedule_rules.working(settings.zone)

    assert rules.quiet_hours[0].channel == "x-main"
    assert (rules.quiet_hours[0].start, rules.quiet_hours[0].end) == (time(22), time(7))
    assert rules.blackouts[0].start == datetime(2026, 12, 1, 14, tzinfo=UTC)
    assert rules.blackouts[0].channels == frozenset({"blog"})
    assert working.days == frozenset(range(6))
    policy = settings.schedule_rules.reminder_policy(settings.zone, [], lambda post: False)
    assert policy.sla == timedelta(hours=2)


@pytest.mark.parametrize(
    ("rules", "said"),
    [
        ({"quiet_hours": {"x-main": "10pm to 7am"}}, "write it like 22:00-07:00"),
        ({"quiet_hours": {"x-main": "07:00-07:00"}}, "start and end at the same time"),
        ({"working_hours": "18:00-08:00"}, "must end after they start"),
        ({"working_days": ["monday", "funday"]}, "working_days are named mon"),
        ({"backup_approvers": ["UBACKUP"]}, "platform:user_id"),
        (
            {"blackouts": [{"start": "2026-12-26", "end": "2026-12-24", "reason": "Oops"}]},
            "the blackout “Oops” ends before it starts",
        ),
    ],
)
def test_a_bad_schedule_rule_is_refused_with_how_to_write_it(rules, said):
    with pytest.raises(ValidationError, match=said):
        Settings(schedule_rules=rules)


def test_a_one_day_blackout_written_as_dates_is_accepted():
    settings = Settings(
        schedule_rules={"blackouts": [{"start": "2026-12-25", "end": "2026-12-25", "reason": "X"}]}
    )

    [blackout] = settings.schedule_rules.rules(settings.zone).blackouts
    assert blackout.end - blackout.start == timedelta(days=1)
