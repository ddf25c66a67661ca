"""The e2e scenario through Teams: Teams-format activities over HTTP to the served app.

    with make_teams_driver(tmp_path) as teams:
        post_id = teams.propose("x-main", "tomorrow 9am", "Flu shots are in!")
        teams.request_changes(post_id, "Name the clinics")
        teams.edit(post_id, "Flu shots at Elm St")
        teams.approve(post_id)
        events = teams.audit(post_id)

The nurse and the officer are tests.support.teams_activities.NURSE and OFFICER; the clock is at
tests.conftest.NOW. Every step goes through `/api/messages`, the connector stand-in records
what the bot sent, and a step that did not happen fails with what the person was told.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.domain import AuditEvent, Person, State
from tests.conftest import NOW
from tests.fakes import FixedClock
from tests.standins.bot_connector import BotConnectorStandIn
from tests.support.teams_activities import NURSE, OFFICER, Activities
from tests.teams.harness import ServedTeams, served_teams


class TeamsDriver:
    def __init__(self, served: ServedTeams, connector: BotConnectorStandIn) -> None:
        self.served = served
        self.connector = connector
        self.acts = Activities(connector.url)
        self.workflow = served.core.workflow
        served.post(self.acts.installed_in_channel())

    def _expect(self, post_id: int, state: State, answer: Any = None) -> None:
        actual = self.workflow.get(post_id).state
        if actual is not state:
            told = answer if answer is not None else self.connector.sent()[-1:]
            raise AssertionError(f"post #{post_id} is {actual.value}, not {state.value}: {told}")

    def propose(self, channels: str, when: str, text: str) -> int:
        before = {p.id for p in self.workflow.my_posts(_person(NURSE))}
        self.served.post(self.acts.message(NURSE, f'propose {channels} "{when}" {text}'))
        new = [p.id for p in self.workflow.my_posts(_person(NURSE)) if p.id not in before]
        if len(new) != 1:
            raise AssertionError(f"no proposal was made: {self.connector.sent()[-1:]}")
        self._expect(new[0], State.IN_REVIEW)
        return new[0]

    def _decide(self, verb: str, post_id: int, **inputs: str) -> Any:
        post = self.workflow.get(post_id)
        action = self.acts.card_action(OFFICER, verb, post_id, post.revision.hash, **inputs)
        answer = self.served.post(action).json()
        self.served.settle()
        return answer

    def request_changes(self, post_id: int, reason: str) -> None:
        answer = self._decide("request_changes", post_id, reason=reason)
        self._expect(post_id, State.CHANGES_REQUESTED, answer)

    def edit(self, post_id: int, text: str) -> None:
        fetch = {"data": {"clearpost": "edit_form", "post_id": post_id}}
        opened = self.served.post(self.acts.invoke(NURSE, "task/fetch", fetch)).json()
        form = opened["task"]["value"]["card"]["content"]
        data = {i["id"]: i.get("value", "") for i in form["body"] if "id" in i}
        data.update(text=text, **form["actions"][0]["data"])
        answer = self.served.post(self.acts.invoke(NURSE, "task/submit", {"data": data})).json()
        self.served.settle()
        self._expect(post_id, State.IN_REVIEW, answer)

    def approve(self, post_id: int) -> None:
        answer = self._decide("approve", post_id)
        self._expect(post_id, State.APPROVED, answer)

    def audit(self, post_id: int) -> list[AuditEvent]:
        return self.workflow.audit_trail(post_id)


def _person(who: dict[str, str]) -> Person:
    return Person("teams", who["aadObjectId"], who["name"])


@contextlib.contextmanager
def make_teams_driver(tmp_path: Path) -> Iterator[TeamsDriver]:
    previous = os.environ.get("CLEARPOST_TEAMS_ENABLED")
    os.environ["CLEARPOST_TEAMS_ENABLED"] = "1"  # unauthenticated local mode, for tests only
    try:
        with (
            BotConnectorStandIn() as connector,
            served_teams(tmp_path, clock=FixedClock(NOW)) as served,
        ):
            yield TeamsDriver(served, connector)
    finally:
        if previous is None:
            os.environ.pop("CLEARPOST_TEAMS_ENABLED", None)
        else:
            os.environ["CLEARPOST_TEAMS_ENABLED"] = previous
