"""A review reminder in Slack: a reply in the approval thread and a DM to each approver, sent
through slack_sdk to the Slack stand-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from adapters.slack.notifier import SlackNotifier
from bot.commands import ProposeRequest
from bot.domain import Person
from bot.reminders import ReminderPolicy, Reminders
from bot.working_hours import WorkingHours
from tests.conftest import NOW, ZONE, make_workflow
from tests.standins.slack_api import SlackApiStandIn

APPROVAL_CHANNEL = "C0APPROVALS"


@pytest.fixture
def slack():
    with SlackApiStandIn() as standin:
        yield standin


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_an_overdue_proposal_is_raised_in_its_thread_and_dmed_to_each_approver(
    engine, clock, notifier, slack
):
    client = WebClient(token=slack.token, base_url=slack.api_url)
    workflow = make_workflow(engine, clock, notifier)
    workflow.notifiers.clear()
    workflow.notifiers["slack"] = SlackNotifier(client, APPROVAL_CHANNEL, ZONE)
    nurse = Person("slack", "UNURSE", "Nora")
    post = workflow.propose(
        ProposeRequest(channels=("blog",), when=NOW + timedelta(days=2), text="Flu shots"), nurse
    )
    policy = ReminderPolicy(
        hours=WorkingHours(ZONE),
        approvers=(Person("slack", "UOFFICER"), Person("slack", "UOFFICER2")),
        backup_approvers=(Person("slack", "UBACKUP"),),
    )
    reminders = Reminders(workflow.service, policy)
    thread_ts = workflow.get(post.id).thread.ts  # type: ignore[union-attr]

    clock.set(datetime(2026, 11, 25, 21, tzinfo=UTC))  # four working hours later
    reminders.sweep()
    reminders.sweep()

    reminder = f"Reminder: post #{post.id} has waited 4 h of working time"
    assert [t for t in slack.thread_replies(thread_ts) if t.startswith(reminder)]
    for approver in ("UOFFICER", "UOFFICER2"):
        dms = slack.direct_messages(approver)
        assert len(dms) == 1 and dms[0].startswith(f"Post #{post.id}: {reminder}")
    assert slack.direct_messages("UBACKUP") == []
    assert slack.direct_messages("UNURSE") == []  # the proposer is not nagged
