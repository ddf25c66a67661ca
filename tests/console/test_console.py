"""The local console, typed into as a person would, on the SQLite default."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adapters.console import ConsoleFrontEnd, ConsoleNotifier
from bot.workflow import Workflow

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def console(workflow: Workflow):
    shown: list[str] = []
    workflow.notifiers["console"] = ConsoleNotifier(workflow.zone, shown.append)
    front = ConsoleFrontEnd(workflow, shown.append)
    front.shown = shown  # type: ignore[attr-defined]
    return front


def test_propose_review_approve_in_the_console(console):
    said = console.handle("/propose x,facebook tomorrow 9am Flu shots are in!")
    assert said.startswith("Proposed post #1 for Thu 26 Nov 2026 09:00 EST")
    assert "[Approve] [Request changes] [Reject]" in console.shown[-1]

    console.handle("as officer")
    assert console.handle("/queue").startswith("#1 by nurse: Flu shots are in!")
    console.handle("/request-changes 1 Say which clinics")
    assert "[DM to nurse] Post #1: officer asked for changes: Say which clinics" in console.shown

    console.handle("as nurse")
    assert "Revision 2 of post #1" in console.handle("/edit 1 Flu shots are in at Main St!")

    console.handle("as officer")
    assert console.handle("/approve 1") == "You approved post #1; it is approved."
    assert "x-main: scheduled" in console.handle("/show 1")
    audit = console.handle("/audit 1")
    assert [line.split(": ", 1)[1].split()[0] for line in audit.splitlines()] == [
        "proposed",
        "changes_requested",
        "revised",
        "approved",
    ]


def test_self_approval_and_non_approvers_are_refused_in_plain_words(console):
    console.handle("as officer")
    console.handle("/propose blog tomorrow 9am Holiday hours")

    assert "another approver has to decide it" in console.handle("/approve 1")
    console.handle("as nurse")
    assert "Only compliance approvers" in console.handle("/approve 1")


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("/propose", "Say where, when and what to post.\nExample: /propose"),
        ("/propose tiktok tomorrow 9am hi", "Unknown channel `tiktok`"),
        ("/propose x yesterday 9am hi", "in the past"),
        ("/approve", "Start with the post number.\nExample: /approve 12"),
        ("/approve 42", "There is no post #42."),
        ("/reject 1", "Say why you reject, so the proposer knows what to fix."),
        ("/show 3", "There is no post #3."),
        ("/aprove 1", "Did you mean `/approve`?"),
        ("as two words", "Say who to act as, in one word."),
    ],
)
def test_bad_input_gets_a_usage_message_never_a_traceback(console, line, answer):
    assert answer in console.handle(line)


def test_the_console_command_runs_the_whole_flow_on_a_fresh_sqlite_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLEARPOST_", "SLACK_"))}
    env["CLEARPOST_DATABASE_URL"] = f"sqlite:///{tmp_path / 'c.db'}"
    # A real process reads the real clock: a day well ahead of it, at an hour DST never touches.
    day = datetime.now(ZoneInfo("America/New_York")).date() + timedelta(days=40)
    typed = "\n".join(
        [
            f"/propose x-main {day:%Y-%m-%d} 09:00 Flu shots are in!",
            "as officer",
            "/approve 1",
            "/show 1",
            "quit",
        ]
    )

    run = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "console"],
        input=typed,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )

    assert run.returncode == 0, run.stderr
    assert f"Proposed post #1 for {day:%a %d %b %Y} 09:00 E" in run.stdout
    assert "Post #1 · approved · revision 1" in run.stdout
    assert "Traceback" not in run.stderr


def test_no_post_text_or_reason_reaches_the_logs(workflow, console, caplog):
    marker = "PHI-MARKER-7731"
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="adapters")

    console.handle(f"/propose x tomorrow 9am {marker} flu shots")
    console.handle("as officer")
    console.handle(f"/request-changes 1 {marker} reason")
    console.handle("as nurse")
    console.handle(f"/edit 1 {marker} edited")
    console.handle(f"/comment 1 {marker} comment")

    assert caplog.records, "the workflow logs what happened"
    assert all(marker not in r.getMessage() for r in caplog.records)


def test_config_check_exits_nonzero_and_names_the_bad_variable():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARPOST_")}
    env["CLEARPOST_TIMEZONE"] = "Atlantis/Capital"

    run = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "config", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=REPO,
    )

    assert run.returncode == 1
    assert "CLEARPOST_TIMEZONE: 'Atlantis/Capital' is not an IANA time zone" in run.stdout


def test_a_bad_setting_stops_start_with_a_message_not_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEARPOST_")}
    env["CLEARPOST_REQUIRED_APPROVALS"] = "many"

    run = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "console"],
        input="",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=tmp_path,
    )

    assert run.returncode != 0
    assert "CLEARPOST_REQUIRED_APPROVALS" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_core_imports_nothing_outward():
    run = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )

    assert run.returncode == 0, run.stdout + run.stderr


def test_an_edit_shows_what_changed_under_the_thread_reply(console):
    console.handle("/propose x tomorrow 9am Flu shots are in!")

    console.handle("/edit 1 Flu shots are in at Main St!")

    assert console.shown[-3:-1] == [
        "[#approvals › post #1]   Text: 4 word(s) added, 1 removed",
        '[#approvals › post #1]     "in!" → "in at Main St!"',
    ]


def test_a_one_line_alt_text_is_shown_with_its_media(console):
    console.handle(
        "/propose x tomorrow 9am Back on her feet! --media https://c.example/IMG_2231.jpg "
        "--alt Photo of Maria Lopez after her knee replacement"
    )

    shown = console.handle("/show 1")

    assert (
        'media: https://c.example/IMG_2231.jpg (alt text: "Photo of Maria Lopez after her knee '
        'replacement")' in shown
    )
