"""`clearpost serve` while plan bombs arrive in Slack DMs: each is refused with a sentence, a
proposal sent meanwhile is announced at once, and SIGTERM still stops the server promptly.
Before, two such uploads filled the after-ack workers (proposals were acknowledged and never
announced) and SIGTERM no longer stopped the server."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from tests.blackbox.serve import ServeProcess, eventually
from tests.blackbox.slack_people import NURSE, SlackApi, SlackPeople, slack_env
from tests.export.test_plan_bombs import (
    GOOD,
    SHEET,
    blank_rows,
    rewritten,
    shared_strings,
    workbook,
)
from tests.support import slack_requests as slack


@pytest.fixture
def world(tmp_path) -> Iterator[tuple[ServeProcess, SlackPeople]]:  # type: ignore[no-untyped-def]
    with SlackApi(token="xoxb-blackbox-token") as api:
        with ServeProcess(tmp_path, slack_env(api)) as server:
            people = SlackPeople(server.url, api)
            yield server, people
            people.close()


def test_bombs_are_refused_while_proposals_are_announced_and_sigterm_stops_serve(world):
    server, people = world
    bombs = [
        rewritten(workbook(GOOD), SHEET, blank_rows(900_000)),
        rewritten(workbook(GOOD), "xl/sharedStrings.xml", shared_strings(256)),
        rewritten(workbook(GOOD), SHEET, blank_rows(900_000)),
        rewritten(workbook(GOOD), SHEET, lambda xml: xml[: len(xml) // 2]),
    ]
    dm = "D" + NURSE[1:]
    for number, bomb in enumerate(bombs):
        shared = people.api.share_file(NURSE, dm, f"bomb{number}.xlsx", bomb)
        event = slack.file_shared(shared.channel, shared.id, shared.user, shared.ts)
        answer = people.send(slack.event_callback(event, f"EvBomb{number}"), slack.JSON)
        assert answer.status_code == 200

    started = time.monotonic()
    assert people.propose(NURSE, "x tomorrow 9am Open house Friday").status_code == 200
    people.wait_parent(1, timeout=20)
    announced_after = time.monotonic() - started

    def told() -> list[str] | None:
        said = [
            str(c.params.get("text"))
            for c in people.api.succeeded("chat.postMessage")
            if c.params.get("channel") == dm
        ]
        return said if len(said) >= len(bombs) else None

    said = eventually(told, 30, "a sentence for every bomb")
    assert all(
        re.search(r"far more than a plan|not well-formed XML|being imported right now", s)
        for s in said
    ), said
    assert announced_after < 10

    stopping = time.monotonic()
    assert server.terminate(timeout=15) == 0
    assert time.monotonic() - stopping < 15
    assert "Traceback" not in server.output()
