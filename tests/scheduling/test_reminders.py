"""Review reminders and escalation on a clock the test moves: working hours in the practice's
zone, stored state instead of timers (a restart re-sends nothing), and exactly one reminder when
two replicas sweep one PostgreSQL database at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot.commands import ProposeRequest
from bot.domain import Person
from bot.reminders import ReminderPolicy, Reminders
from bot.workflow import Workflow
from bot.working_hours import WorkingHours
from tests.conftest import NOW, ZONE, make_workflow
from tests.fakes import FakeNotifier

OFFICER = Person("console", "officer")
BACKUP = Person("console", "backup")
POLICY = ReminderPolicy(hours=WorkingHours(ZONE), approvers=(OFFICER,), backup_approvers=(BACKUP,))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def propose(workflow: Workflow, nurse: Person, text: str = "Flu shots are in!", urgent=False):
    request = ProposeRequest(
        channels=("blog",), when=NOW + timedelta(days=3), text=text, urgent=urgent
    )
    return workflow.propose(request, by=nurse)


def reminders_told(notifier: FakeNotifier, post_id: int) -> list:
    return [n for n in notifier.notices[post_id] if n.kind in ("reminder", "escalation")]


def test_a_waiting_post_is_reminded_after_four_working_hours_then_escalated(
    workflow, nurse, notifier, clock
):
    post = propose(workflow, nurse)  # Wed 25 Nov 12:00 EST
    reminders = Reminders(workflow.service, POLICY)

    clock.set(utc(2026, 11, 25, 20, 59))  # 15:59 EST: not yet
    assert reminders.sweep() == 0
    clock.set(utc(2026, 11, 25, 21, 0))  # 16:00 EST: four working hours
    assert reminders.sweep() == 1
    assert reminders.sweep() == 0

    first = reminders_told(notifier, post.id)
    assert [n.kind for n in first] == ["reminder"]
    assert first[0].text.startswith(
        f"Reminder: post #{post.id} has waited 4 h of working time for a decision since "
        "Wed 25 Nov 2026 12:00 EST."
    )
    assert list(first[0].tell_people) == [OFFICER]

    clock.set(utc(2026, 11, 26, 14, 59))  # Thu 09:59 EST: the night does not count
    assert reminders.sweep() == 0
    clock.set(utc(2026, 11, 26, 15, 0))  # Thu 10:00 EST: a second four working hours
    assert reminders.sweep() == 1

    told = reminders_told(notifier, post.id)
    assert [n.kind for n in told] == ["reminder", "escalation"]
    assert told[1].text.startswith(f"Escalated: post #{post.id} has waited 8 h of working time")
    assert list(told[1].tell_people) == [BACKUP]
    assert [e.action for e in workflow.audit_trail(post.id)] == [
        "proposed",
        "reminded",
        "escalated",
    ]
    clock.advance(days=3)
    assert reminders.sweep() == 0  # nothing more for this revision


def test_a_restart_does_not_send_a_reminder_again(engine, workflow, nurse, notifier, clock):
    post = propose(workflow, nurse)
    clock.set(utc(2026, 11, 25, 21, 30))
    Reminders(workflow.service, POLICY).sweep()

    after_restart = make_workflow(engine, clock, notifier)  # a fresh process on the same data
    sent = Reminders(after_restart.service, POLICY).sweep()

    assert sent == 0
    assert [n.kind for n in reminders_told(notifier, post.id)] == ["reminder"]


def test_a_reminder_due_while_the_process_was_down_is_sent_once_when_it_is_back(
    workflow, nurse, notifier, clock
):
    post = propose(workflow, nurse)
    clock.set(utc(2026, 11, 30, 16))  # Monday: both periods passed over the weekend

    Reminders(workflow.service, POLICY).sweep()

    assert [n.kind for n in reminders_told(notifier, post.id)] == ["escalation"]


def test_a_decided_post_is_not_reminded(workflow, nurse, officer, notifier, clock):
    post = propose(workflow, nurse)
    workflow.approve(post.id, officer)
    clock.set(utc(2026, 11, 27, 21))

    assert Reminders(workflow.service, POLICY).sweep() == 0
    assert reminders_told(notifier, post.id) == []


def test_an_edit_starts_the_wait_again(workflow, nurse, notifier, clock):
    post = propose(workflow, nurse)
    clock.set(utc(2026, 11, 25, 21))
    reminders = Reminders(workflow.service, POLICY)
    reminders.sweep()

    workflow.revise(post.id, nurse, text="Flu shots are in at Main St!")  # Wed 16:00 EST
    clock.set(utc(2026, 11, 26, 14, 59))  # Thu 09:59 EST: 3 h 59 min of working time
    assert reminders.sweep() == 0
    clock.set(utc(2026, 11, 26, 15, 0))
    assert reminders.sweep() == 1

    assert [n.kind for n in reminders_told(notifier, post.id)] == ["reminder", "reminder"]


def test_an_urgent_post_is_reminded_after_thirty_wall_clock_minutes_even_at_night(
    workflow, nurse, notifier, clock
):
    clock.set(utc(2026, 11, 28, 3))  # Friday 22:00 EST, outside working hours
    post = propose(workflow, nurse, "Clinic closed today: burst pipe", urgent=True)
    reminders = Reminders(workflow.service, POLICY)

    clock.advance(minutes=29)
    assert reminders.sweep() == 0
    clock.advance(minutes=1)
    assert reminders.sweep() == 1
    clock.advance(minutes=30)
    assert reminders.sweep() == 1

    told = reminders_told(notifier, post.id)
    assert [n.kind for n in told] == ["reminder", "escalation"]
    assert "30 min (urgent)" in told[0].text


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_two_replicas_on_postgresql_send_exactly_one_reminder_per_post(engine, nurse, clock):
    notifiers = [FakeNotifier(), FakeNotifier()]
    replicas = [make_workflow(engine, clock, n) for n in notifiers]
    posts = [propose(replicas[0], nurse, f"Clinic news number {i}") for i in range(25)]
    clock.set(utc(2026, 11, 25, 21, 5))
    sweeps = [Reminders(r.service, POLICY) for r in replicas]
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def run(reminders: Reminders) -> None:
        start.wait(timeout=10)
        try:
            for _ in range(3):
                reminders.sweep()
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in sweeps * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    for post in posts:
        told = [n for notifier in notifiers for n in reminders_told(notifier, post.id)]
        assert [n.kind for n in told] == ["reminder"], post.id
