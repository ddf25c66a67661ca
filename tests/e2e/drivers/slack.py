"""The e2e scenario through Slack: signed HTTP requests to the served app, as Slack sends them.

    with make_slack_driver(tmp_path) as slack:
        post_id = slack.propose("x-main", "tomorrow 9am", "Flu shots are in!")
        slack.request_changes(post_id, "Name the clinics")
        slack.edit(post_id, "Flu shots at Elm St")
        slack.approve(post_id)
        events = slack.audit(post_id)

The nurse is U_NURSE, the officer U_OFFICER; the clock stands at tests.conftest.NOW.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.slack import ids
from bot.domain import AuditEvent, State
from tests.slack.harness import SlackWorkspace, proposal_values, reason_values

NURSE = "U_NURSE"
OFFICER = "U_OFFICER"


class SlackDriver:
    def __init__(self, workspace: SlackWorkspace) -> None:
        self.slack = workspace

    def _expect(self, post_id: int, state: State) -> None:
        """Fail with what the person was told when the step did not happen."""
        actual = self.slack.workflow.get(post_id).state
        if actual is not state:
            told = self.slack.api.replies()[-1:] or ["(nothing)"]
            raise AssertionError(f"post #{post_id} is {actual.value}, not {state.value}: {told}")

    def propose(self, channels: str, when: str, text: str) -> int:
        post_id = self.slack.propose(NURSE, f'{channels} "{when}" {text}')
        self._expect(post_id, State.IN_REVIEW)
        return post_id

    def request_changes(self, post_id: int, reason: str) -> None:
        self.slack.click(OFFICER, ids.ACTION_REQUEST_CHANGES, post_id)
        self.slack.submit(OFFICER, self.slack.last_view(), reason_values(reason))
        self._expect(post_id, State.CHANGES_REQUESTED)

    def edit(self, post_id: int, text: str) -> None:
        post = self.slack.workflow.get(post_id)
        local = post.scheduled_at.astimezone(self.slack.workflow.zone)
        self.slack.click(NURSE, ids.ACTION_EDIT, post_id)
        values = proposal_values(
            list(post.channels),
            local.strftime("%Y-%m-%d"),
            local.strftime("%H:%M"),
            text,
            media_urls="\n".join(post.content.media) or None,
            notes=post.content.notes,
        )
        self.slack.submit(NURSE, self.slack.last_view(), values)
        self._expect(post_id, State.IN_REVIEW)

    def approve(self, post_id: int) -> None:
        self.slack.click(OFFICER, ids.ACTION_APPROVE, post_id)
        self._expect(post_id, State.APPROVED)

    def audit(self, post_id: int) -> list[AuditEvent]:
        return self.slack.workflow.audit_trail(post_id)


@contextlib.contextmanager
def make_slack_driver(tmp_path: Path) -> Iterator[SlackDriver]:
    with SlackWorkspace(tmp_path) as workspace:
        yield SlackDriver(workspace)


@pytest.fixture
def slack_driver(tmp_path: Path) -> Iterator[SlackDriver]:
    with make_slack_driver(tmp_path) as driver:
        yield driver
