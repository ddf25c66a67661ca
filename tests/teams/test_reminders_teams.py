"""A review reminder in Teams: a reply in the card's thread and a personal message to the
approver, recorded by the Bot Connector stand-in."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import Person
from bot.reminders import ReminderPolicy, Reminders
from bot.working_hours import WorkingHours
from tests.conftest import NOW, ZONE
from tests.teams.harness import OFFICER
from tests.teams.test_http_flow import in_thread, propose


def to_officer(call) -> bool:  # type: ignore[no-untyped-def]
    return call.conversation == f"a:personal-{OFFICER['id']}"


def test_an_overdue_proposal_is_raised_in_its_thread_and_sent_to_the_approver_personally(
    teams, connector, acts, teams_clock
):
    post = propose(teams, acts)
    teams.post(acts.message(OFFICER, "help"))  # Teams now knows how to reach the officer
    policy = ReminderPolicy(
        hours=WorkingHours(ZONE), approvers=(Person("teams", OFFICER["aadObjectId"]),)
    )
    teams_clock.set(NOW + timedelta(hours=4))  # Wed 16:00 EST: four working hours

    sent = Reminders(teams.core.workflow.service, policy).sweep()
    teams.settle()

    assert sent == 1
    reminder = f"Reminder: post #{post.id} has waited 4 h of working time"
    assert connector.sent(in_thread(post.thread.ts))[-1].text.startswith(reminder)
    assert f"Post #{post.id}: {reminder}" in connector.sent(to_officer)[-1].card_text
