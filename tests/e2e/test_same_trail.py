"""One scenario, three front ends: the console, Slack and Teams leave the same audit trail.

The core decides everything; the adapters only translate. So the same steps taken through any of
them must record the same actions, state moves, reasons and revision hashes (platform ids aside).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest

FRONT_ENDS = {
    "console": "tests.e2e.drivers.console:make_console_driver",
    "slack": "tests.e2e.drivers.slack:make_slack_driver",
    "teams": "tests.e2e.drivers.teams:make_teams_driver",
}


def driver_factory(name: str) -> Callable:
    module, _, attr = FRONT_ENDS[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def run_scenario(factory: Callable, tmp_path) -> list[tuple]:
    with factory(tmp_path) as front:
        post_id = front.propose("x-main,facebook-clinic", "2026-12-01 09:00", "Flu shots are in!")
        front.request_changes(post_id, "Name the clinics")
        front.edit(post_id, "Flu shots are in at Main St and Elm St!")
        front.approve(post_id)
        events = front.audit(post_id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(e.prev_hash == before.hash for before, e in zip(events, events[1:], strict=False))
    roles: dict[str, int] = {}
    return [
        (
            e.action,
            e.from_state,
            e.to_state,
            e.reason,
            e.revision_hash,
            roles.setdefault(e.actor.ref, len(roles)),  # who, as "first person", "second"…
        )
        for e in events
    ]


@pytest.fixture(scope="module")
def console_trail(tmp_path_factory) -> list[tuple]:
    return run_scenario(driver_factory("console"), tmp_path_factory.mktemp("console"))


def test_the_console_scenario_records_each_step(console_trail):
    assert [step[0] for step in console_trail] == [
        "proposed",
        "changes_requested",
        "revised",
        "approved",
    ]
    assert [step[5] for step in console_trail] == [0, 1, 0, 1]


@pytest.mark.parametrize("front_end", ["slack", "teams"])
def test_each_chat_platform_leaves_the_same_trail_as_the_console(
    front_end, console_trail, tmp_path
):
    try:
        factory = driver_factory(front_end)
    except ModuleNotFoundError as missing:
        pytest.fail(f"the {front_end} e2e driver is missing: {missing}")

    assert run_scenario(factory, tmp_path) == console_trail
