"""`[schedule_rules]` from the settings reaches the console: a blackout refuses a proposal."""

from __future__ import annotations

import os

import pytest

from adapters.bootstrap import build_core
from adapters.console import ConsoleFrontEnd, ConsoleNotifier
from adapters.settings import Settings
from tests.conftest import NOW
from tests.fakes import FixedClock


@pytest.fixture
def console(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith(("CLEARPOST_", "SLACK_", "TEAMS_", "Microsoft")):
            monkeypatch.delenv(name)
    config = tmp_path / "clearpost.toml"
    config.write_text(
        f'database_url = "sqlite:///{tmp_path / "c.db"}"\n'
        "[schedule_rules]\n"
        'quiet_hours = { "x-main" = "22:00-07:00" }\n'
        "[[schedule_rules.blackouts]]\n"
        "start = 2026-12-24\n"
        "end = 2026-12-26\n"
        'reason = "Christmas closure"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CLEARPOST_CONFIG", str(config))
    core = build_core(Settings(), clock=FixedClock(NOW))
    shown: list[str] = []
    core.workflow.notifiers["console"] = ConsoleNotifier(core.workflow.zone, shown.append)
    yield ConsoleFrontEnd(core.workflow, shown.append)
    core.shutdown()


def test_a_proposal_into_a_blackout_is_refused_in_the_console(console):
    said = console.handle("/propose blog 2026-12-24 09:00 We are closed for the holidays")

    assert said.startswith(
        "blog may not publish Thu 24 Dec 2026 09:00 EST: blackout “Christmas closure”. "
        "The next allowed time is Sun 27 Dec 2026 00:00 EST."
    )
    assert console.handle("/show 1") == "There is no post #1."


def test_quiet_hours_from_the_settings_refuse_a_late_x_post_but_not_a_late_blog_post(console):
    assert "quiet hours for x-main (22:00–07:00)" in console.handle(
        "/propose x-main tomorrow 11pm Late news"
    )
    assert console.handle("/propose blog tomorrow 11pm Late news").startswith("Proposed post #1")
